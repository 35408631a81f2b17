package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AnomalyHistory;
import dev.patchgate.audit.AuditChainVerifier;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.query.CommandRun;
import dev.patchgate.audit.query.CsvReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 2: {@code audit report anomalies} on five weeks of a generated fleet ({@link
 * AnomalyHistory}), written by the real writer, baseline days plain and gzipped. It finds every
 * planted case and none of the look-alikes.
 */
class AnomalyHistoryReportTest {
  @TempDir static Path dir;

  /** The allowlist's groups of the generated fleet, read in UTC as the generator writes. */
  private static final ClientGroups FLEET =
      new PrefixGroups(
          ZoneOffset.UTC, "workstations", "10.20.1.", "servers", "10.20.2.", "vendor", "10.20.9.");

  private static final CommandRun.Command REPORT =
      CommandRun.report(
          new AuditReportCommand.Context(
              () -> {
                throw new AssertionError("the anomaly report reads no KB numbers");
              },
              () -> FLEET,
              AnomalySettings.defaults(),
              Clock.fixed(AnomalyHistory.END, ZoneOffset.UTC)));

  @BeforeAll
  static void writeHistory() throws Exception {
    AnomalyHistory.write(dir);
  }

  @Test
  void theHistoryIsARealChainedLogWithPlainAndGzippedBaselineDays() throws Exception {
    assertThat(AuditChainVerifier.verify(dir).intact()).isTrue();
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(f -> f.getFileName().toString()).sorted().toList();
      assertThat(names)
          .contains(
              "audit-2026-11-02.jsonl",
              "audit-2026-11-20.jsonl.gz",
              "audit-2026-12-01.jsonl.gz",
              "audit-2026-12-06.jsonl")
          .hasSize(35);
    }
  }

  @Test
  void theReportOfTheLastWeekFindsThePlantedCasesAndNoLookAlike() {
    CommandRun run = CommandRun.of(REPORT, dir, "anomalies", "--format", "csv");

    assertThat(run.exit()).as(run.err()).isZero();
    List<String> found = findings(run);
    assertThat(found).containsExactlyInAnyOrderElementsOf(AnomalyHistory.PLANTED);
    for (String client : AnomalyHistory.LOOK_ALIKES) {
      assertThat(found).noneMatch(f -> f.contains(" " + client + " "));
    }
  }

  @Test
  void clientsAndKindsNarrowTheReport() {
    CommandRun servers =
        CommandRun.of(REPORT, dir, "anomalies", "--format", "csv", "--clients", "servers");
    assertThat(findings(servers)).containsExactly("burst 10.20.2.5 2026-12-03 Thu 14:00-15:00");

    CommandRun beacons =
        CommandRun.of(
            REPORT, dir, "anomalies", "--format", "csv", "--kind", "beaconing,outside-schedule");
    assertThat(findings(beacons))
        .containsExactly(
            "beaconing 10.20.1.23 cdn.update-check.example.net",
            "outside_schedule 10.20.9.3 vendor-remote on 2026-12-05");
  }

  @Test
  void aShortBaselineMakesTheVendorTooNewToJudgeAndForgetsOlderHosts() {
    // Seven days before the period hold two vendor days: too few for its usual hours. The
    // workstations' one visit to www.bing.com was three weeks before: forgotten.
    CommandRun run = CommandRun.of(REPORT, dir, "anomalies", "--format", "csv", "--baseline", "7");
    assertThat(findings(run))
        .doesNotContain("unusual_hours 10.20.9.3 Sat 10:00-11:00")
        .contains("new_destination 10.20.1.34 www.bing.com");
  }

  @Test
  void theTableSaysWhatWasUnusualAndWhy() {
    CommandRun run = CommandRun.of(REPORT, dir, "anomalies", "--clients", "10.20.1.23");
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains("beaconing", "18 denied requests every 10m0", "cdn.update-check.example.net")
        .contains("never asked in the baseline by it or any of the 40 clients of workstations");
  }

  private static List<String> findings(CommandRun run) {
    assertThat(run.exit()).as(run.err()).isZero();
    List<List<String>> rows = CsvReader.parse(run.out());
    assertThat(rows.get(0).subList(0, 4)).containsExactly("client", "kind", "subject", "count");
    List<String> found = new ArrayList<>();
    for (List<String> row : rows.subList(1, rows.size())) {
      found.add(row.get(1) + " " + row.get(0) + " " + row.get(2));
    }
    return found;
  }
}
