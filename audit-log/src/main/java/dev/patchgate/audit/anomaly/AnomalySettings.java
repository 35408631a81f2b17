package dev.patchgate.audit.anomaly;

import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * What counts as unusual ({@code patchgate.anomalies}): the thresholds shared by the anomaly report
 * and the gateway's live watch, so that both call the same traffic unusual.
 *
 * @param enabled the kinds looked for; the others are never reported nor raised
 * @param baseline how far back the report looks for what is usual, before the period it reviews
 * @param minBaselineDays a client judged against its own usual must have been seen on at least this
 *     many days of the baseline; a new PC has no usual yet, so nothing it does is unusual for it
 * @param unusualHoursMinRequests requests in one hour of the week the client never used before that
 *     make a finding
 * @param beaconMinAttempts denied requests from one client to one host before their rhythm is
 *     judged
 * @param beaconMaxSpread the largest spread of the gaps between them (standard deviation over mean)
 *     that is still a steady beat
 * @param beaconMaxGap gaps longer than this are not a beat (a retry next morning is not a beacon)
 * @param burstFactor a client's denied requests in one hour must exceed this many times its usual
 *     (its busiest baseline hour of denied requests, at least one)
 * @param burstMinDenied ... and be at least this many
 * @param scheduleMinAttempts requests refused as outside their entry's schedule, from one client
 *     for one entry in one day, that make a finding
 * @param liveMaxTracked the most (client, host) pairs and clients the live watch remembers; the
 *     least recently seen are forgotten beyond it, which bounds its memory whatever the traffic
 */
public record AnomalySettings(
    Set<AnomalyKind> enabled,
    Duration baseline,
    int minBaselineDays,
    int unusualHoursMinRequests,
    int beaconMinAttempts,
    double beaconMaxSpread,
    Duration beaconMaxGap,
    double burstFactor,
    int burstMinDenied,
    int scheduleMinAttempts,
    int liveMaxTracked) {

  /**
   * A beat faster than one a second is a client retrying in a loop (which the burst rule is for),
   * not one calling home on a timer: neither the report nor the live watch calls it beaconing.
   */
  public static final long BEACON_MIN_MEAN_GAP_MILLIS = 1_000;

  public AnomalySettings {
    enabled = enabled.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(enabled));
  }

  /** The documented defaults (reference.conf says the same). */
  public static AnomalySettings defaults() {
    return new AnomalySettings(
        EnumSet.allOf(AnomalyKind.class),
        Duration.ofDays(28),
        7,
        3,
        8,
        0.1,
        Duration.ofHours(6),
        10.0,
        30,
        5,
        10_000);
  }

  /** These settings with only {@code kinds} looked for. */
  public AnomalySettings withEnabled(Set<AnomalyKind> kinds) {
    return new AnomalySettings(
        kinds,
        baseline,
        minBaselineDays,
        unusualHoursMinRequests,
        beaconMinAttempts,
        beaconMaxSpread,
        beaconMaxGap,
        burstFactor,
        burstMinDenied,
        scheduleMinAttempts,
        liveMaxTracked);
  }

  /** True when {@code kind} is looked for. */
  public boolean on(AnomalyKind kind) {
    return enabled.contains(kind);
  }
}
