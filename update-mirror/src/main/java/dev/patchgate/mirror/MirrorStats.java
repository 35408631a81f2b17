package dev.patchgate.mirror;

/**
 * The store's usage, for the admin endpoint and {@code mirror ls}.
 *
 * @param objects committed objects
 * @param storedBytes their total length
 * @param maxSizeBytes the configured limit
 * @param fillsInProgress fills under way
 * @param usableBytes usable space on the store's file system, -1 if unknown
 */
public record MirrorStats(
    int objects, long storedBytes, long maxSizeBytes, int fillsInProgress, long usableBytes) {}
