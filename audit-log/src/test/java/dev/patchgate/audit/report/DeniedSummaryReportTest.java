package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.query.AuditLogFixture;
import dev.patchgate.audit.query.CommandRun;
import dev.patchgate.audit.query.CsvReader;
import dev.patchgate.audit.query.TestRecords;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit report denied} counts a summary record as the requests it stands for. */
class DeniedSummaryReportTest {
  @TempDir Path dir;

  @Test
  void aSummaryOfFiveHundredAndTwoOwnRecordsMakeFiveHundredAndTwoRequests() {
    AuditLogFixture log = new AuditLogFixture(dir);
    for (String id : List.of("d1", "d2")) {
      log.record(
          TestRecords.denied("evil.example")
              .id(id)
              .ts("2026-11-23T10:00:00.00" + id.charAt(1) + "Z")
              .reason("rate limit")
              .status(429)
              .build());
    }
    log.record(
        TestRecords.download()
            .id("s1")
            .ts("2026-11-23T10:00:00.100Z")
            .rateLimitSummary(500, "2026-11-23T10:00:00.900Z", "evil.example")
            .build());
    log.record(
        TestRecords.download()
            .id("s2")
            .client("10.10.1.6")
            .ts("2026-11-23T10:00:02.000Z")
            .rateLimitSummary(7, "2026-11-23T10:00:02.500Z", "a.example", "b.example")
            .build());
    log.write(Set.of());

    CommandRun run = CommandRun.of(AuditReportCommandTest.REPORT, dir, "denied", "--format", "csv");

    assertThat(run.exit()).isZero();
    assertThat(CsvReader.parse(run.out()))
        .containsExactly(
            List.of(
                "client", "unregistered", "target", "reason", "count", "first_seen", "last_seen"),
            List.of(
                "10.10.1.5",
                "false",
                "evil.example",
                "rate limit",
                "502",
                "2026-11-23T10:00:00.001Z",
                "2026-11-23T10:00:00.900Z"),
            List.of(
                "10.10.1.6",
                "false",
                "a.example b.example",
                "rate limit",
                "7",
                "2026-11-23T10:00:02.000Z",
                "2026-11-23T10:00:02.500Z"));
  }
}
