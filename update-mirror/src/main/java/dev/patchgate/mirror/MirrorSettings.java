package dev.patchgate.mirror;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The store's configuration, read once from {@code patchgate.mirror.*}.
 *
 * @param dir the store directory ({@code patchgate.mirror.dir})
 * @param maxSizeBytes the most content the store keeps; beyond it the least recently used objects
 *     are deleted ({@code mirror.max-size}, e.g. 50g). Fills in progress come on top.
 * @param maxObjectSizeBytes the largest object stored; a larger response passes through unstored
 *     ({@code mirror.max-object-size}); at most {@code maxSizeBytes}
 * @param minFreeBytes fills stop while the file system has less usable space than this, and
 *     requests pass through ({@code mirror.min-free})
 * @param maxRangesPerRequest a Range header naming more ranges than this is ignored and the whole
 *     object is sent ({@code mirror.max-ranges}), 1 to 1000
 * @param accessFlushInterval how often hit counts and last-access times reach the meta files
 * @param fillStallTimeout a fill that receives nothing for this long is aborted, so a caller that
 *     lost track of its fill cannot block a URL for ever; longer than the upstream idle timeout
 */
public record MirrorSettings(
    Path dir,
    long maxSizeBytes,
    long maxObjectSizeBytes,
    long minFreeBytes,
    int maxRangesPerRequest,
    Duration accessFlushInterval,
    Duration fillStallTimeout) {
  /** 50 GiB. */
  public static final long DEFAULT_MAX_SIZE = 50L << 30;

  /** 16 GiB: Windows feature updates exceed 5 GB. */
  public static final long DEFAULT_MAX_OBJECT_SIZE = 16L << 30;

  /** 2 GiB. */
  public static final long DEFAULT_MIN_FREE = 2L << 30;

  /** 16 ranges. */
  public static final int DEFAULT_MAX_RANGES = 16;

  /**
   * @throws IllegalArgumentException naming the first value out of range and what is expected
   */
  public MirrorSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(accessFlushInterval, "accessFlushInterval");
    Objects.requireNonNull(fillStallTimeout, "fillStallTimeout");
    if (maxSizeBytes < 1) {
      throw new IllegalArgumentException("maxSizeBytes: " + maxSizeBytes + " (expected: > 0)");
    }
    if (maxObjectSizeBytes < 1 || maxObjectSizeBytes > maxSizeBytes) {
      throw new IllegalArgumentException(
          "maxObjectSizeBytes: "
              + maxObjectSizeBytes
              + " (expected: > 0 and <= maxSizeBytes "
              + maxSizeBytes
              + ")");
    }
    if (minFreeBytes < 0) {
      throw new IllegalArgumentException("minFreeBytes: " + minFreeBytes + " (expected: >= 0)");
    }
    if (maxRangesPerRequest < 1 || maxRangesPerRequest > 1000) {
      throw new IllegalArgumentException(
          "maxRangesPerRequest: " + maxRangesPerRequest + " (expected: 1 to 1000)");
    }
    if (accessFlushInterval.isNegative() || accessFlushInterval.isZero()) {
      throw new IllegalArgumentException(
          "accessFlushInterval: " + accessFlushInterval + " (expected: > 0)");
    }
    if (fillStallTimeout.isNegative() || fillStallTimeout.isZero()) {
      throw new IllegalArgumentException(
          "fillStallTimeout: " + fillStallTimeout + " (expected: > 0)");
    }
  }

  /** The defaults for a store in {@code dir}: 50 GiB, 16 GiB objects, 2 GiB free, 16 ranges. */
  public static MirrorSettings defaults(Path dir) {
    return new MirrorSettings(
        dir,
        DEFAULT_MAX_SIZE,
        DEFAULT_MAX_OBJECT_SIZE,
        DEFAULT_MIN_FREE,
        DEFAULT_MAX_RANGES,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5));
  }

  /** These settings with another size limit and object size limit. */
  public MirrorSettings withSizes(long maxSize, long maxObjectSize) {
    return new MirrorSettings(
        dir,
        maxSize,
        maxObjectSize,
        minFreeBytes,
        maxRangesPerRequest,
        accessFlushInterval,
        fillStallTimeout);
  }

  /** These settings with another free-space floor. */
  public MirrorSettings withMinFree(long minFree) {
    return new MirrorSettings(
        dir,
        maxSizeBytes,
        maxObjectSizeBytes,
        minFree,
        maxRangesPerRequest,
        accessFlushInterval,
        fillStallTimeout);
  }
}
