package dev.patchgate.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditDayFile;
import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.AuditJson;
import dev.patchgate.audit.AuditJsonReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditQueryCommandTest {
  @TempDir Path dir;
  private QueryLog log;

  @BeforeEach
  void writeLog() {
    log = new QueryLog(dir);
  }

  static Stream<Arguments> filters() {
    return Stream.of(
        row(
            "no filter: every record, markers and the torn line skipped",
            List.of(),
            "q1 q2 q3 q4 q5 q6 q7 q8 q9 q10 q11"),
        row("client", List.of("--client", "10.10.1.5"), "q1 q3 q4 q6 q7 q9 q10 q11"),
        // The PCs a site gateway relayed; records that came straight from a PC have via null.
        row("via", List.of("--via", "192.0.2.10"), "q6 q10"),
        row(
            "wildcard host covers subdomains but not the suffix itself",
            List.of("--host", "*.windowsupdate.com"),
            "q1 q4 q5 q6 q8 q10"),
        row("exact host", List.of("--host", "WindowsUpdate.com"), "q7"),
        row("decision", List.of("--decision", "deny"), "q3 q8 q9"),
        row("status", List.of("--status", "206"), "q5"),
        row("method", List.of("--method", "connect"), "q2"),
        row("url-contains ignores case", List.of("--url-contains", "KB5034441"), "q1 q4 q5 q7 q10"),
        row("entry ignores case", List.of("--entry", "WINDOWS-UPDATE"), "q1 q2 q4 q5 q6 q7 q10"),
        row(
            "since a date: from the start of that UTC day",
            List.of("--since", "2026-11-22"),
            "q5 q6 q7 q8 q9 q10 q11"),
        row(
            "until a date: through the end of that UTC day",
            List.of("--until", "2026-11-21"),
            "q1 q2 q3 q4"),
        row(
            "since inclusive, until an instant exclusive",
            List.of("--since", "2026-11-21T09:00:00Z", "--until", "2026-11-22T00:00:00Z"),
            "q3 q4"),
        row(
            "an instant with an offset",
            List.of(
                "--since", "2026-11-22T09:00+09:00", "--until", "2026-11-22T11:00:00.001+09:00"),
            "q5 q6"),
        row(
            "filters are ANDed",
            List.of(
                "--client",
                "10.10.1.5",
                "--host",
                "*.windowsupdate.com",
                "--decision",
                "allow",
                "--status",
                "200",
                "--url-contains",
                "kb5034441",
                "--since",
                "2026-11-21",
                "--until",
                "2026-11-23"),
            "q1 q4 q10"),
        row("limit", List.of("--limit", "2"), "q1 q2"),
        row("nothing matches", List.of("--client", "10.99.99.99"), ""));
  }

  private static Arguments row(String what, List<String> args, String ids) {
    return Arguments.of(what, args, ids.isEmpty() ? List.of() : List.of(ids.split(" ", -1)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void eachFilterSelectsExactlyTheExpectedRecords(
      String what, List<String> filter, List<String> expected) {
    List<String> args = new ArrayList<>(filter);
    args.addAll(List.of("--format", "json"));

    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, args.toArray(String[]::new));

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(ids(run)).containsExactlyElementsOf(expected);
  }

  @Test
  void jsonOutputIsTheOriginalLinesWithSeqAndHash() {
    CommandRun run =
        CommandRun.of(CommandRun.QUERY, dir, "--format", "json", "--client", "10.10.1.7");

    assertThat(run.out()).isEqualTo(log.lines.get("q5") + "\n");
    assertThat(run.out()).contains("\"seq\":", "\"hash\":\"");
  }

  @Test
  void aMalformedLineIsReportedWithFileAndLineAndTheQueryGoesOn() {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--format", "json");

    assertThat(run.exit()).isZero();
    assertThat(run.err())
        .contains(dir.resolve("audit-2026-11-22.jsonl.gz") + ":3: malformed line")
        .doesNotContain("torn\""); // the line's own text is not echoed
    assertThat(run.err().lines()).hasSize(1);
    assertThat(ids(run)).hasSize(11);
  }

  @Test
  void csvHasAHeaderOfTheFieldNamesAndParsesBackToTheRecords() {
    CommandRun run =
        CommandRun.of(CommandRun.QUERY, dir, "--format", "csv", "--client", "10.10.1.5");

    List<List<String>> rows = CsvReader.parse(run.out());
    List<String> header = new ArrayList<>(AuditFields.IN_ORDER);
    header.addAll(AuditFields.SUMMARY_IN_ORDER);
    header.add("seq");
    assertThat(rows.get(0)).isEqualTo(header);
    assertThat(rows).hasSize(1 + 8);
    for (List<String> row : rows) {
      assertThat(row).hasSize(header.size());
    }
    List<String> q1 = rows.get(1);
    Map<String, Object> expected = AuditJsonReader.readObject(log.lines.get("q1"));
    for (int i = 0; i < header.size(); i++) {
      // An ordinary record stands for one request: its count cell says so.
      Object value = header.get(i).equals("count") ? 1L : expected.get(header.get(i));
      assertThat(q1.get(i)).as(header.get(i)).isEqualTo(value == null ? "" : value.toString());
    }
  }

  @Test
  void csvCellsCannotRunAsFormulasOrBreakRowsAndControlCharactersAreShownEscaped() {
    CommandRun run =
        CommandRun.of(CommandRun.QUERY, dir, "--format", "csv", "--since", "2026-11-23T11:00:00Z");

    List<List<String>> rows = CsvReader.parse(run.out());
    int url = AuditFields.IN_ORDER.indexOf(AuditFields.URL);
    assertThat(rows).hasSize(1 + 3);
    assertThat(rows.get(1).get(url))
        .isEqualTo("http://evil.example.com/<script>alert(1)</script>\\u001b[2J,\"x\"");
    assertThat(rows.get(3).get(url)).isEqualTo("'" + QueryLog.FORMULA_TARGET);
    assertThat(run.out()).doesNotContain("\u001b");
  }

  @Test
  void tableShowsAlignedColumnsWithTheFileNameOfALongUrlKept() {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--client", "10.10.1.5", "--limit", "3");

    List<String> lines = run.outLines();
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .startsWith("TS                        CLIENT           METHOD   URL")
        .contains("DECISION  STATUS         BYTES  CACHE   ENTRY / REASON");
    assertThat(lines.get(1))
        .startsWith(
            "2026-11-21T08:00:00.000Z  10.10.1.5        GET      "
                + "http://download.windowsupdate.com/.../windows10.0-kb5034441-x64_..."
                + "f01234567.cab  ")
        .endsWith("allow        200       1000300  miss    windows-update");
    assertThat(lines.get(2)).contains("deny         403").endsWith("host not in allowlist");
    int urlColumn = lines.get(0).indexOf("DECISION");
    assertThat(lines).allSatisfy(l -> assertThat(l.indexOf(" allow ") + 1).isIn(0, urlColumn));
  }

  @Test
  void tableShowsHostileControlCharactersEscaped() {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--since", "2026-11-23T11:00Z");

    assertThat(run.out()).doesNotContain("\u001b").contains("\\u001b[2J");
  }

  @Test
  void tableSaysSoWhenNothingMatches() {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--client", "10.99.99.99");

    assertThat(run.exit()).isZero();
    assertThat(run.outLines()).hasSize(2).last().isEqualTo("(no matching records)");
  }

  @Test
  void aDownloadThatRanOverMidnightIsFoundInTheNextDaysFile(@TempDir Path other)
      throws IOException {
    // It arrived on the 20th, but finished after the 21st's first line: the writer put it there.
    String line =
        new ChainedLines()
            .next(
                AuditJson.toJson(
                    TestRecords.download().ts("2026-11-20T23:59:58.000Z").id("late").build()));
    Files.writeString(other.resolve("audit-2026-11-21.jsonl"), line + "\n");

    CommandRun run =
        CommandRun.of(CommandRun.QUERY, other, "--format", "json", "--until", "2026-11-20");

    assertThat(ids(run)).containsExactly("late");
  }

  @Test
  void aDayPresentPlainAndGzippedIsReadOnceFromThePlainFile() throws IOException {
    Files.write(
        dir.resolve("audit-2026-11-22.jsonl"),
        (log.lines.get("q6") + "\n").getBytes(StandardCharsets.UTF_8));

    CommandRun run =
        CommandRun.of(
            CommandRun.QUERY,
            dir,
            "--format",
            "json",
            "--since",
            "2026-11-22",
            "--until",
            "2026-11-22");

    assertThat(ids(run)).containsExactly("q6");
  }

  @Test
  void aDayGzippedAfterTheListingIsReadFromItsGzippedFile() throws IOException {
    // As listed before the writer compressed 2026-11-22: the plain name, now gone.
    AuditDayFile listed =
        new AuditDayFile(QueryLog.DAY2, dir.resolve("audit-2026-11-22.jsonl"), false);
    List<String> ids = new ArrayList<>();
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();

    ScanSummary summary =
        AuditScanner.scan(
            List.of(listed),
            AuditQuery.builder().build(),
            line -> ids.add(line.text(AuditFields.ID)),
            new PrintStream(warnings, true, StandardCharsets.UTF_8));

    assertThat(ids).containsExactly("q5", "q6", "q7");
    assertThat(summary.complete()).isTrue();
    assertThat(summary.files()).isEqualTo(1);
  }

  @Test
  void aTruncatedGzipFileIsReportedAndTheExitSaysTheAnswerMayBeIncomplete() throws IOException {
    Path gz = dir.resolve("audit-2026-11-21.jsonl.gz");
    byte[] bytes = Files.readAllBytes(gz);
    Files.write(gz, Arrays.copyOf(bytes, bytes.length - 20));

    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--format", "json");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("audit-2026-11-21.jsonl.gz", "cannot be read");
    assertThat(ids(run)).contains("q5", "q11");
  }

  @Test
  void aDirectoryWithoutAuditFilesExitsWithOne(@TempDir Path empty) {
    CommandRun run = CommandRun.of(CommandRun.QUERY, empty);

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).isEqualTo("patchgate audit query: no audit files in " + empty + "\n");
  }

  @Test
  void dirOptionOverridesTheDefaultDirectory(@TempDir Path empty) {
    CommandRun run =
        CommandRun.of(CommandRun.QUERY, empty, "--dir", dir.toString(), "--format", "json");

    assertThat(ids(run)).hasSize(11);
  }

  @ParameterizedTest
  @MethodSource("usageErrors")
  void aUsageErrorPrintsOneLineAndTheUsageAndExitsWithTwo(List<String> args, String message) {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, args.toArray(String[]::new));

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("patchgate audit query: " + message + "\n");
    assertThat(run.out()).isEmpty();
  }

  static Stream<Arguments> usageErrors() {
    return Stream.of(
        Arguments.of(List.of("--format", "xml"), "--format: 'xml' (expected: table, json or csv)"),
        Arguments.of(
            List.of("--decision", "maybe"), "--decision: 'maybe' (expected: allow, deny or error)"),
        Arguments.of(
            List.of("--status", "ok"),
            "--status: 'ok' (expected: an HTTP status code such as 200)"),
        Arguments.of(List.of("--limit", "0"), "--limit: '0' (expected: a positive number)"),
        Arguments.of(
            List.of("--host", "*"),
            "--host: '*' (expected: a host like download.windowsupdate.com or *.suffix)"),
        Arguments.of(
            List.of("--since", "yesterday"),
            "--since: 'yesterday' (expected: a UTC date like 2026-11-01, or an instant like"
                + " 2026-11-01T09:00:00Z or 2026-11-01T18:00+09:00)"),
        Arguments.of(
            List.of("--since", "2026-11-23", "--until", "2026-11-22"),
            "--until must be after --since (the period is empty: 2026-11-23T00:00:00Z to"
                + " 2026-11-23T00:00:00Z)"));
  }

  private static List<String> ids(CommandRun run) {
    return run.outLines().stream()
        .map(line -> (String) AuditJsonReader.readObject(line).get(AuditFields.ID))
        .toList();
  }
}
