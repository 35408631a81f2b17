package dev.patchgate.proxy.exchange;

import dev.patchgate.audit.AuditDecision;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The proxy's requests of the last hour, by minute and decision, for the console's Overview chart:
 * a ring of {@value #MINUTES} minute slots per decision, kept in memory (a restart empties it).
 *
 * <p>Each slot holds its minute and its count packed in one {@code long}, so that a slot left from
 * an older minute is reset and counted in the same compare-and-set: {@link #count} is O(1),
 * lock-free and allocates nothing, as it runs on the request path for every finished request.
 * Thread-safe.
 */
public final class RequestsPerMinute {
  /** How many minutes the ring keeps. */
  public static final int MINUTES = 60;

  private static final int COUNT_BITS = 37;
  private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;
  private static final AuditDecision[] DECISIONS = AuditDecision.values();

  private final InstantSource clock;
  private final AtomicLongArray slots = new AtomicLongArray(MINUTES * DECISIONS.length);

  /**
   * One minute's requests.
   *
   * @param minute the minute's start
   */
  public record Minute(Instant minute, long allow, long deny, long error) {
    /** All three together. */
    public long total() {
      return allow + deny + error;
    }
  }

  public RequestsPerMinute(InstantSource clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Counts {@code n} requests decided {@code decision}, in the clock's current minute. */
  public void count(AuditDecision decision, long n) {
    long minute = Math.floorDiv(clock.millis(), 60_000L);
    if (minute < 0 || n <= 0) {
      return;
    }
    int slot = (int) (minute % MINUTES) * DECISIONS.length + decision.ordinal();
    while (true) {
      long held = slots.get(slot);
      long heldMinute = held >>> COUNT_BITS;
      long next;
      if (heldMinute == minute) {
        next = pack(minute, Math.min(COUNT_MASK, (held & COUNT_MASK) + n));
      } else if (heldMinute < minute) {
        next = pack(minute, Math.min(COUNT_MASK, n));
      } else {
        // The clock stepped back past this slot's minute: the newer count stands.
        return;
      }
      if (slots.compareAndSet(slot, held, next)) {
        return;
      }
    }
  }

  /** The last {@value #MINUTES} minutes up to the current one, oldest first; quiet ones are 0. */
  public List<Minute> lastHour() {
    long now = Math.floorDiv(clock.millis(), 60_000L);
    List<Minute> hour = new ArrayList<>(MINUTES);
    for (long minute = now - MINUTES + 1; minute <= now; minute++) {
      long[] counts = new long[DECISIONS.length];
      if (minute >= 0) {
        int base = (int) (minute % MINUTES) * DECISIONS.length;
        for (int d = 0; d < DECISIONS.length; d++) {
          long held = slots.get(base + d);
          counts[d] = held >>> COUNT_BITS == minute ? held & COUNT_MASK : 0;
        }
      }
      hour.add(
          new Minute(
              Instant.ofEpochSecond(minute * 60),
              counts[AuditDecision.ALLOW.ordinal()],
              counts[AuditDecision.DENY.ordinal()],
              counts[AuditDecision.ERROR.ordinal()]));
    }
    return hour;
  }

  private static long pack(long minute, long count) {
    return minute << COUNT_BITS | count;
  }
}
