package dev.patchgate.audit.alert;

import java.time.Duration;

/**
 * How a channel retries: each alert gets up to {@code maxAttempts} attempts; after a failure the
 * channel waits, starting at {@code initialBackoff} and doubling up to {@code maxBackoff}. The wait
 * carries over from one alert to the next and starts again only after a success, so a collector
 * that is down for an hour is tried at the slow pace, not hammered anew for every alert.
 *
 * @param initialBackoff the wait after the first failure; positive
 * @param maxBackoff the longest wait; at least {@code initialBackoff}
 * @param maxAttempts attempts per alert before it is given up; at least 1
 */
record RetryPolicy(Duration initialBackoff, Duration maxBackoff, int maxAttempts) {
  /** 1 s, 2 s, 4 s ... up to 60 s; 5 attempts per alert. */
  static final RetryPolicy DEFAULT =
      new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(60), 5);

  RetryPolicy {
    if (initialBackoff.isNegative() || initialBackoff.isZero()) {
      throw new IllegalArgumentException("initialBackoff: " + initialBackoff + " (expected: > 0)");
    }
    if (maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException(
          "maxBackoff: " + maxBackoff + " (expected: >= initialBackoff " + initialBackoff + ")");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts: " + maxAttempts + " (expected: >= 1)");
    }
  }

  /** The wait after {@code current}: doubled, capped. */
  Duration next(Duration current) {
    Duration doubled = current.multipliedBy(2);
    return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
  }
}
