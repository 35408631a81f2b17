package dev.patchgate.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit query} shows that a summary record stands for its {@code count} requests. */
class SummaryRecordQueryTest {
  @TempDir Path dir;

  @BeforeEach
  void writeLog() {
    AuditLogFixture log = new AuditLogFixture(dir);
    log.record(
        TestRecords.denied("evil.example")
            .id("d1")
            .ts("2026-11-23T10:00:00.000Z")
            .reason("rate limit")
            .status(429)
            .build());
    log.record(
        TestRecords.download()
            .id("s1")
            .ts("2026-11-23T10:00:00.100Z")
            .rateLimitSummary(500, "2026-11-23T10:00:00.900Z", "evil.example", "other.example")
            .build());
    log.record(TestRecords.download().id("a1").ts("2026-11-23T10:00:01.000Z").build());
    log.write(Set.of());
  }

  @Test
  void csvCountColumnAddsUpToEveryRequestTheRecordsStandFor() {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--format", "csv");

    List<List<String>> rows = CsvReader.parse(run.out());
    int count = rows.get(0).indexOf("count");
    int hosts = rows.get(0).indexOf("hosts");
    assertThat(rows.subList(1, rows.size()))
        .extracting(row -> row.get(count))
        .containsExactly("1", "500", "1");
    assertThat(rows.get(2).get(hosts)).isEqualTo("evil.example other.example");
    assertThat(
            rows.subList(1, rows.size()).stream()
                .mapToLong(r -> Long.parseLong(r.get(count)))
                .sum())
        .isEqualTo(502);
  }

  @Test
  void tableShowsTheSummaryAndHowManyRequestsTheRowsStandFor() {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--decision", "deny");

    assertThat(run.exit()).isZero();
    assertThat(run.outLines().get(2))
        .endsWith("rate limit [summary of 500 requests; hosts: evil.example other.example]");
    assertThat(run.outLines().get(3))
        .isEqualTo(
            "(2 records standing for 501 requests: summary records count each request they stand"
                + " for)");
  }

  @Test
  void jsonOutputKeepsTheCountOnTheSummaryLine() {
    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--format", "json", "--decision", "deny");

    assertThat(run.outLines()).hasSize(2);
    assertThat(run.outLines().get(1)).contains("\"count\":500,");
  }
}
