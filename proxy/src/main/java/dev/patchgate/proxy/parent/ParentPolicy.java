package dev.patchgate.proxy.parent;

import java.util.ArrayList;
import java.util.List;

/**
 * Which parents to try, in which order: every configured parent in its configured order, except
 * those that failed to connect {@code connectFailLimit} times in a row (Squid's {@code
 * connect-fail-limit}), which are skipped until {@code retryNanos} have passed. After that the
 * parent is tried again; one more failure skips it for another period, and one success clears its
 * count.
 *
 * <p>Pure: time is given by the caller (a {@code Ticker}'s reading), nothing is dialled here.
 * Thread-safe (every request path and mirror fill reports to the same instance).
 */
final class ParentPolicy {
  private final int connectFailLimit;
  private final long retryNanos;
  private final int[] failuresInARow;
  // Set whenever a count reaches (or, after a skip, stays at) the limit; read only while it is
  // there, so a count at the limit is what a skip is: no separate flag to keep in step.
  private final long[] skippedUntil;

  /**
   * @param parents how many parents there are; they are named by their index from here on
   * @param connectFailLimit failures in a row that skip a parent, at least 1
   * @param retryNanos how long a skipped parent stays skipped, positive
   */
  ParentPolicy(int parents, int connectFailLimit, long retryNanos) {
    if (connectFailLimit < 1 || retryNanos <= 0) {
      throw new IllegalArgumentException(
          "connectFailLimit: "
              + connectFailLimit
              + ", retryNanos: "
              + retryNanos
              + " (expected: > 0)");
    }
    this.connectFailLimit = connectFailLimit;
    this.retryNanos = retryNanos;
    this.failuresInARow = new int[parents];
    this.skippedUntil = new long[parents];
  }

  /** The parents to try now, by index, in the configured order; empty when every one is skipped. */
  synchronized List<Integer> order(long now) {
    List<Integer> order = new ArrayList<>(failuresInARow.length);
    for (int i = 0; i < failuresInARow.length; i++) {
      if (!skipped(i, now)) {
        order.add(i);
      }
    }
    return order;
  }

  /** True while parent {@code i} is skipped. */
  synchronized boolean skipped(int i, long now) {
    return failuresInARow[i] == connectFailLimit && now - skippedUntil[i] < 0;
  }

  /** A connection to parent {@code i} was made: it is up, its count starts again. */
  synchronized void connected(int i) {
    failuresInARow[i] = 0;
  }

  /**
   * A connection to parent {@code i} failed at {@code now}.
   *
   * @return true when this failure starts a skip (the limit was reached, or a parent tried again
   *     after its skip failed once more)
   */
  synchronized boolean failed(int i, long now) {
    if (skipped(i, now)) {
      return false; // a connection begun before the skip started; the skip stands as it is
    }
    failuresInARow[i] = Math.min(failuresInARow[i] + 1, connectFailLimit);
    if (failuresInARow[i] < connectFailLimit) {
      return false;
    }
    skippedUntil[i] = now + retryNanos;
    return true;
  }
}
