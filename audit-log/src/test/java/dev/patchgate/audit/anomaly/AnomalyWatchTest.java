package dev.patchgate.audit.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.query.AuditLogFixture;
import dev.patchgate.audit.query.TestRecords;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnomalyWatchTest {
  // Thursday 10 December 2026, 14:00 UTC: "now" for the live records.
  private static final Instant NOW = Instant.parse("2026-12-10T14:00:00Z");
  private static final String PC = "10.10.1.5";
  private static final String COLLEAGUE = "10.10.1.6";
  private static final String STRANGER = "10.99.0.1";
  private static final Function<String, List<String>> GROUPS =
      client -> client.startsWith("10.10.1.") ? List.of("radiology") : List.of();

  @TempDir Path dir;

  private final RecordingAlerts alerts = new RecordingAlerts();

  // ---- beaconing ---------------------------------------------------------------------------

  @Test
  void aSteadyFiveSecondBeatToADeniedHostIsRaisedOnce() {
    AnomalyWatch watch = watch(AnomalySettings.defaults());

    for (int i = 0; i < 8; i++) {
      watch.observe(denied(PC, "c2.example", NOW.plusSeconds(5L * i)));
    }

    assertThat(alerts.of(AlertKind.ANOMALY_BEACONING))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.client()).isEqualTo(PC);
              assertThat(a.host()).isEqualTo("c2.example");
              assertThat(a.detail()).isEqualTo("8 denied requests 5.0 s apart (spread 0.00)");
            });
    assertThat(watch.raised(AnomalyKind.BEACONING)).isEqualTo(1);
  }

  @Test
  void jitteryRetriesAreNotABeat() {
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    long[] gaps = {1, 2, 4, 8, 16, 32, 64, 3, 40, 7, 300, 12};

    Instant at = NOW;
    for (long gap : gaps) {
      at = at.plusSeconds(gap);
      watch.observe(denied(PC, "blocked.example", at));
    }

    assertThat(alerts.of(AlertKind.ANOMALY_BEACONING)).isEmpty();
  }

  @Test
  void allowedTrafficAtASteadyBeatIsNotABeacon() {
    // The nightly update at 03:00, every night for a fortnight.
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    Instant night = Instant.parse("2026-11-26T03:00:00Z");

    for (int day = 0; day < 14; day++) {
      watch.observe(allowed(PC, "download.windowsupdate.com", night.plus(Duration.ofDays(day))));
    }
    // And the same rhythm at a 5 s beat, allowed: an update agent polling.
    for (int i = 0; i < 20; i++) {
      watch.observe(allowed(PC, "av.example", NOW.plusSeconds(5L * i)));
    }

    assertThat(alerts.of(AlertKind.ANOMALY_BEACONING)).isEmpty();
  }

  @Test
  void beaconingIsNotRaisedWhenTurnedOff() {
    AnomalyWatch watch = watch(without(AnomalyKind.BEACONING));

    for (int i = 0; i < 8; i++) {
      watch.observe(denied(PC, "c2.example", NOW.plusSeconds(5L * i)));
    }

    assertThat(alerts.raised()).isEmpty();
  }

  // ---- burst -------------------------------------------------------------------------------

  @Test
  void aNewPcsFirstDayIsNotABurst() {
    AnomalyWatch watch = watch(AnomalySettings.defaults());

    deniedBurst(watch, PC, 200);

    assertThat(alerts.of(AlertKind.ANOMALY_BURST)).isEmpty();
  }

  @Test
  void aPcWithAWeekOfHistoryIsRaisedOnceForAnHourFarAboveItsBusiestHour() {
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    // Seven days seen, with three denied requests in its busiest hour.
    for (int day = 7; day >= 1; day--) {
      Instant morning = NOW.minus(Duration.ofDays(day)).minus(Duration.ofHours(5));
      watch.observe(allowed(PC, "download.windowsupdate.com", morning));
      for (int i = 0; i < 3; i++) {
        watch.observe(denied(PC, "ads.example", morning.plusSeconds(60L * i + 17 * i * i)));
      }
    }

    deniedBurst(watch, PC, 31); // more than 10 x 3, and at least 30

    assertThat(alerts.of(AlertKind.ANOMALY_BURST))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.client()).isEqualTo(PC);
              assertThat(a.detail())
                  .isEqualTo(
                      "31 denied requests in the hour from 2026-12-10T14:00:00Z;"
                          + " its busiest hour before had 3");
            });
    // The rest of the hour adds nothing: once per hour.
    deniedBurst(watch, PC, 100);
    assertThat(alerts.of(AlertKind.ANOMALY_BURST)).hasSize(1);
  }

  @Test
  void anHourBelowTheFactorOrTheMinimumIsNotABurst() {
    AnomalySettings settings = AnomalySettings.defaults();
    AnomalyWatch watch = watch(settings);
    for (int day = 7; day >= 1; day--) {
      Instant morning = NOW.minus(Duration.ofDays(day));
      for (int i = 0; i < 4; i++) {
        watch.observe(denied(STRANGER, "ads.example", morning.plusSeconds(7L * i * i)));
      }
      watch.observe(allowed(PC, "download.windowsupdate.com", morning));
    }

    deniedBurst(watch, STRANGER, 40); // 10 x 4 is not exceeded
    deniedBurst(watch, PC, 29); // above 10 x 1, below min-denied 30

    assertThat(alerts.of(AlertKind.ANOMALY_BURST)).isEmpty();
  }

  // ---- new destination ---------------------------------------------------------------------

  @Test
  void aHostNewToTheClientButKnownToItsGroupIsNotNew() throws Exception {
    week(List.of(PC, COLLEAGUE), Map.of(COLLEAGUE, "pacs-vendor.example"));
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    watch.readBaseline(dir, NOW);

    watch.observe(allowed(PC, "pacs-vendor.example", NOW));

    assertThat(alerts.of(AlertKind.ANOMALY_NEW_DESTINATION)).isEmpty();
  }

  @Test
  void aHostNeitherTheClientNorItsGroupAskedForIsRaisedAfterTheBaselineIsRead() throws Exception {
    week(List.of(PC, COLLEAGUE), Map.of());
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    watch.observe(denied(PC, "early.example", NOW.minusSeconds(60)));
    watch.readBaseline(dir, NOW.minusSeconds(60));

    watch.observe(denied(PC, "c2.example", NOW));
    watch.observe(denied(PC, "c2.example", NOW.plusSeconds(1)));
    watch.observe(allowed(PC, "download.windowsupdate.com", NOW));

    // Before the baseline was in nothing was judged; then once, the first time.
    assertThat(alerts.of(AlertKind.ANOMALY_NEW_DESTINATION))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.client()).isEqualTo(PC);
              assertThat(a.host()).isEqualTo("c2.example");
              assertThat(a.detail())
                  .isEqualTo("never asked for before by this client nor its groups radiology");
            });
    // Now known to the group: the colleague asking for it is not new either.
    watch.observe(denied(COLLEAGUE, "c2.example", NOW.plusSeconds(2)));
    assertThat(alerts.of(AlertKind.ANOMALY_NEW_DESTINATION)).hasSize(1);
  }

  @Test
  void aNewPcIsJudgedByItsGroupsHistoryForNewDestinations() throws Exception {
    week(List.of(COLLEAGUE), Map.of(COLLEAGUE, "pacs-vendor.example"));
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    watch.readBaseline(dir, NOW);
    String newPc = "10.10.1.77";

    watch.observe(allowed(newPc, "pacs-vendor.example", NOW));
    watch.observe(denied(newPc, "c2.example", NOW));

    assertThat(alerts.of(AlertKind.ANOMALY_NEW_DESTINATION))
        .extracting(RecordingAlerts.Raised::client, RecordingAlerts.Raised::host)
        .containsExactly(Tuple.tuple(newPc, "c2.example"));
  }

  @Test
  void theBaselineIsReadFromPlainAndGzippedFilesWithinTheBaselinePeriodOnly() throws Exception {
    AuditLogFixture log = new AuditLogFixture(dir);
    // 40 days ago: older than the 28-day baseline.
    log.record(allowed(STRANGER, "old.example", NOW.minus(Duration.ofDays(40))));
    for (int day = 10; day >= 1; day--) {
      log.record(allowed(STRANGER, "daily.example", NOW.minus(Duration.ofDays(day))));
    }
    log.record(allowed(STRANGER, "gz.example", NOW.minus(Duration.ofDays(9))));
    LocalDate nineDaysAgo = LocalDate.of(2026, 12, 1);
    log.write(Set.of(nineDaysAgo));
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    watch.readBaseline(dir, NOW);

    watch.observe(allowed(STRANGER, "gz.example", NOW));
    watch.observe(allowed(STRANGER, "daily.example", NOW));
    watch.observe(allowed(STRANGER, "old.example", NOW));

    assertThat(alerts.of(AlertKind.ANOMALY_NEW_DESTINATION))
        .extracting(RecordingAlerts.Raised::host)
        .containsExactly("old.example");
    assertThat(alerts.of(AlertKind.ANOMALY_NEW_DESTINATION).get(0).detail())
        .isEqualTo("never asked for before by this client");
  }

  @Test
  void aClientWithoutAWeekOfHistoryIsNotJudgedForNewDestinations() throws Exception {
    week(List.of(PC), Map.of());
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    watch.readBaseline(dir, NOW);

    watch.observe(allowed(STRANGER, "anything.example", NOW));

    assertThat(alerts.raised()).isEmpty();
  }

  @Test
  void theBaselineIsReadInTheBackgroundAndNewDestinationsAreJudgedOnceItIsIn() throws Exception {
    week(List.of(PC), Map.of());
    AnomalyWatch watch = watch(AnomalySettings.defaults());
    watch.readBaselineInBackground(dir, NOW);
    await().atMost(Duration.ofSeconds(30)).until(watch::baselineRead);

    watch.observe(allowed(PC, "download.windowsupdate.com", NOW));
    watch.observe(allowed(PC, "new.example", NOW));

    assertThat(alerts.of(AlertKind.ANOMALY_NEW_DESTINATION))
        .extracting(RecordingAlerts.Raised::host)
        .containsExactly("new.example");
    watch.close();
  }

  // ---- memory ------------------------------------------------------------------------------

  @Test
  void aFloodOfDistinctClientsAndHostsKeepsEveryTableAtTheBound() {
    AnomalySettings small = withMaxTracked(100);
    AnomalyWatch watch = watch(small);
    watch.baselineSkipped();

    for (int i = 0; i < 20_000; i++) {
      String client = "10.%d.%d.%d".formatted(i >> 16 & 255, i >> 8 & 255, i & 255);
      watch.observe(denied(client, "h" + i + ".example", NOW.plusMillis(i)));
      watch.observe(denied(PC, "scan" + i + ".example", NOW.plusMillis(i)));
    }

    assertThat(watch.tableSizes()).containsExactly(100, 100, 100);
    assertThat(watch.tracked()).isEqualTo(300);
  }

  // ---- helpers -----------------------------------------------------------------------------

  private AnomalyWatch watch(AnomalySettings settings) {
    return new AnomalyWatch(settings, alerts, GROUPS);
  }

  /** Audit files of the seven days before NOW: each client asks for the update host daily. */
  private void week(List<String> clients, Map<String, String> alsoAsked) {
    AuditLogFixture log = new AuditLogFixture(dir);
    for (int day = 7; day >= 1; day--) {
      Instant at = NOW.minus(Duration.ofDays(day));
      for (String client : clients) {
        log.record(allowed(client, "download.windowsupdate.com", at));
        if (alsoAsked.containsKey(client)) {
          log.record(allowed(client, alsoAsked.get(client), at.plusSeconds(1)));
        }
      }
    }
    log.write(Set.of(LocalDate.of(2026, 12, 3)));
  }

  /** {@code n} denied requests from {@code client} in the hour of NOW, 100 s apart at most. */
  private static void deniedBurst(AnomalyWatch watch, String client, int n) {
    for (int i = 0; i < n; i++) {
      watch.observe(denied(client, "blocked" + (i % 3) + ".example", NOW.plusSeconds(i % 36)));
    }
  }

  private static AuditRecord denied(String client, String host, Instant at) {
    return TestRecords.denied(host).client(client).ts(at.toString()).build();
  }

  private static AuditRecord allowed(String client, String host, Instant at) {
    return TestRecords.download()
        .client(client)
        .host(host)
        .url("http://" + host + "/file.cab")
        .decision(AuditDecision.ALLOW)
        .ts(at.toString())
        .build();
  }

  private static AnomalySettings without(AnomalyKind kind) {
    EnumSet<AnomalyKind> on = EnumSet.allOf(AnomalyKind.class);
    on.remove(kind);
    return settings(on, AnomalySettings.defaults().liveMaxTracked());
  }

  private static AnomalySettings withMaxTracked(int max) {
    return settings(AnomalySettings.defaults().enabled(), max);
  }

  /** The defaults, with these kinds on and this bound. */
  private static AnomalySettings settings(Set<AnomalyKind> on, int maxTracked) {
    AnomalySettings d = AnomalySettings.defaults();
    return new AnomalySettings(
        on,
        d.baseline(),
        d.minBaselineDays(),
        d.unusualHoursMinRequests(),
        d.beaconMinAttempts(),
        d.beaconMaxSpread(),
        d.beaconMaxGap(),
        d.burstFactor(),
        d.burstMinDenied(),
        d.scheduleMinAttempts(),
        maxTracked);
  }
}
