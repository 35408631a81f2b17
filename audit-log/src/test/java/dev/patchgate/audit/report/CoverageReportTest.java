package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.query.AuditLogFixture;
import dev.patchgate.audit.query.CommandRun;
import dev.patchgate.audit.query.CsvReader;
import dev.patchgate.audit.query.TestRecords;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, item 1: {@code audit report coverage} on a generated fleet of 40 PCs in 10.20.0.0/24
 * (plus one PC in another subnet and one seen only before the period), with exact counts of
 * complete, incomplete and none.
 */
class CoverageReportTest {
  private static final String KB_CAB =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";
  private static final String OTHER_KB_CAB =
      "http://download.windowsupdate.com/d/windows10.0-kb5035000-x64_ffff.cab";
  private static final String LOOK_ALIKE = "http://files.example.net/windows10.0-kb5034441-x64.cab";
  private static final String VENDOR_MSI = "http://vendor.example.jp/his/HIS-Client-4.2.1.msi";

  private static final KbSources SOURCES =
      KbSources.of(
          "files from download.windowsupdate.com",
          (host, entry) -> "download.windowsupdate.com".equals(host));
  private static final CommandRun.Command REPORT = CommandRun.report(() -> SOURCES);

  @TempDir Path dir;
  private AuditLogFixture log;
  private int ids;

  /**
   * The fleet, 10.20.0.N, for KB5034441: N = 1..10 a whole 200 download from upstream; 11..15 the
   * same served from the mirror; 16..20 three ranges over two days that together cover the file;
   * 21..24 two ranges that do not; 25..27 a 200 that stopped half-way; 28..40 never asked (some
   * fetched another KB, some a look-alike file from an untrusted host, some were only denied).
   * KB5035000: 1..5 whole. The vendor's MSI: 1..3 whole, 4 half. Outside the /24: 10.30.0.1 has
   * KB5034441 whole. 10.20.0.99 was seen only on 2026-11-01, before the period.
   */
  @BeforeEach
  void writeFleet() {
    log = new AuditLogFixture(dir);
    for (int n = 1; n <= 40; n++) {
      String client = "10.20.0." + n;
      String day = "2026-11-1" + (n % 3);
      if (n <= 10) {
        record(download(client, day + "T08:00:00.000Z", KB_CAB));
      } else if (n <= 15) {
        record(download(client, day + "T08:00:00.000Z", KB_CAB).cache(CacheOutcome.HIT));
      } else if (n <= 20) {
        record(range(client, "2026-11-10T08:00:00.000Z", 400_300));
        record(range(client, "2026-11-11T08:00:00.000Z", 400_300).cache(CacheOutcome.HIT));
        record(range(client, "2026-11-11T09:00:00.000Z", 400_300));
      } else if (n <= 24) {
        record(range(client, "2026-11-10T08:00:00.000Z", 300_300));
        record(range(client, "2026-11-11T08:00:00.000Z", 300_300));
      } else if (n <= 27) {
        record(download(client, day + "T08:00:00.000Z", KB_CAB).bytes(500_000));
      } else if (n <= 32) {
        record(download(client, day + "T08:00:00.000Z", OTHER_KB_CAB));
      } else if (n <= 35) {
        record(
            download(client, day + "T08:00:00.000Z", LOOK_ALIKE)
                .host("files.example.net")
                .entry("his-mirror"));
      } else {
        record(TestRecords.denied("evil.example.com").client(client).ts(day + "T09:00:00.000Z"));
      }
      if (n <= 5) {
        record(download(client, day + "T10:00:00.000Z", OTHER_KB_CAB));
      }
      if (n <= 4) {
        record(
            download(client, day + "T11:00:00.000Z", VENDOR_MSI)
                .host("vendor.example.jp")
                .entry("vendor")
                .bytes(n == 4 ? 200_000 : 1_000_300));
      }
    }
    record(download("10.30.0.1", "2026-11-12T08:00:00.000Z", KB_CAB));
    record(
        TestRecords.denied("evil.example.com").client("10.20.0.99").ts("2026-11-01T09:00:00.000Z"));
    log.write(Set.of(LocalDate.parse("2026-11-10")));
  }

  @Test
  void theFleetsCountsAreExactWithRangesMergedAndMirrorHitsCounted() {
    CommandRun run = onTheSubnet("--kb", "KB5034441", "--format", "csv");

    assertThat(run.exit()).as(run.err()).isZero();
    List<List<String>> rows = CsvReader.parse(run.out());
    assertThat(rows.get(0))
        .containsExactly(
            "client",
            "kb",
            "status",
            "files",
            "source",
            "first_download",
            "last_download",
            "first_seen",
            "last_seen");
    assertThat(statusCounts(rows.subList(1, rows.size())))
        .containsExactlyEntriesOf(
            new TreeMap<>(Map.of("complete", 20L, "incomplete", 7L, "none", 13L)));
  }

  @Test
  void aRangeDownloadOverTwoDaysIsOneCompleteRowFromMirrorAndUpstream() {
    List<String> row = csvRow("10.20.0.16", "--kb", "KB5034441");

    assertThat(row)
        .containsExactly(
            "10.20.0.16",
            "KB5034441",
            "complete",
            "1",
            "mirror+upstream",
            "2026-11-10T08:00:00.000Z",
            "2026-11-11T09:00:00.000Z",
            "2026-11-10T08:00:00.000Z",
            "2026-11-11T09:00:00.000Z");
  }

  @Test
  void aDownloadServedFromTheMirrorIsComplete() {
    assertThat(csvRow("10.20.0.11", "--kb", "KB5034441").subList(2, 5))
        .containsExactly("complete", "1", "mirror");
  }

  @Test
  void rangesThatDoNotCoverTheFileAndAnAbortedDownloadAreIncomplete() {
    assertThat(csvRow("10.20.0.21", "--kb", "KB5034441").get(2)).isEqualTo("incomplete");
    assertThat(csvRow("10.20.0.25", "--kb", "KB5034441").get(2)).isEqualTo("incomplete");
  }

  @Test
  void aLookAlikeFileFromAnUntrustedHostLeavesTheClientAtNone() {
    List<String> row = csvRow("10.20.0.33", "--kb", "KB5034441");

    assertThat(row.subList(2, 4)).containsExactly("none", "0");
    assertThat(row.get(7)).isEqualTo("2026-11-10T08:00:00.000Z");
  }

  @Test
  void withoutFiltersThePopulationIsEveryClientSeenAndTheTableEndsWithTheSummary() {
    CommandRun run = CommandRun.of(REPORT, dir, "coverage", "--kb", "kb5034441");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.outLines().get(0)).startsWith("CLIENT").contains("KB / FILE", "STATUS");
    // 42 clients: the /24's 40, 10.30.0.1 (complete) and 10.20.0.99 (seen before, none)
    assertThat(run.outLines())
        .hasSize(1 + 42 + 1)
        .last()
        .isEqualTo(
            "KB5034441: 42 clients, 21 complete (50.0%), 7 incomplete (16.7%),"
                + " 14 none (33.3%)");
  }

  @Test
  void severalKbsAtOnceGiveOneRowPerClientAndKbAndOneSummaryEach() {
    CommandRun run = onTheSubnet("--kb", "KB5034441,KB5035000");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.outLines())
        .hasSize(1 + 80 + 2)
        .endsWith(
            "KB5034441: 40 clients, 20 complete (50.0%), 7 incomplete (17.5%), 13 none (32.5%)",
            "KB5035000: 40 clients, 10 complete (25.0%), 0 incomplete (0.0%), 30 none (75.0%)");
  }

  @Test
  void aFilePatternCoversAVendorWithoutKbNumbers() {
    CommandRun run = onTheSubnet("--file", "his-client-*.msi", "--format", "html");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out())
        .contains(
            "his-client-*.msi: 40 clients, 3 complete (7.5%), 1 incomplete (2.5%),"
                + " 36 none (90.0%)")
        .doesNotContain("KB numbers: only from");
  }

  @Test
  void usageErrorsNameTheOption() {
    assertThat(CommandRun.of(REPORT, dir, "coverage").err())
        .isEqualTo("patchgate audit report: report coverage needs --kb or --file (one of them)\n");
    assertThat(CommandRun.of(REPORT, dir, "coverage", "--kb", "KB5034441", "--clients", "x").err())
        .isEqualTo(
            "patchgate audit report: --clients: no client group 'x' (the allowlist names no"
                + " client groups; or give an address block such as 10.10.1.0/24)\n");
    assertThat(
            CommandRun.of(REPORT, dir, "coverage", "--kb", "KB5034441", "--clients", "10.1.2.3/8")
                .err())
        .isEqualTo(
            "patchgate audit report: --clients: '10.1.2.3/8' has host bits set (expected: the"
                + " network address, e.g. 10.0.0.0/8)\n");
    assertThat(CommandRun.of(REPORT, dir, "patches", "--clients", "10.20.0.0/24").err())
        .isEqualTo(
            "patchgate audit report: --clients applies to reports coverage and anomalies only\n");
  }

  /** The coverage report of the period's clients in 10.20.0.0/24 (10.20.0.99 is seen before). */
  private CommandRun onTheSubnet(String... args) {
    List<String> all =
        new ArrayList<>(List.of("coverage", "--since", "2026-11-02", "--clients", "10.20.0.0/24"));
    all.addAll(List.of(args));
    return CommandRun.of(REPORT, dir, all.toArray(String[]::new));
  }

  private List<String> csvRow(String client, String... args) {
    String[] all = new String[args.length + 3];
    all[0] = "coverage";
    System.arraycopy(args, 0, all, 1, args.length);
    all[args.length + 1] = "--format";
    all[args.length + 2] = "csv";
    CommandRun run = CommandRun.of(REPORT, dir, all);
    assertThat(run.exit()).as(run.err()).isZero();
    return CsvReader.parse(run.out()).stream()
        .filter(row -> row.get(0).equals(client))
        .findFirst()
        .orElseThrow();
  }

  private static Map<String, Long> statusCounts(List<List<String>> rows) {
    return rows.stream()
        .collect(Collectors.groupingBy(row -> row.get(2), TreeMap::new, Collectors.counting()));
  }

  private void record(TestRecords record) {
    log.record(record.id("c" + ids++).build());
  }

  private static TestRecords download(String client, String ts, String url) {
    return TestRecords.download().client(client).ts(ts).url(url);
  }

  private static TestRecords range(String client, String ts, long bytes) {
    return download(client, ts, KB_CAB).status(206).bytes(bytes);
  }
}
