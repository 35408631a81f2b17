package dev.patchgate.audit.anomaly;

import java.util.List;

/**
 * What the watch knows of one client's usual: the days it was seen on (as many as it takes to have
 * a baseline), its busiest hour of denied requests, the denied requests of the hour under way, and
 * its client groups.
 *
 * <p>Two streams feed it: the baseline read from the audit files at start ({@link #learnDenied})
 * and the live records ({@link #deniedNow}); each keeps its own hour under way, so that the two
 * never mix their counts. An hour is folded into the usual when its stream moves on, unless it was
 * itself a burst: the unusual does not become the usual. Thread-safe (one monitor per client).
 */
final class ClientUsual {
  private final long[] days;
  private final List<String> groups;
  private int dayCount;
  private long usual;
  private long liveHour = Long.MIN_VALUE;
  private long liveDenied;
  private boolean liveRaised;
  private long learnHour = Long.MIN_VALUE;
  private long learnDenied;

  /**
   * @param minBaselineDays the days seen that make a baseline; one more is kept, so that today is
   *     never one of them
   * @param groups the keys of the client's groups in the watch's table (made once here, not on
   *     every record), or empty
   */
  ClientUsual(int minBaselineDays, List<String> groups) {
    this.days = new long[minBaselineDays + 1];
    this.groups = List.copyOf(groups);
  }

  List<String> groups() {
    return groups;
  }

  /** Notes that the client was seen on UTC day {@code epochDay}. */
  synchronized void seen(long epochDay) {
    if (dayCount == days.length) {
      return;
    }
    for (int i = 0; i < dayCount; i++) {
      if (days[i] == epochDay) {
        return;
      }
    }
    days[dayCount++] = epochDay;
  }

  /** True when it was seen on at least {@code days.length - 1} days before {@code today}. */
  synchronized boolean hasBaseline(long today) {
    int before = 0;
    for (int i = 0; i < dayCount; i++) {
      if (days[i] < today) {
        before++;
      }
    }
    return before >= days.length - 1;
  }

  /** A baseline record: {@code count} denied requests in epoch hour {@code hour}. */
  synchronized void learnDenied(long hour, long count) {
    if (hour != learnHour) {
      usual = Math.max(usual, learnDenied);
      learnHour = hour;
      learnDenied = 0;
    }
    learnDenied += count;
  }

  /** The baseline has been read: its hour under way counts as usual. */
  synchronized void baselineRead() {
    usual = Math.max(usual, learnDenied);
    learnDenied = 0;
  }

  /**
   * A live record of {@code count} denied requests in epoch hour {@code hour}; returns the hour's
   * count so far when {@code judge} is set and it is the first time this hour is a burst (more than
   * {@code factor} times the usual, at least one, and at least {@code minDenied}), else {@code -1}.
   */
  synchronized long deniedNow(long hour, long count, boolean judge, double factor, long minDenied) {
    if (hour != liveHour) {
      if (!liveRaised) {
        usual = Math.max(usual, liveDenied);
      }
      liveHour = hour;
      liveDenied = 0;
      liveRaised = false;
    }
    liveDenied += count;
    if (!judge
        || liveRaised
        || liveDenied < minDenied
        || liveDenied <= factor * Math.max(1, usual)) {
      return -1;
    }
    liveRaised = true;
    return liveDenied;
  }

  /** The most denied requests in one hour known; 0 when it has had none. */
  synchronized long busiest() {
    return usual;
  }
}
