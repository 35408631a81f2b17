package dev.patchgate.proxy.request;

import dev.patchgate.allowlist.RequestRate;
import dev.patchgate.audit.Ticker;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Each client address's request rate: a token bucket of {@code burst} tokens refilled at {@code
 * perSecond} a second, one token a request, so that one infected PC cannot flood the gateway and
 * its audit log.
 *
 * <p>The bucket is kept as one number a client, its theoretical arrival time (the generic cell rate
 * algorithm, which is a token bucket): a request at {@code now} is admitted while {@code tat - now}
 * stays within {@code (burst - 1)} intervals, and moves {@code tat} one interval ({@code 1/rate})
 * on. A bucket whose {@code tat} has passed is full, and so the same as no bucket at all: {@link
 * #sweep} drops those, so only clients that sent requests in the last {@code burst / rate} seconds
 * are kept. At most {@code maxClients} are tracked at once (about 100 bytes each); a new client
 * beyond that is admitted unlimited until a sweep makes room, which {@link #untracked} counts:
 * failing open here harms no one, since every request still goes through the policy and the audit
 * log.
 *
 * <p>The rate is passed in on each call (the client group's own, or the gateway's), so a reloaded
 * allowlist applies at once. Time comes from the ticker only. Thread-safe and lock-free: any event
 * loop may call it.
 *
 * <p>Public for the gateway's wiring.
 */
public final class ClientRateLimiter {
  /** How many clients are tracked at once unless told otherwise. */
  public static final int DEFAULT_MAX_CLIENTS = 100_000;

  private static final long NANOS_PER_SECOND = TimeUnit.SECONDS.toNanos(1);

  private final Ticker ticker;
  private final int maxClients;
  private final Map<InetAddress, AtomicLong> buckets = new ConcurrentHashMap<>();
  private final AtomicLong untracked = new AtomicLong();

  public ClientRateLimiter(Ticker ticker, int maxClients) {
    this.ticker = ticker;
    this.maxClients = maxClients;
  }

  /**
   * Takes a token for one request of {@code client} at {@code rate}.
   *
   * @return 0 when the request is within the rate; otherwise the nanoseconds until a token is there
   *     (at least 1), and no token was taken
   */
  public long acquire(InetAddress client, RequestRate rate) {
    if (rate.unlimited()) {
      return 0;
    }
    long now = ticker.read();
    AtomicLong bucket = buckets.get(client);
    if (bucket == null) {
      if (buckets.size() >= maxClients) {
        untracked.incrementAndGet();
        return 0;
      }
      bucket = buckets.computeIfAbsent(client, c -> new AtomicLong(now));
    }
    long interval = Math.max(1, NANOS_PER_SECOND / rate.perSecond());
    long tolerance = interval * (rate.burst() - 1L);
    while (true) {
      long tat = bucket.get();
      // A tat long past is a full bucket; difference arithmetic keeps the ticker's wrap harmless.
      long start = tat - now < 0 ? now : tat;
      long ahead = start - now;
      if (ahead > tolerance) {
        return Math.max(1, ahead - tolerance);
      }
      if (bucket.compareAndSet(tat, start + interval)) {
        return 0;
      }
    }
  }

  /**
   * The whole seconds a client must wait for {@code nanos}, as {@code Retry-After} says them:
   * rounded up, at least 1.
   */
  public static long retryAfterSeconds(long nanos) {
    return Math.max(1, (nanos + NANOS_PER_SECOND - 1) / NANOS_PER_SECOND);
  }

  /** Drops the buckets that are full again (their clients went quiet); call about once a second. */
  public void sweep() {
    long now = ticker.read();
    buckets.values().removeIf(bucket -> bucket.get() - now <= 0);
  }

  /** How many clients are tracked now. */
  public int trackedClients() {
    return buckets.size();
  }

  /** Requests admitted unlimited because {@code maxClients} were already tracked. */
  public long untracked() {
    return untracked.get();
  }
}
