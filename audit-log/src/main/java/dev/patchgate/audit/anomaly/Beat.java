package dev.patchgate.audit.anomaly;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;

/**
 * The last few denied requests of one client to one host, and whether they keep a steady beat.
 *
 * <p>A ring of arrival times (epoch milliseconds): a fixed {@code 8 * attempts} bytes whatever the
 * traffic. Records finish out of order (a slow exchange ends after a quick later one), so the times
 * are sorted before they are judged. Thread-safe: the two requests of one pair that finish at once
 * on two event loops take the monitor in turn; requests of other pairs never meet here.
 */
final class Beat {
  static final long MIN_MEAN_GAP_MILLIS = AnomalySettings.BEACON_MIN_MEAN_GAP_MILLIS;

  private final long[] times;
  private int next;
  private int size;

  Beat(int attempts) {
    this.times = new long[attempts];
  }

  /**
   * Adds the attempt at {@code millis}; returns the rhythm of the last {@code attempts} attempts
   * when they keep a beat, else {@code null} (also while fewer have been seen since the last beat
   * was returned).
   */
  synchronized Rhythm add(long millis, Duration maxGap, double maxSpread) {
    times[next] = millis;
    next = (next + 1) % times.length;
    if (size < times.length) {
      size++;
    }
    if (size < times.length) {
      return null;
    }
    Rhythm rhythm = Rhythm.of(times.clone(), maxGap.toMillis(), maxSpread);
    if (rhythm != null) {
      // The next raise takes as many attempts again: one per run, which the alert counts.
      size = 0;
    }
    return rhythm;
  }

  /**
   * The beat of a run of attempts: their mean gap and its spread (standard deviation over mean).
   *
   * @param attempts how many attempts it is made of
   */
  record Rhythm(int attempts, long meanGapMillis, double spread) {

    /**
     * The rhythm of {@code times} (any order; sorted in place) when every gap is at most {@code
     * maxGapMillis}, the mean gap at least {@link #MIN_MEAN_GAP_MILLIS}, and the spread at most
     * {@code maxSpread}; else {@code null}. Pure.
     */
    static Rhythm of(long[] times, long maxGapMillis, double maxSpread) {
      Arrays.sort(times);
      int gaps = times.length - 1;
      if (gaps < 2) {
        return null;
      }
      double sum = 0;
      for (int i = 0; i < gaps; i++) {
        long gap = times[i + 1] - times[i];
        if (gap > maxGapMillis) {
          return null;
        }
        sum += gap;
      }
      double mean = sum / gaps;
      if (mean < MIN_MEAN_GAP_MILLIS) {
        return null;
      }
      double squares = 0;
      for (int i = 0; i < gaps; i++) {
        double d = (times[i + 1] - times[i]) - mean;
        squares += d * d;
      }
      double spread = Math.sqrt(squares / gaps) / mean;
      return spread <= maxSpread ? new Rhythm(times.length, Math.round(mean), spread) : null;
    }

    /** For the alert's detail: {@code 8 denied requests 5.0 s apart (spread 0.02)}. */
    String describe() {
      return String.format(
          Locale.ROOT,
          "%d denied requests %s apart (spread %.2f)",
          attempts,
          seconds(meanGapMillis),
          spread);
    }

    private static String seconds(long millis) {
      if (millis >= 60_000) {
        return String.format(Locale.ROOT, "%.1f min", millis / 60_000.0);
      }
      return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
    }
  }
}
