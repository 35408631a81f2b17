package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.query.AuditLogFixture;
import dev.patchgate.audit.query.CommandRun;
import dev.patchgate.audit.query.CsvReader;
import dev.patchgate.audit.query.TestRecords;
import dev.patchgate.audit.query.UsageException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditReportCommandTest {
  private static final String KB_FILE =
      "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";

  /** Stands for the allowlist's sources: the Windows Update hosts the log's downloads come from. */
  static final KbSources WINDOWS_UPDATE_HOSTS =
      KbSources.of(
          "files from Windows Update hosts",
          (host, entry) ->
              host != null
                  && (host.equals("download.windowsupdate.com")
                      || host.endsWith(".delivery.mp.microsoft.com")));

  static final CommandRun.Command REPORT = CommandRun.report(() -> WINDOWS_UPDATE_HOSTS);

  @TempDir Path dir;

  @BeforeEach
  void writeLog() {
    new ReportLog(dir);
  }

  @Test
  void patchesCsvHasOneRowPerClientAndFileWithRangesMerged() {
    CommandRun run = CommandRun.of(REPORT, dir, "patches", "--format", "csv");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CsvReader.parse(run.out()))
        .containsExactly(
            List.of(
                "client",
                "first_seen",
                "last_seen",
                "kb",
                "file",
                "host",
                "size_bytes",
                "complete",
                "source",
                "requests",
                "bytes_sent",
                "entry",
                "url"),
            List.of(
                "10.10.1.5",
                "2026-11-21T08:00:00.000Z",
                "2026-11-22T10:00:00.000Z",
                "KB5034441",
                KB_FILE,
                "download.windowsupdate.com",
                "1000000",
                "complete",
                "mirror+upstream",
                "3",
                "1100900",
                "windows-update",
                ReportLog.KB_CAB),
            List.of(
                "10.10.1.6",
                "2026-11-21T08:30:00.000Z",
                "2026-11-21T08:30:00.000Z",
                "KB5035000",
                "windows10.0-kb5035000-x64_ffff.cab",
                "download.windowsupdate.com",
                "1000000",
                "complete",
                "upstream",
                "1",
                "1000300",
                "windows-update",
                ReportLog.OTHER_CAB),
            List.of(
                "10.10.1.7",
                "2026-11-22T10:30:00.000Z",
                "2026-11-22T10:30:00.000Z",
                "KB5034441",
                KB_FILE,
                "download.windowsupdate.com",
                "1000000",
                "incomplete",
                "upstream",
                "1",
                "500000",
                "windows-update",
                ReportLog.KB_CAB),
            List.of(
                "10.10.1.7",
                "2026-11-22T10:40:00.000Z",
                "2026-11-22T10:40:00.000Z",
                "",
                "c73a7176-1876-3d62-9fc0-f0a0f66f42fd",
                "7.tlu.dl.delivery.mp.microsoft.com",
                "10300",
                "unknown",
                "upstream",
                "1",
                "10300",
                "windows-update",
                ReportLog.DO_URL),
            List.of(
                "10.10.1.10",
                "2026-11-23T09:00:00.000Z",
                "2026-11-23T09:00:00.000Z",
                "",
                "'=HYPERLINK(\"x\").cab",
                "vendor.example.jp",
                "1000000",
                "complete",
                "upstream",
                "1",
                "1000300",
                "vendor",
                ReportLog.HOSTILE_URL));
  }

  @Test
  void theKbQuestionIsAnsweredByOneCommand() {
    CommandRun run =
        CommandRun.of(REPORT, dir, "patches", "--client", "10.10.1.5", "--kb", "KB5034441");

    assertThat(run.exit()).isZero();
    assertThat(run.outLines()).hasSize(2);
    assertThat(run.outLines().get(0))
        .isEqualTo(
            "CLIENT     FIRST SEEN                LAST SEEN                 KB         FILE"
                + "                                                      HOST"
                + "                        SIZE       COMPLETE  SOURCE           REQUESTS");
    assertThat(run.outLines().get(1))
        .isEqualTo(
            "10.10.1.5  2026-11-21T08:00:00.000Z  2026-11-22T10:00:00.000Z  KB5034441"
                + "  windows10.0-kb5034441...cdef0123456789abcdef01234567.cab"
                + "  download.windowsupdate.com  976.6 KiB  complete  mirror+upstream         3");
  }

  @Test
  void aClientThatNeverGotTheKbGetsAnExplicitNoRows() {
    CommandRun run =
        CommandRun.of(REPORT, dir, "patches", "--client", "10.10.1.6", "--kb", "5034441");

    assertThat(run.exit()).isZero();
    assertThat(run.outLines()).last().isEqualTo("(no downloads found)");
  }

  static Stream<Arguments> patchFilters() {
    return Stream.of(
        Arguments.of(
            List.of("--kb", "kb5034441"), List.of("10.10.1.5 complete", "10.10.1.7 incomplete")),
        Arguments.of(
            List.of("--since", "2026-11-22", "--kb", "KB5034441"),
            List.of("10.10.1.5 partial (range)", "10.10.1.7 incomplete")),
        Arguments.of(
            List.of("--until", "2026-11-21", "--client", "10.10.1.5"),
            List.of("10.10.1.5 partial (range)")),
        Arguments.of(List.of("--entry", "VENDOR"), List.of("10.10.1.10 complete")),
        Arguments.of(
            List.of("--host", "*.delivery.mp.microsoft.com"), List.of("10.10.1.7 unknown")));
  }

  @ParameterizedTest
  @MethodSource("patchFilters")
  void patchFiltersSelectTheExpectedDownloads(List<String> filter, List<String> expected) {
    String[] args =
        Stream.concat(Stream.of("patches", "--format", "csv"), filter.stream())
            .toArray(String[]::new);

    CommandRun run = CommandRun.of(REPORT, dir, args);

    List<List<String>> rows = CsvReader.parse(run.out());
    assertThat(rows.subList(1, rows.size()))
        .extracting(row -> row.get(0) + " " + row.get(7))
        .containsExactlyElementsOf(expected);
  }

  @Test
  void clientsAreOrderedByAddressNotByText() {
    CommandRun run = CommandRun.of(REPORT, dir, "patches");

    assertThat(run.outLines().subList(1, run.outLines().size()))
        .extracting(line -> line.substring(0, line.indexOf(' ')))
        .containsExactly("10.10.1.5", "10.10.1.6", "10.10.1.7", "10.10.1.7", "10.10.1.10");
  }

  @Test
  void theAdminListenersOwnRequestsAreNotDownloads(@TempDir Path own) {
    AuditLogFixture log = new AuditLogFixture(own);
    log.record(TestRecords.download().id("p1").ts("2026-11-23T08:00:00.000Z").build());
    // A metrics scrape on the admin listener: an allowed GET answered 200 whose URL is a path.
    log.record(
        TestRecords.download()
            .id("admin1")
            .ts("2026-11-23T09:00:00.000Z")
            .url("/metrics")
            .host("127.0.0.1")
            .entry(null)
            .bytes(4_000)
            .build());
    log.write(Set.of());

    CommandRun run = CommandRun.of(REPORT, own, "patches", "--format", "csv");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CsvReader.parse(run.out()))
        .extracting(row -> row.get(12))
        .containsExactly("url", TestRecords.download().build().url());
  }

  @Test
  void theAdminListenersOwnRefusalsAreNotDeniedTraffic(@TempDir Path own) {
    AuditLogFixture log = new AuditLogFixture(own);
    log.record(TestRecords.denied("evil.example").id("d1").ts("2026-11-23T08:00:00.000Z").build());
    // A failed console sign-in and a scrape from outside admin.clients: refusals whose URL is a
    // path on the admin listener.
    log.record(
        TestRecords.denied("127.0.0.1")
            .id("admin1")
            .ts("2026-11-23T09:00:00.000Z")
            .method("CONSOLE")
            .url("/login")
            .reason("wrong user name or password")
            .build());
    log.record(
        TestRecords.denied("127.0.0.1")
            .id("admin2")
            .ts("2026-11-23T09:01:00.000Z")
            .url("/metrics")
            .reason("admin listener: client not in patchgate.admin.clients")
            .build());
    log.write(Set.of());

    CommandRun run = CommandRun.of(REPORT, own, "denied", "--format", "csv");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CsvReader.parse(run.out()))
        .extracting(row -> row.get(2))
        .containsExactly("target", "evil.example");
  }

  @Test
  void aMalformedLineIsWarnedAboutAndTheReportSaysItsInputWasIncomplete() {
    CommandRun run = CommandRun.of(REPORT, dir, "patches", "--format", "html");

    assertThat(run.exit()).isZero();
    assertThat(run.err()).contains(dir.resolve("audit-2026-11-22.jsonl.gz") + ":3: malformed line");
    assertThat(run.out()).contains("Incomplete input: 1 malformed lines skipped");
  }

  @Test
  void deniedCsvListsPerClientWhatWasRefusedHowOftenAndFlagsUnregisteredClients() {
    CommandRun run = CommandRun.of(REPORT, dir, "denied", "--format", "csv");

    assertThat(run.exit()).isZero();
    assertThat(CsvReader.parse(run.out()))
        .containsExactly(
            List.of(
                "client", "unregistered", "target", "reason", "count", "first_seen", "last_seen"),
            List.of(
                "10.10.1.5",
                "false",
                "evil.example.com",
                "host not in allowlist",
                "2",
                "2026-11-21T09:00:00.000Z",
                "2026-11-22T12:00:00.000Z"),
            List.of(
                "10.10.1.9",
                "true",
                "download.windowsupdate.com",
                "unregistered client",
                "2",
                "2026-11-22T11:00:00.000Z",
                "2026-11-23T10:00:00.000Z"),
            List.of(
                "10.10.1.10",
                "false",
                ReportLog.HOSTILE_TARGET,
                "malformed request target",
                "1",
                "2026-11-23T09:30:00.000Z",
                "2026-11-23T09:30:00.000Z"));
  }

  @Test
  void deniedTableFlagsUnregisteredClients() {
    CommandRun run = CommandRun.of(REPORT, dir, "denied", "--since", "2026-11-23");

    assertThat(run.outLines())
        .containsExactly(
            "CLIENT      FLAG          HOST                          REASON                    COUNT"
                + "  FIRST SEEN                LAST SEEN",
            "10.10.1.9   UNREGISTERED  download.windowsupdate.com    unregistered client           1"
                + "  2026-11-23T10:00:00.000Z  2026-11-23T10:00:00.000Z",
            "10.10.1.10                <img src=x onerror=alert(1)>  malformed request target      1"
                + "  2026-11-23T09:30:00.000Z  2026-11-23T09:30:00.000Z");
  }

  @ParameterizedTest
  @MethodSource("reports")
  void htmlIsOneSelfContainedPageWithEveryValueEscaped(String report) {
    CommandRun run = run(report, "--format", "html");

    String html = run.out();
    String lower = html.toLowerCase(Locale.ROOT);
    assertThat(run.exit()).isZero();
    assertThat(html).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
    assertThat(lower).doesNotContain("<script", "url(", "@import", "<img", "<link", "<iframe");
    // No tag carries a src or href attribute; such text inside cells is escaped and inert.
    assertThat(lower).doesNotContainPattern("<[^>]*\\s(src|href)\\s*=");
    assertThat(html)
        .contains("<style>", "@media print", "Content-Security-Policy", "default-src 'none'")
        .contains("Generated 2026-11-24T08:00:00Z");
  }

  static Stream<String> reports() {
    return Stream.of("patches", "denied");
  }

  @Test
  void htmlShowsHostileUrlsAsTextAndMarksUnregisteredClients() {
    assertThat(run("patches", "--format", "html").out())
        .contains(
            "http://vendor.example.jp/&lt;script&gt;alert(1)&lt;/script&gt;/=HYPERLINK(&quot;x&quot;).cab",
            "<h2>10.10.1.5</h2>",
            "<td class=\"n\" title=\"1000000 bytes\">976.6 KiB</td>");
    assertThat(run("denied", "--format", "html").out())
        .contains(
            "<h2>10.10.1.9<span class=\"flag\">UNREGISTERED</span></h2>",
            "<td class=\"u\">&lt;img src=x onerror=alert(1)&gt;</td>");
  }

  @Test
  void aDirectoryWithoutAuditFilesExitsWithOne(@TempDir Path empty) {
    CommandRun run = CommandRun.of(REPORT, empty, "denied");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("patchgate audit report: no audit files in " + empty + "\n");
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        Arguments.of(
            List.of("downloads"),
            "unknown report 'downloads' (expected: patches, denied, coverage or anomalies)"),
        Arguments.of(List.of("denied", "--kb", "KB5034441"), "--kb applies to report patches only"),
        Arguments.of(
            List.of("patches", "--kb", "KB5034441,KB5035000"),
            "--kb: report patches takes one KB number"),
        Arguments.of(
            List.of("patches", "--kb", "KB12"),
            "--kb: 'KB12' (expected: a KB number such as KB5034441)"),
        Arguments.of(
            List.of("patches", "--format", "json"),
            "--format: 'json' (expected: table, csv or html)"),
        Arguments.of(
            List.of("patches", "--since", "soon"),
            "--since: 'soon' (expected: a UTC date like 2026-11-01, or an instant like"
                + " 2026-11-01T09:00:00Z or 2026-11-01T18:00+09:00)"),
        Arguments.of(
            List.of("anomalies", "--kind", "beaconing,scanning"),
            "--kind: 'scanning' (expected: new_destination, unusual_hours, beaconing, burst,"
                + " outside_schedule)"),
        Arguments.of(
            List.of("anomalies", "--baseline", "4w"),
            "--baseline: '4w' (expected: a number of days, e.g. 28)"),
        Arguments.of(
            List.of("anomalies", "--client", "10.10.1.5"),
            "--client does not apply to report anomalies (narrow it with --clients)"),
        Arguments.of(
            List.of("anomalies", "--since", "2026-11-20", "--until", "2026-11-10"),
            "--since must be before --until"),
        Arguments.of(
            List.of("coverage", "--kb", "KB5034441", "--baseline", "7"),
            "--baseline applies to report anomalies only"));
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void aUsageErrorPrintsOneLineAndTheUsageAndExitsWithTwo(List<String> args, String message) {
    CommandRun run = CommandRun.of(REPORT, dir, args.toArray(String[]::new));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("patchgate audit report: " + message + "\n");
  }

  private CommandRun run(String... args) {
    Clock clock = Clock.fixed(Instant.parse("2026-11-24T08:00:00.5Z"), ZoneOffset.UTC);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit;
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      exit =
          AuditReportCommand.run(
                  CommandRun.reportOptions(List.of(args), dir),
                  new AuditReportCommand.Context(
                      () -> WINDOWS_UPDATE_HOSTS,
                      ClientGroups::none,
                      AnomalySettings.defaults(),
                      clock),
                  o,
                  e)
              ? 0
              : 1;
    } catch (UsageException ex) {
      throw new AssertionError(ex);
    }
    return new CommandRun(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }
}
