package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.query.AuditLogFixture;
import dev.patchgate.audit.query.CommandRun;
import dev.patchgate.audit.query.CsvReader;
import dev.patchgate.audit.query.TestRecords;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 10, finding 11: a KB number is read from a file's name only when the file's host or
 * allowing entry is trusted to name KB numbers, so that any allowed host serving a file called
 * {@code kb5034441.cab} cannot make that KB look installed.
 */
class KbAttributionTest {
  private static final String MICROSOFT_URL =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";
  private static final String LOOK_ALIKE_URL =
      "http://files.example.net/windows10.0-kb5034441-x64.cab";
  private static final String VENDOR_URL = "http://patches.vendor.example/his/kb5036000.msu";

  /**
   * Stands for the sources the CLI builds from the allowlist: a Microsoft host, and the entry
   * {@code vendor-kb} (as one with {@code kb-files = true}).
   */
  private static final KbSources SOURCES =
      KbSources.of(
          "files from download.windowsupdate.com and the entry vendor-kb",
          (host, entry) -> "download.windowsupdate.com".equals(host) || "vendor-kb".equals(entry));

  private static final CommandRun.Command REPORT = CommandRun.report(() -> SOURCES);

  @TempDir Path dir;

  @BeforeEach
  void writeLog() {
    AuditLogFixture log = new AuditLogFixture(dir);
    log.record(
        TestRecords.download()
            .id("microsoft")
            .client("10.10.1.5")
            .ts("2026-11-23T08:00:00.000Z")
            .url(MICROSOFT_URL)
            .build());
    log.record(
        TestRecords.download()
            .id("look-alike")
            .client("10.10.1.6")
            .ts("2026-11-23T08:10:00.000Z")
            .url(LOOK_ALIKE_URL)
            .host("files.example.net")
            .entry("his-mirror")
            .build());
    log.record(
        TestRecords.download()
            .id("vendor")
            .client("10.10.1.7")
            .ts("2026-11-23T08:20:00.000Z")
            .url(VENDOR_URL)
            .host("patches.vendor.example")
            .entry("vendor-kb")
            .build());
    log.write(Set.of());
  }

  @Test
  void aKbNamedFileGetsItsKbOnlyFromATrustedHostOrEntryAndEveryRowShowsItsHost() {
    CommandRun run = CommandRun.of(REPORT, dir, "patches", "--format", "csv");

    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(CsvReader.parse(run.out()))
        .extracting(row -> String.join(" ", row.get(0), row.get(3), row.get(5)))
        .containsExactly(
            "client kb host",
            // a Microsoft update host: the name's KB counts
            "10.10.1.5 KB5034441 download.windowsupdate.com",
            // any other allowed host: the same name proves nothing
            "10.10.1.6  files.example.net",
            // an entry the administrator marked kb-files = true
            "10.10.1.7 KB5036000 patches.vendor.example");
  }

  @Test
  void theKbQuestionIsNotAnsweredByALookAlikeFileOnAnotherHost() {
    CommandRun run =
        CommandRun.of(REPORT, dir, "patches", "--client", "10.10.1.6", "--kb", "KB5034441");

    assertThat(run.exit()).isZero();
    assertThat(run.outLines()).last().isEqualTo("(no downloads found)");
  }

  @Test
  void theKbQuestionIsAnsweredForAFileFromAMicrosoftHost() {
    CommandRun run = CommandRun.of(REPORT, dir, "patches", "--kb", "KB5034441", "--format", "csv");

    assertThat(CsvReader.parse(run.out()))
        .extracting(row -> row.get(0))
        .containsExactly("client", "10.10.1.5");
  }

  @Test
  void theTableHasAHostColumn() {
    CommandRun run = CommandRun.of(REPORT, dir, "patches", "--client", "10.10.1.6");

    assertThat(run.outLines().get(0)).contains("  FILE  ", "  HOST  ");
    assertThat(run.outLines().get(1)).contains("windows10.0-kb5034441-x64.cab  files.example.net");
  }

  @Test
  void theHtmlReportSaysWhereKbNumbersComeFrom() {
    CommandRun run = CommandRun.of(REPORT, dir, "patches", "--format", "html");

    assertThat(run.out())
        .contains(
            "KB numbers: only from files from download.windowsupdate.com and the entry vendor-kb",
            // the host is shown where the page has room for it: at the start of the URL
            "<td class=\"u\">http://files.example.net/windows10.0-kb5034441-x64.cab</td>");
  }

  @Test
  void theSourcesAreNotAskedForTheDeniedReportNorForAUsageError() {
    CommandRun.Command failIfAsked =
        CommandRun.report(
            () -> {
              throw new AssertionError("the KB sources were asked for");
            });

    assertThat(CommandRun.of(failIfAsked, dir, "denied").exit()).isZero();
    assertThat(CommandRun.of(failIfAsked, dir, "patches", "--kb", "x").exit()).isEqualTo(2);
  }
}
