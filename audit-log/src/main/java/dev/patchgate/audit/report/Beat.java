package dev.patchgate.audit.report;

import dev.patchgate.audit.anomaly.AnomalySettings;

/**
 * The rhythm of one client's denied requests to one host, kept as they arrive in time order: the
 * current run of attempts whose gaps stay within the longest gap, and the longest run that was a
 * steady beat. Memory is constant whatever the number of attempts (the gaps' mean and spread are
 * kept with Welford's running sums). Not thread-safe. The live watch's own {@code anomaly.Beat}
 * judges a sliding window instead; both apply {@link AnomalySettings#BEACON_MIN_MEAN_GAP_MILLIS}.
 */
final class Beat {
  private final long maxGapMillis;
  private final int minAttempts;
  private final double maxSpread;

  // The current run.
  private int attempts;
  private long first;
  private long last;
  private double mean;
  private double m2;
  private long minGap;
  private long maxGap;

  // The best run that was a beat, or bestAttempts == 0.
  private int bestAttempts;
  private long bestFirst;
  private long bestLast;
  private double bestMean;
  private double bestSpread;
  private long bestMinGap;
  private long bestMaxGap;

  /**
   * @param maxGapMillis a longer gap ends a run
   * @param minAttempts a run needs this many attempts to be judged
   * @param maxSpread the largest spread (standard deviation over mean of the gaps) of a beat
   */
  Beat(long maxGapMillis, int minAttempts, double maxSpread) {
    this.maxGapMillis = maxGapMillis;
    this.minAttempts = minAttempts;
    this.maxSpread = maxSpread;
  }

  /** Takes one attempt at {@code millis}; an attempt out of time order counts as a gap of 0. */
  void add(long millis) {
    if (attempts > 0 && millis - last > maxGapMillis) {
      close();
      attempts = 0;
    }
    if (attempts == 0) {
      attempts = 1;
      first = millis;
      last = millis;
      mean = 0;
      m2 = 0;
      minGap = Long.MAX_VALUE;
      maxGap = 0;
      return;
    }
    long gap = Math.max(0, millis - last);
    last = Math.max(last, millis);
    attempts++;
    double delta = gap - mean;
    mean += delta / (attempts - 1);
    m2 += delta * (gap - mean);
    minGap = Math.min(minGap, gap);
    maxGap = Math.max(maxGap, gap);
  }

  /** Whether some run so far (the current one included) was a steady beat. */
  boolean found() {
    close();
    return bestAttempts > 0;
  }

  int attempts() {
    return bestAttempts;
  }

  long first() {
    return bestFirst;
  }

  long last() {
    return bestLast;
  }

  /** The mean gap of the best run, in milliseconds. */
  double meanGap() {
    return bestMean;
  }

  /** Standard deviation over mean of the best run's gaps. */
  double spread() {
    return bestSpread;
  }

  long minGap() {
    return bestMinGap;
  }

  long maxGap() {
    return bestMaxGap;
  }

  private void close() {
    if (attempts >= minAttempts
        && attempts > bestAttempts
        && mean >= AnomalySettings.BEACON_MIN_MEAN_GAP_MILLIS) {
      double spread = Math.sqrt(m2 / (attempts - 1)) / mean;
      if (spread <= maxSpread) {
        bestAttempts = attempts;
        bestFirst = first;
        bestLast = last;
        bestMean = mean;
        bestSpread = spread;
        bestMinGap = minGap;
        bestMaxGap = maxGap;
      }
    }
  }
}
