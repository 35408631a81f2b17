package dev.patchgate.audit.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BeatTest {
  private static final Duration MAX_GAP = Duration.ofHours(6);

  /** Gaps in seconds between eight attempts; whether they are a beat at a spread of 0.1. */
  @ParameterizedTest(name = "{0}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        // malware calling home every 5 s
        "5 5 5 5 5 5 5                | true  | steady 5 s beat",
        // a timer with a little jitter (within 10%)
        "60 58 61 62 59 60 60         | true  | one minute, jittery by a second or two",
        // a beat every 5 h is still a beat
        "18000 18000 18000 18000 18000 18000 18000 | true | five hours",
        // an application backing off after failures: doubling gaps
        "1 2 4 8 16 32 64             | false | exponential back-off",
        // a person retrying by hand
        "3 40 7 300 12 90 25          | false | irregular retries",
        // steady, but one gap over max-gap (6 h): a retry next morning is not a beat
        "3600 3600 3600 3600 3600 3600 30000 | false | one gap over six hours",
        // a page's parallel requests
        "0 0 0 0 0 0 0                | false | all at once",
        // a client retrying in a tight loop, steadily: a burst, not a call home
        "0.2 0.2 0.2 0.2 0.2 0.2 0.2  | false | five a second",
        // the slowest beat of a one-second timer
        "1 1 1 1 1 1 1                | true  | one a second",
      })
  void aRunOfEightAttemptsIsABeatOnlyWhenItsGapsAreSteady(String gaps, boolean beat, String what) {
    long[] times = times(gaps);

    Beat.Rhythm rhythm = Beat.Rhythm.of(times, MAX_GAP.toMillis(), 0.1);

    assertThat(rhythm != null).as(what).isEqualTo(beat);
  }

  @Test
  void theRhythmNamesTheAttemptsTheirMeanGapAndSpread() {
    Beat.Rhythm rhythm = Beat.Rhythm.of(times("5 5 5 5 5 5 5"), MAX_GAP.toMillis(), 0.1);

    assertThat(rhythm.describe()).isEqualTo("8 denied requests 5.0 s apart (spread 0.00)");
  }

  @Test
  void attemptsThatFinishOutOfOrderAreJudgedInArrivalOrder() {
    long[] times = times("5 5 5 5 5 5 5");
    long[] shuffled = {
      times[3], times[0], times[7], times[1], times[6], times[2], times[5], times[4]
    };

    assertThat(Beat.Rhythm.of(shuffled, MAX_GAP.toMillis(), 0.1)).isNotNull();
  }

  @Test
  void aSteadyBeatIsReportedOncePerRunOfAttempts() {
    Beat beat = new Beat(8);
    int beats = 0;
    for (int i = 0; i < 20; i++) {
      if (beat.add(i * 5_000L, MAX_GAP, 0.1) != null) {
        beats++;
      }
    }
    // After attempts 8 and 16; the last four are the start of the next run.
    assertThat(beats).isEqualTo(2);
  }

  /** Arrival times in milliseconds from gaps in seconds, starting at 1,000,000 ms. */
  private static long[] times(String gaps) {
    double[] seconds =
        Arrays.stream(gaps.trim().split(" +")).mapToDouble(Double::parseDouble).toArray();
    long[] times = new long[seconds.length + 1];
    times[0] = 1_000_000;
    for (int i = 0; i < seconds.length; i++) {
      times[i + 1] = times[i] + Math.round(seconds[i] * 1000);
    }
    return times;
  }
}
