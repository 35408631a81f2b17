package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.Decision;
import dev.patchgate.audit.AnomalyHistory;
import dev.patchgate.proxy.cli.Cli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15: the weekly review and the coverage of a client group, through the packaged command
 * line, on five weeks of a generated fleet ({@link AnomalyHistory}) whose client groups the
 * allowlist names.
 */
class AnomalyReportIT {
  @TempDir static Path dir;

  @BeforeAll
  static void writeHistoryAndConfiguration() throws Exception {
    AnomalyHistory.write(dir.resolve("audit"));
    Files.writeString(
        dir.resolve("allowlist.conf"),
        """
        time-zone = "UTC"
        clients {
          workstations = ["10.20.1.0/24"]
          servers      = ["10.20.2.0/24", "fd00:20:2::/64"]
          vendor       = ["10.20.9.0/24"]
        }
        entries {
          windows-update { profile = windows-update }
          vendor-remote {
            hosts    = ["update.example-vendor.jp"]
            clients  = [vendor]
            schedule = ["Tue,Thu 13:00-16:00"]
          }
        }
        """);
    Files.writeString(
        dir.resolve("patchgate.conf"),
        """
        patchgate.allowlist = "allowlist.conf"
        patchgate.audit.dir = "audit"
        """);
  }

  @Test
  void theWeeklyReviewIsOneCommandAndFindsWhatWasPlanted() throws Exception {
    // The generated refusals outside the schedule carry the allowlist's own reason.
    assertThat(AnomalyHistory.OUTSIDE_SCHEDULE).isEqualTo(Decision.OUTSIDE_SCHEDULE);

    List<String> out =
        run(
            0,
            "audit",
            "report",
            "anomalies",
            "--since",
            "2026-11-30",
            "--until",
            "2026-12-06",
            "--format",
            "csv");

    List<String> found = new ArrayList<>();
    for (String line : out.subList(1, out.size())) {
      String[] cells = line.split(",");
      found.add(cells[1] + " " + cells[0] + " " + cells[2]);
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(AnomalyHistory.PLANTED);
  }

  @Test
  void aKindTurnedOffInTheConfigurationIsNotLookedFor() throws Exception {
    Files.writeString(
        dir.resolve("quiet.conf"),
        Files.readString(dir.resolve("patchgate.conf"))
            + "patchgate.anomalies.beaconing.enabled = false\n");
    List<String> out =
        run(
            0,
            "audit",
            "report",
            "anomalies",
            "--config",
            "quiet.conf",
            "--since",
            "2026-11-30",
            "--until",
            "2026-12-06",
            "--clients",
            "10.20.1.23",
            "--format",
            "html");
    String page = String.join("\n", out);
    assertThat(page)
        .contains("new_destination", "cdn.update-check.example.net")
        .contains("Turned off in patchgate.anomalies, not looked for: beaconing")
        .doesNotContain("<td>beaconing</td>");
  }

  @Test
  void coverageOfAClientGroupCountsOnlyItsClients() throws Exception {
    assertThat(coverage("workstations"))
        .contains(
            "KB5034441: 41 clients, 41 complete (100.0%), 0 incomplete (0.0%), 0 none (0.0%)");
    assertThat(coverage("servers"))
        .contains(
            "KB5034441: 12 clients, 0 complete (0.0%), 0 incomplete (0.0%), 12 none (100.0%)");
    assertThat(coverage("10.20.9.0/29"))
        .contains("KB5034441: 7 clients, 0 complete (0.0%), 0 incomplete (0.0%), 7 none (100.0%)");
    assertThat(coverage("fd00:20:2::/64"))
        .contains("KB5034441: 0 clients, 0 complete (0.0%), 0 incomplete (0.0%), 0 none (0.0%)");
  }

  @Test
  void anUnknownGroupIsAUsageErrorListingTheKnownOnes() throws Exception {
    List<String> out =
        run(Cli.USAGE, "audit", "report", "coverage", "--kb", "KB5034441", "--clients", "pcs");
    assertThat(out)
        .anyMatch(
            l ->
                l.contains(
                    "--clients: no client group 'pcs' (known groups: workstations, servers,"
                        + " vendor; or give an address block such as 10.10.1.0/24)"));
  }

  private List<String> coverage(String clients) throws Exception {
    return run(
        0,
        "audit",
        "report",
        "coverage",
        "--kb",
        "KB5034441",
        "--since",
        "2026-11-30",
        "--clients",
        clients);
  }

  /** Runs the packaged jar in {@code dir} with {@code --config patchgate.conf} unless given. */
  private static List<String> run(int exit, String... args) throws Exception {
    List<String> all = new ArrayList<>(List.of(args));
    if (!all.contains("--config")) {
      all.addAll(List.of("--config", "patchgate.conf"));
    }
    try (GatewayProcess p = GatewayProcess.start(dir, List.of(), all.toArray(String[]::new))) {
      assertThat(p.awaitExit()).as(String.join("\n", p.output())).isEqualTo(exit);
      return p.output();
    }
  }
}
