package dev.patchgate.mirror;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

/**
 * The content of small stored objects, kept in memory as well as on disk so that a hit on one costs
 * no {@code open(2)}, the way Squid's {@code cache_mem} serves its hot small objects.
 *
 * <p>A Caffeine cache weighed by bytes: its frequency-based admission keeps the often-asked small
 * objects (signature pieces, catalogue parts, package indexes) against a scan of once-asked ones.
 * The disk store is the record: an entry here is only a copy, keyed by the object's data file name,
 * which changes with every commit, so a replaced object is never answered with its old bytes.
 *
 * <p>Thread-safe.
 */
final class MemoryTier {
  /** What an entry costs besides its bytes: the array header, the key, the cache's node. */
  private static final int ENTRY_OVERHEAD = 160;

  private final Cache<String, byte[]> cache;
  private final int maxObjectBytes;

  /**
   * @param maxBytes the most memory held; 0 turns the tier off
   * @param maxObjectBytes the largest object held
   */
  MemoryTier(long maxBytes, int maxObjectBytes) {
    this.maxObjectBytes = maxObjectBytes;
    this.cache =
        maxBytes == 0 || maxObjectBytes == 0
            ? null
            : Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((String name, byte[] bytes) -> bytes.length + ENTRY_OVERHEAD)
                .executor(Runnable::run)
                .build();
  }

  /** Whether an object of {@code length} bytes is kept here. */
  boolean holds(long length) {
    return cache != null && length <= maxObjectBytes;
  }

  /** The bytes held for the data file {@code dataName}, or null. */
  byte[] get(String dataName) {
    return cache == null ? null : cache.getIfPresent(dataName);
  }

  void put(String dataName, byte[] content) {
    if (cache != null) {
      cache.put(dataName, content);
    }
  }

  /** Forgets the data file {@code dataName} (evicted, purged, replaced or quarantined). */
  void forget(String dataName) {
    if (cache != null) {
      cache.invalidate(dataName);
    }
  }

  /** The memory held, in bytes (overhead included). */
  long bytes() {
    return cache == null ? 0 : cache.policy().eviction().orElseThrow().weightedSize().orElse(0);
  }
}
