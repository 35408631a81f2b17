package dev.patchgate.mirror;

import java.time.Instant;

/**
 * One line of {@code mirror ls}.
 *
 * @param url the URL it is stored under
 * @param length the content length in bytes
 * @param storedAt when it was committed
 * @param lastAccess when it was last served (or committed, if never)
 * @param hits how many times it was served
 * @param sha256 SHA-256 of the content
 */
public record ListedObject(
    String url, long length, Instant storedAt, Instant lastAccess, long hits, String sha256) {}
