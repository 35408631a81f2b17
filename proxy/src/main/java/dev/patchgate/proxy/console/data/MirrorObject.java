package dev.patchgate.proxy.console.data;

import java.time.Instant;
import java.util.Optional;

/**
 * One object of the mirror, as {@code mirror ls} lists it.
 *
 * @param url the URL it is stored under (its key), raw
 * @param shortUrl its display form
 * @param size its length in bytes
 * @param storedAt when it was committed
 * @param lastUse when it was last served, or empty when never
 * @param hits how many times it was served
 */
public record MirrorObject(
    String url,
    String shortUrl,
    long size,
    Instant storedAt,
    Optional<Instant> lastUse,
    long hits) {}
