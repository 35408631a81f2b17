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
 * @param memoryBytes the most content of small objects also kept in memory, so that their hits cost
 *     no file open ({@code mirror.memory-cache}, like Squid's {@code cache_mem}); 0 turns the
 *     memory cache off
 * @param memoryMaxObjectBytes the largest object kept in memory ({@code
 *     mirror.memory-max-object-size}, like Squid's {@code maximum_object_size_in_memory}), at most
 *     {@value #MAX_MEMORY_OBJECT}
 * @param maxUnreadFillsPerClient how many fills one client may have started that run with nobody
 *     reading them (its followers all left; one a range started counts from the start, its client
 *     asked for a part only); beyond it, that client's range requests for objects not stored start
 *     no fill ({@code mirror.max-unread-fills-per-client}), 0 to {@value
 *     #MAX_UNREAD_FILLS_PER_CLIENT}; 0: a range request never starts a fill
 */
public record MirrorSettings(
    Path dir,
    long maxSizeBytes,
    long maxObjectSizeBytes,
    long minFreeBytes,
    int maxRangesPerRequest,
    Duration accessFlushInterval,
    Duration fillStallTimeout,
    long memoryBytes,
    int memoryMaxObjectBytes,
    int maxUnreadFillsPerClient) {
  /** 50 GiB. */
  public static final long DEFAULT_MAX_SIZE = 50L << 30;

  /** 16 GiB: Windows feature updates exceed 5 GB. */
  public static final long DEFAULT_MAX_OBJECT_SIZE = 16L << 30;

  /** 2 GiB. */
  public static final long DEFAULT_MIN_FREE = 2L << 30;

  /** 32 MiB of small objects in memory. */
  public static final long DEFAULT_MEMORY = 32L << 20;

  /** 64 KiB: signature updates, catalogue pieces and package indexes are smaller. */
  public static final int DEFAULT_MEMORY_MAX_OBJECT = 64 << 10;

  /** The largest object the memory cache can hold: 1 MiB. */
  public static final int MAX_MEMORY_OBJECT = 1 << 20;

  /** 2 fills: a client downloading in ranges reads its fills, so it never has many unread. */
  public static final int DEFAULT_MAX_UNREAD_FILLS_PER_CLIENT = 2;

  /** The largest {@code maxUnreadFillsPerClient} accepted. */
  public static final int MAX_UNREAD_FILLS_PER_CLIENT = 1000;

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
    if (memoryBytes < 0) {
      throw new IllegalArgumentException("memoryBytes: " + memoryBytes + " (expected: >= 0)");
    }
    if (memoryMaxObjectBytes < 0 || memoryMaxObjectBytes > MAX_MEMORY_OBJECT) {
      throw new IllegalArgumentException(
          "memoryMaxObjectBytes: "
              + memoryMaxObjectBytes
              + " (expected: 0 to "
              + MAX_MEMORY_OBJECT
              + ")");
    }
    if (maxUnreadFillsPerClient < 0 || maxUnreadFillsPerClient > MAX_UNREAD_FILLS_PER_CLIENT) {
      throw new IllegalArgumentException(
          "maxUnreadFillsPerClient: "
              + maxUnreadFillsPerClient
              + " (expected: 0 to "
              + MAX_UNREAD_FILLS_PER_CLIENT
              + ")");
    }
  }

  /**
   * The defaults for a store in {@code dir}: 50 GiB, 16 GiB objects, 2 GiB free, 16 ranges, 32 MiB
   * of objects up to 64 KiB in memory, 2 unread fills per client.
   */
  public static MirrorSettings defaults(Path dir) {
    return new MirrorSettings(
        dir,
        DEFAULT_MAX_SIZE,
        DEFAULT_MAX_OBJECT_SIZE,
        DEFAULT_MIN_FREE,
        DEFAULT_MAX_RANGES,
        Duration.ofSeconds(30),
        Duration.ofMinutes(5),
        DEFAULT_MEMORY,
        DEFAULT_MEMORY_MAX_OBJECT,
        DEFAULT_MAX_UNREAD_FILLS_PER_CLIENT);
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
        fillStallTimeout,
        memoryBytes,
        memoryMaxObjectBytes,
        maxUnreadFillsPerClient);
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
        fillStallTimeout,
        memoryBytes,
        memoryMaxObjectBytes,
        maxUnreadFillsPerClient);
  }

  /** These settings with another memory cache size and largest object in memory. */
  public MirrorSettings withMemory(long memory, int memoryMaxObject) {
    return new MirrorSettings(
        dir,
        maxSizeBytes,
        maxObjectSizeBytes,
        minFreeBytes,
        maxRangesPerRequest,
        accessFlushInterval,
        fillStallTimeout,
        memory,
        memoryMaxObject,
        maxUnreadFillsPerClient);
  }

  /** These settings with another bound on the fills per client that nobody reads. */
  public MirrorSettings withMaxUnreadFillsPerClient(int max) {
    return new MirrorSettings(
        dir,
        maxSizeBytes,
        maxObjectSizeBytes,
        minFreeBytes,
        maxRangesPerRequest,
        accessFlushInterval,
        fillStallTimeout,
        memoryBytes,
        memoryMaxObjectBytes,
        max);
  }
}
