package dev.patchgate.mirror;

/**
 * What {@link MirrorStore#purge} removed.
 *
 * @param objects how many objects
 * @param bytes their total length
 */
public record PurgeReport(int objects, long bytes) {}
