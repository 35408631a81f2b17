package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A summary record written by the real writer: its count is part of the hashed line, so editing it
 * breaks the chain, and the Squid-format log gets one line for it.
 */
class SummaryRecordChainTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final String DAY_FILE = "audit-2026-11-23.jsonl";

  @TempDir Path dir;

  @BeforeEach
  void writeAnOrdinaryRecordAndASummary() throws Exception {
    FakeClock clock = new FakeClock(T0);
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            new AuditWriterSettings(dir, Duration.ofMillis(20), 400, true), clock);
    try {
      writer.append(AuditRecords.withTs("r-1", T0));
      writer.append(AuditRecords.rateLimitSummary("r-2", T0.plusMillis(5), 500));
      writer.sync().get(10, TimeUnit.SECONDS);
    } finally {
      writer.close();
    }
  }

  @Test
  void theSummaryIsOnTheChainAndItsCountCannotBeEditedUnseen() throws Exception {
    assertThat(AuditChainVerifier.verify(dir).intact()).isTrue();
    Path file = dir.resolve(DAY_FILE);
    List<String> lines = AuditLogs.lines(file);
    int summary = lines.size() - 2; // before the stop marker
    assertThat(lines.get(summary)).contains("\"count\":500,");

    lines.set(summary, lines.get(summary).replace("\"count\":500,", "\"count\":5,"));
    AuditLogs.rewrite(file, lines);

    AuditVerification result = AuditChainVerifier.verify(dir);
    assertThat(result.intact()).isFalse();
    assertThat(result.firstBreak().orElseThrow().message()).contains("hash mismatch");
  }

  @Test
  void theSquidLogHasOneLineForTheSummaryNamingItsCount() throws Exception {
    List<String> squid = Files.readAllLines(dir.resolve("access-2026-11-23.log"));

    assertThat(squid).hasSize(2);
    assertThat(squid.get(1))
        .contains(" TCP_DENIED/429 ")
        .contains(" patchgate-summary:count=500;hosts=a.example,b.example ");
  }
}
