package dev.patchgate.mirror;

import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The fills under way, at most one per URL: who starts one and who joins it, whether the disk has
 * room for it, and the end of those that stall or outlive the store.
 *
 * <p><b>Threading.</b> Thread-safe and lock-free: a fill is registered with one {@code putIfAbsent}
 * on its key, and leaves the map when it settles. {@link #lease}, {@link #admit}, {@link
 * #spaceExhausted} and {@link #settled} never block beyond one {@code statvfs}; they run on the
 * event loops, the disk pool and the I/O thread alike. {@link #abortStalled} runs on the I/O
 * thread, {@link #abortAll} on the closing thread.
 */
final class InflightFills {
  /**
   * Fills under way at once, at most: far more than a hospital's distinct downloads in progress (a
   * Patch Tuesday is tens), and each holds two descriptors, so a flood of small misses stays well
   * inside the gateway's file limit. Beyond it, misses pass through unstored ({@link
   * FillOutcome#BUSY}).
   */
  static final int MAX_IN_PROGRESS = 512;

  private final int maxInProgress;
  private final MirrorStore store;
  private final MirrorSettings settings;
  private final UsableSpace space;
  private final MirrorMetrics metrics;
  private final UnreadFills unread;
  private final StoreEviction eviction;
  private final AtomicBoolean closed;
  private final ConcurrentHashMap<String, Fill> inflight = new ConcurrentHashMap<>();

  /**
   * @param store the store the fills commit into
   * @param closed the store's closed flag: no fill starts once it is set
   * @param maxInProgress fills under way at once, at most ({@link #MAX_IN_PROGRESS})
   */
  InflightFills(
      MirrorStore store,
      MirrorSettings settings,
      UsableSpace space,
      MirrorMetrics metrics,
      UnreadFills unread,
      StoreEviction eviction,
      AtomicBoolean closed,
      int maxInProgress) {
    this.maxInProgress = maxInProgress;
    this.store = store;
    this.settings = settings;
    this.space = space;
    this.metrics = metrics;
    this.unread = unread;
    this.eviction = eviction;
    this.closed = closed;
  }

  /** How many fills are under way. */
  int size() {
    return inflight.size();
  }

  /** See {@link MirrorStore#fill(MirrorKey, String, boolean)}. */
  FillLease lease(MirrorKey key, String client, boolean partial) {
    Objects.requireNonNull(key, "key");
    while (true) {
      if (closed.get()) {
        return notNow(FillOutcome.CLOSED);
      }
      Fill existing = inflight.get(key.hex());
      if (existing != null) {
        FillReader reader = existing.follow();
        if (reader != null) {
          return FillLease.follower(reader);
        }
        // It has settled and let go of its file; it is leaving the map.
        inflight.remove(key.hex(), existing);
        continue;
      }
      long usable = usable();
      if (usable < settings.minFreeBytes()) {
        eviction.requestRoom(settings.minFreeBytes() - usable);
        return notNow(FillOutcome.DISK_FULL);
      }
      if (inflight.size() >= maxInProgress) {
        return notNow(FillOutcome.BUSY);
      }
      boolean bounded = partial && client != null;
      if (bounded && !unread.tryAdd(client, settings.maxUnreadFillsPerClient())) {
        return notNow(FillOutcome.UNREAD_LIMIT);
      }
      Fill fill = new Fill(store, key, client, bounded);
      if (inflight.putIfAbsent(key.hex(), fill) != null) {
        if (bounded) {
          unread.remove(client); // another request started this URL's fill meanwhile: join it
        }
        continue;
      }
      if (closed.get()) {
        fill.abort(FillOutcome.CLOSED);
        return notNow(FillOutcome.CLOSED);
      }
      return FillLease.filler(new FillWriter(fill));
    }
  }

  private FillLease notNow(FillOutcome reason) {
    metrics.fill(reason);
    return FillLease.notNow(reason);
  }

  /**
   * Whether a fill that will write {@code declared} bytes (-1: unknown) fits: usable space minus
   * what other fills have declared and not yet written must stay above {@code minFreeBytes}. Asks
   * eviction for the difference when it does not.
   */
  boolean admit(Fill fill, long declared) {
    long reserved = 0;
    for (Fill other : inflight.values()) {
      if (other != fill) {
        reserved += other.reservedRemaining();
      }
    }
    long deficit = settings.minFreeBytes() + Math.max(0, declared) + reserved - usable();
    if (deficit > 0) {
      eviction.requestRoom(deficit);
      return false;
    }
    return true;
  }

  /** Whether usable space fell below half the floor: fills in progress stop. */
  boolean spaceExhausted() {
    return usable() < settings.minFreeBytes() / 2;
  }

  private long usable() {
    try {
      return space.bytes();
    } catch (IOException e) {
      metrics.error("usable-space");
      return 0;
    }
  }

  /** {@code fill} has its final outcome: it leaves the map and is counted. */
  void settled(Fill fill, FillOutcome outcome) {
    inflight.remove(fill.key().hex(), fill);
    metrics.fill(outcome);
  }

  /** Aborts every fill still receiving that has made no progress for {@code limitMillis}. */
  void abortStalled(long nowMillis, long limitMillis) {
    for (Fill f : inflight.values()) {
      FillState s = f.state();
      boolean receiving = s == FillState.PENDING || s == FillState.STREAMING;
      if (receiving && nowMillis - f.lastProgressMillis() >= limitMillis) {
        f.abort(FillOutcome.STALLED);
      }
    }
  }

  /** Aborts every fill still receiving with {@link FillOutcome#CLOSED}; committing ones finish. */
  void abortAll() {
    for (Fill f : inflight.values()) {
      f.abort(FillOutcome.CLOSED);
    }
  }
}
