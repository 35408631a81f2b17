package dev.patchgate.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditChainVerifier;
import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.AuditJsonReader;
import dev.patchgate.audit.AuditVerification;
import dev.patchgate.audit.JsonLinesAuditWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query tools read the audit-format contract; these tests tie that reading to the base
 * package's own writer and verifier, so the two halves cannot drift apart unnoticed.
 */
class ContractCrossCheckTest {
  @TempDir Path dir;

  @Test
  void theTestFixturesChainVerifiesWithTheGatewaysVerifier() throws IOException {
    AuditLogFixture log = new AuditLogFixture(dir);
    log.record(TestRecords.download().id("a").ts("2026-11-21T08:00:00.000Z").build());
    log.marker(Instant.parse("2026-11-22T00:00:00.000Z"), "start", "gateway started");
    log.record(TestRecords.denied("evil.example").id("b").ts("2026-11-22T09:00:00.000Z").build());
    log.record(TestRecords.download().id("c").ts("2026-11-23T10:00:00.000Z").build());
    log.write(Set.of(LocalDate.parse("2026-11-21"), LocalDate.parse("2026-11-22")));

    AuditVerification verification = AuditChainVerifier.verify(dir);

    assertThat(verification.firstBreak()).isEmpty();
    assertThat(verification.records()).isEqualTo(3);
    assertThat(verification.lastSeq()).isEqualTo(4);
  }

  @Test
  void queryReturnsExactlyTheRecordLinesTheGatewaysWriterWrote() throws IOException {
    Clock clock = Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);
    try (JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(dir, clock, Duration.ofMillis(20))) {
      writer.append(TestRecords.download().id("w1").ts("2026-11-23T10:00:00.000Z").build());
      writer.append(
          TestRecords.denied("evil.example").id("w2").ts("2026-11-23T10:01:00.000Z").build());
      writer.append(TestRecords.download().id("w3").ts("2026-11-23T10:02:00.000Z").build());
    }
    List<String> written =
        Files.readAllLines(
            dir.resolve(JsonLinesAuditWriter.fileNameFor(LocalDate.parse("2026-11-23"))));
    List<String> records =
        written.stream()
            .filter(line -> !AuditJsonReader.readObject(line).containsKey(AuditFields.TYPE))
            .toList();

    CommandRun run = CommandRun.of(CommandRun.QUERY, dir, "--format", "json");

    assertThat(written.size()).as("start and stop markers around the records").isGreaterThan(3);
    assertThat(records).hasSize(3);
    assertThat(run.err()).isEmpty();
    assertThat(run.outLines()).containsExactlyElementsOf(records);
  }
}
