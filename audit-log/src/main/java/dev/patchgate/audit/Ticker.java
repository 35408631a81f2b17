package dev.patchgate.audit;

/**
 * The time source that measures intervals, in nanoseconds of a monotonic clock: the one seam
 * through which the audit writer and the gateway measure durations, so tests can move time (like
 * Caffeine's {@code Ticker}). Wall-clock dates come from a {@link java.time.Clock} instead.
 *
 * <p>Implementations must be thread-safe; only differences between two readings mean anything.
 */
@FunctionalInterface
public interface Ticker {
  /** {@link System#nanoTime()}. */
  Ticker SYSTEM = System::nanoTime;

  /** The current reading, in nanoseconds. */
  long read();
}
