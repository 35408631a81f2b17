package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalySettings;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The anomaly report's rules as a table, without files: each row is a history (a 28-day baseline
 * from 2026-10-26, the period the week of 2026-11-23, a Monday) and the findings it must give,
 * {@code kind client subject}; a look-alike row expects none. Clients 10.1.0.x are the group {@code
 * pcs}; 10.9.0.x are in no group.
 */
class AnomalyReportTest {
  private static final Instant BASELINE = Instant.parse("2026-10-26T00:00:00Z");
  private static final Instant PERIOD = Instant.parse("2026-11-23T00:00:00Z");
  private static final Instant END = Instant.parse("2026-11-30T00:00:00Z");
  private static final String OLD_PC = "10.1.0.1";
  private static final String OTHER_PC = "10.1.0.2";
  private static final String NEW_PC = "10.1.0.3";
  private static final String LONE = "10.9.0.1";
  private static final String NEW_LONE = "10.9.0.2";

  static Stream<Arguments> histories() {
    return Stream.of(
        row(
            "an established client in no group asks a new host",
            h -> h.period(LONE, "new.example", 1),
            "new_destination 10.9.0.1 new.example"),
        row(
            "look-alike: a host another client of the group asked in the baseline",
            h -> h.period(OLD_PC, "shared.example", 1)),
        row(
            "a host nobody of the group asked, from a PC of the group",
            h -> h.period(OLD_PC, "c2.example", 1),
            "new_destination 10.1.0.1 c2.example"),
        row(
            "look-alike: a new PC's first day, hosts known to its group",
            h -> {
              h.burstOf(NEW_PC, "2026-11-24T02:00:00Z", 60, "shared.example", true);
              h.burstOf(NEW_PC, "2026-11-24T03:00:00Z", 60, "telemetry.example", true);
            }),
        row(
            "a new PC asks a host its (established) group never asked",
            h -> h.period(NEW_PC, "c2.example", 1),
            "new_destination 10.1.0.3 c2.example"),
        row(
            "look-alike: a new client in no group has no baseline to compare with",
            h -> h.period(NEW_LONE, "new.example", 5)),
        row(
            "three requests in an hour of the week never used",
            h -> h.burstOf(OLD_PC, "2026-11-29T02:10:00Z", 3, "usual.example", false),
            "unusual_hours 10.1.0.1 Sun 02:00-03:00"),
        row(
            "look-alike: two requests in an unused hour are below min-requests",
            h -> h.burstOf(OLD_PC, "2026-11-29T02:10:00Z", 2, "usual.example", false)),
        row(
            "denied every 5 minutes, 10 times: a beacon",
            h -> h.every(OLD_PC, "2026-11-24T09:02:00Z", 10, 300, 0, "telemetry.example"),
            "beaconing 10.1.0.1 telemetry.example"),
        row(
            "look-alike: 7 attempts are too few to judge",
            h -> h.every(OLD_PC, "2026-11-24T09:02:00Z", 7, 300, 0, "telemetry.example")),
        row(
            "look-alike: irregular denied retries (gaps 1 to 6 minutes)",
            h -> h.every(OLD_PC, "2026-11-24T09:00:00Z", 10, 60, 300, "telemetry.example")),
        row(
            "look-alike: a request every night is allowed, and 24 hours apart",
            h -> {
              for (int d = 23; d < 30; d++) {
                h.at(OLD_PC, "2026-11-" + d + "T09:30:00Z", 0, "usual.example", false, null, null);
              }
            }),
        row(
            "40 denied requests in an hour, its usual at most 1: a burst",
            h -> h.burstOf(OLD_PC, "2026-11-25T09:00:00Z", 40, "telemetry.example", true),
            "burst 10.1.0.1 2026-11-25 Wed 09:00-10:00"),
        row(
            "look-alike: 29 denied requests are below min-denied",
            h -> h.burstOf(OLD_PC, "2026-11-25T09:00:00Z", 29, "telemetry.example", true)),
        row(
            "look-alike: 40 denied requests from a client whose busiest hour had 10",
            h -> {
              h.burstOf(OTHER_PC, "2026-11-02T09:00:00Z", 10, "telemetry.example", true);
              h.burstOf(OTHER_PC, "2026-11-25T09:00:00Z", 40, "telemetry.example", true);
            }),
        row(
            "five requests refused outside the schedule in one day",
            h -> {
              for (int i = 0; i < 5; i++) {
                h.at(
                    LONE,
                    "2026-11-26T09:10:00Z",
                    i * 60,
                    "usual.example",
                    true,
                    AlertRules.OUTSIDE_SCHEDULE,
                    "vendor-remote");
              }
            },
            "outside_schedule 10.9.0.1 vendor-remote on 2026-11-26"),
        row(
            "look-alike: five refusals over two days, and one other denial",
            h -> {
              for (int i = 0; i < 5; i++) {
                h.at(
                    LONE,
                    "2026-11-2" + (6 + i % 2) + "T09:10:00Z",
                    i * 60,
                    "usual.example",
                    true,
                    AlertRules.OUTSIDE_SCHEDULE,
                    "vendor-remote");
              }
              h.at(
                  LONE,
                  "2026-11-26T09:50:00Z",
                  0,
                  "usual.example",
                  true,
                  "path not allowed",
                  "vendor-remote");
            }));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("histories")
  void findsWhatIsUnusualAndNothingElse(
      String name, Consumer<History> period, List<String> expected) {
    History history = new History(AnomalySettings.defaults(), EnumSet.allOf(AnomalyKind.class));
    history.usual();
    period.accept(history);
    assertThat(history.found()).containsExactlyElementsOf(expected);
  }

  @Test
  void aKindTurnedOffOrNotAskedForIsNotReported() {
    Set<AnomalyKind> on = EnumSet.allOf(AnomalyKind.class);
    on.remove(AnomalyKind.NEW_DESTINATION);
    AnomalySettings off = AnomalySettings.defaults().withEnabled(on);
    History turnedOff = new History(off, EnumSet.allOf(AnomalyKind.class));
    turnedOff.usual();
    turnedOff.period(LONE, "new.example", 1);
    assertThat(turnedOff.found()).isEmpty();

    History notAsked = new History(AnomalySettings.defaults(), EnumSet.of(AnomalyKind.BURST));
    notAsked.usual();
    notAsked.period(LONE, "new.example", 1);
    assertThat(notAsked.found()).isEmpty();
  }

  @Test
  void hoursOfTheWeekAreReadInTheAllowlistsZone() {
    History history =
        new History(
            AnomalySettings.defaults(), EnumSet.allOf(AnomalyKind.class), ZoneId.of("Asia/Tokyo"));
    history.usual();
    // Saturday 17:10 UTC is Sunday 02:10 in Tokyo.
    history.burstOf(OLD_PC, "2026-11-28T17:10:00Z", 3, "usual.example", false);
    assertThat(history.found()).containsExactly("unusual_hours 10.1.0.1 Sun 02:00-03:00");
  }

  @Test
  void aBeaconsEvidenceGivesItsBeatAndSpread() {
    History history = new History(AnomalySettings.defaults(), EnumSet.allOf(AnomalyKind.class));
    history.usual();
    history.every(OLD_PC, "2026-11-24T09:02:00Z", 10, 300, 0, "telemetry.example");
    AnomalyFinding beacon = history.report().findings().get(0);
    assertThat(beacon.evidence())
        .isEqualTo("10 denied requests every 5m00s (gaps 5m00s to 5m00s, spread 0.000)");
    assertThat(beacon.count()).isEqualTo(10);
    assertThat(beacon.baseline())
        .isEqualTo("a beat: at least 8 attempts, gaps up to 6h00m, spread at most 0.10");
  }

  @ParameterizedTest(name = "gaps {0}: beat {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "300 300 300 300 300 300 300 | true", // steady: 8 attempts, 7 equal gaps
        "300 300 300 300 300 300 | false", // 7 attempts: too few
        "290 310 300 305 295 300 300 | true", // within 10%
        "60 300 120 240 60 300 180 | false", // irregular retries
        "300 300 300 300 30000 300 300 300 | false", // a gap over 6h splits it in two short runs
        "300 300 300 300 300 300 300 30000 5 | true", // the steady run before the break counts
        "0.2 0.2 0.2 0.2 0.2 0.2 0.2 | false", // five a second: a retry loop (burst), not a beacon
        "1 1 1 1 1 1 1 | true" // one a second, steady
      })
  void aBeatIsJudgedOnRunsOfCloseAttempts(String gaps, boolean beat) {
    Beat b = new Beat(Duration.ofHours(6).toMillis(), 8, 0.1);
    long t = 0;
    b.add(t);
    for (String gap : gaps.split(" ")) {
      t += Math.round(Double.parseDouble(gap) * 1000);
      b.add(t);
    }
    assertThat(b.found()).isEqualTo(beat);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "2026-11-23T10:15:30.123Z",
    "2026-11-23T10:15:30Z",
    "2026-11-23T10:15:30.1Z",
    "2026-11-23T10:15:30.123456Z",
    "2026-11-23T19:15:30.123+09:00",
    "2024-02-29T23:59:59.999Z"
  })
  void timestampsAreReadAsInstantsAre(String ts) {
    assertThat(new Timestamps().millis(ts))
        .isEqualTo(java.time.OffsetDateTime.parse(ts).toInstant().toEpochMilli());
  }

  private static Arguments row(String name, Consumer<History> period, String... expected) {
    return Arguments.of(name, period, List.of(expected));
  }

  /** A history fed straight to the report. */
  static final class History {
    private final AnomalyReport report;

    History(AnomalySettings settings, Set<AnomalyKind> kinds) {
      this(settings, kinds, ZoneOffset.UTC);
    }

    History(AnomalySettings settings, Set<AnomalyKind> kinds, ZoneId zone) {
      this.report = new AnomalyReport(settings, kinds, BASELINE, PERIOD, END, groups(zone), null);
    }

    /**
     * The baseline: every day at 09:15 the two old PCs and the lone client ask usual.example, and
     * are denied telemetry.example once at 09:20; the other PC asks shared.example too.
     */
    void usual() {
      for (Instant day = BASELINE; day.isBefore(PERIOD); day = day.plus(Duration.ofDays(1))) {
        for (String client : List.of(OLD_PC, OTHER_PC, LONE)) {
          add(day.plusSeconds(9 * 3600 + 15 * 60), client, "usual.example", false, null, null);
          add(day.plusSeconds(9 * 3600 + 20 * 60), client, "telemetry.example", true, null, null);
        }
        add(day.plusSeconds(9 * 3600 + 30 * 60), OTHER_PC, "shared.example", false, null, null);
      }
    }

    void period(String client, String host, int requests) {
      burstOf(client, "2026-11-24T09:40:00Z", requests, host, false);
    }

    /** {@code n} requests from {@code ts}, 5 to 54 seconds apart, irregularly: no beat. */
    void burstOf(String client, String ts, int n, String host, boolean denied) {
      long t = 0;
      for (int i = 0; i < n; i++) {
        at(client, ts, t, host, denied, null, null);
        t += 5 + (i * 7919L) % 50;
      }
    }

    /** {@code n} denied requests, {@code gap} seconds apart plus up to {@code jitter}. */
    void every(String client, String ts, int n, int gap, int jitter, String host) {
      long t = 0;
      for (int i = 0; i < n; i++) {
        at(client, ts, t, host, true, null, null);
        t += gap + (jitter == 0 ? 0 : (i * 7919L) % jitter);
      }
    }

    void at(
        String client,
        String ts,
        long plusSeconds,
        String host,
        boolean denied,
        String reason,
        String entry) {
      add(Instant.parse(ts).plusSeconds(plusSeconds), client, host, denied, reason, entry);
    }

    private void add(
        Instant at, String client, String host, boolean denied, String reason, String entry) {
      report.add(at.toEpochMilli(), client, host, denied, reason, entry, 1);
    }

    AnomalyReport report() {
      return report;
    }

    List<String> found() {
      List<String> found = new ArrayList<>();
      for (AnomalyFinding f : report.findings()) {
        found.add(f.kind().wireName() + " " + f.client() + " " + f.subject());
      }
      return found;
    }
  }

  /** 10.1.0.x is the group "pcs"; any other address is in no group. */
  static ClientGroups groups(ZoneId zone) {
    return new PrefixGroups(zone, "pcs", "10.1.0.");
  }
}
