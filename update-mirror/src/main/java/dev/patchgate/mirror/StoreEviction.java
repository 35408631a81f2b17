package dev.patchgate.mirror;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Removes committed objects, least recently used first: down to a low-water mark when the store
 * grows over {@code max-size}, as much as a fill asks for when the disk runs low, and as much as
 * the gateway asks for when the audit log's file system (the same one) runs low.
 *
 * <p><b>Threading.</b> {@link #evictIfNeeded} runs on the store's I/O thread (after a commit), or
 * on the opening thread before the I/O thread starts. {@link #requestRoom} may be called from any
 * thread and never blocks: requests are merged (the largest wins) into at most one pending run on
 * the I/O thread, which deletes the files. Thread-safe.
 */
final class StoreEviction {
  private final CommittedObjects objects;
  private final long maxSizeBytes;
  private final MirrorMetrics metrics;
  private final Executor io;
  private final AtomicLong roomWanted = new AtomicLong();
  private final AtomicBoolean roomScheduled = new AtomicBoolean();

  /**
   * @param io the store's I/O thread; a task it rejects (the store is closing) is dropped
   */
  StoreEviction(CommittedObjects objects, long maxSizeBytes, MirrorMetrics metrics, Executor io) {
    this.objects = objects;
    this.maxSizeBytes = maxSizeBytes;
    this.metrics = metrics;
    this.io = io;
  }

  /**
   * Evicts down to 95% of max-size if the store is over it, never {@code keep} (the new commit;
   * null for none). Counted in {@code patchgate.mirror.evictions{cause=size}}.
   */
  void evictIfNeeded(StoredObject keep) {
    long max = maxSizeBytes;
    if (objects.bytes() <= max) {
      return;
    }
    // Down to a low-water mark, so the sort behind the LRU order runs once per 5% of max-size.
    long target = max - max / 20;
    for (StoredObject o : objects.leastRecentlyUsedFirst()) {
      if (objects.bytes() <= target) {
        break;
      }
      if (o != keep && objects.remove(o)) {
        metrics.eviction("size");
      }
    }
  }

  /**
   * Asks the I/O thread to free at least {@code bytes} of stored objects. Counted in {@code
   * patchgate.mirror.evictions{cause=space}}.
   */
  void requestRoom(long bytes) {
    roomWanted.accumulateAndGet(bytes, Math::max);
    if (roomScheduled.compareAndSet(false, true)) {
      try {
        io.execute(this::makeRoom);
      } catch (RejectedExecutionException e) {
        roomScheduled.set(false);
      }
    }
  }

  private void makeRoom() {
    roomScheduled.set(false);
    evictLeastRecentlyUsed(roomWanted.getAndSet(0), "space");
  }

  /**
   * Removes objects, least recently used first, until their lengths add up to {@code bytes} or the
   * store is empty; each counted in {@code patchgate.mirror.evictions{cause}}. Returns the bytes
   * freed. On the I/O thread.
   */
  long evictLeastRecentlyUsed(long bytes, String cause) {
    long freed = 0;
    for (StoredObject o : objects.leastRecentlyUsedFirst()) {
      if (freed >= bytes) {
        break;
      }
      if (objects.remove(o)) {
        freed += o.length();
        metrics.eviction(cause);
      }
    }
    return freed;
  }
}
