package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RotationAndRetentionTest {
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);

  @TempDir Path tmp;
  private final FakeClock clock = new FakeClock(noon(DAY));
  private final List<JsonLinesAuditWriter> opened = new ArrayList<>();

  @AfterEach
  void closeWriters() {
    opened.forEach(JsonLinesAuditWriter::close);
  }

  @Test
  void theFinishedDayIsGzippedOnceTheNextDayIsWrittenAndStillVerifies() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, 400, false);
    writer.append(AuditRecords.withTs("d1", noon(DAY)));
    settle(writer);
    List<String> firstDay = AuditLogs.lines(dir.resolve("audit-2026-11-23.jsonl"));

    clock.set(noon(DAY.plusDays(1)));
    writer.append(AuditRecords.withTs("d2", noon(DAY.plusDays(1))));
    settle(writer);

    assertThat(AuditLogs.fileNames(dir))
        .containsExactly("audit-2026-11-23.jsonl.gz", "audit-2026-11-24.jsonl");
    assertThat(AuditLogs.lines(dir.resolve("audit-2026-11-23.jsonl.gz"))).isEqualTo(firstDay);
    assertThat(AuditChainVerifier.verify(dir).intact()).isTrue();
  }

  @Test
  void anInterruptedCompressionIsRedoneAtStartUpFromThePlainFile() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter first = open(dir, 400, false);
    first.append(AuditRecords.withTs("d1", noon(DAY)));
    first.append(AuditRecords.withTs("d2", noon(DAY.plusDays(1))));
    settle(first);
    first.close();
    // A crash after the rename but before the plain file was deleted, and another mid-write.
    Path gz = dir.resolve("audit-2026-11-23.jsonl.gz");
    byte[] content = AuditLogs.bytes(gz);
    Files.write(dir.resolve("audit-2026-11-23.jsonl"), content);
    Files.write(dir.resolve("audit-2026-11-23.jsonl.gz.tmp"), new byte[] {31, -117, 8});

    settle(open(dir, 400, false));

    assertThat(AuditLogs.fileNames(dir))
        .containsExactly("audit-2026-11-23.jsonl.gz", "audit-2026-11-24.jsonl");
    assertThat(AuditLogs.bytes(gz)).isEqualTo(content);
  }

  @Test
  void daysOlderThanTheRetentionAreDeletedAtStartUpAccessLogsIncluded() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("audit"));
    for (String name :
        List.of(
            "audit-2026-10-23.jsonl.gz", // 31 days before today: expired
            "access-2026-10-23.log.gz",
            "access-2026-10-23.log",
            "audit-2026-10-24.jsonl.gz", // 30 days: kept
            "access-2026-10-24.log.gz",
            "notes.txt")) {
      AuditLogs.writeBytes(dir.resolve(name), new byte[0]); // gzipped where the name says so
    }

    settle(open(dir, 30, false));

    assertThat(AuditLogs.fileNames(dir))
        .containsExactly("access-2026-10-24.log.gz", "audit-2026-10-24.jsonl.gz", "notes.txt");
  }

  @Test
  void retentionIsCheckedAgainWhenTheWriterMovesToANewDay() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("audit"));
    AuditLogs.writeBytes(dir.resolve("audit-2026-10-24.jsonl.gz"), new byte[0]);
    JsonLinesAuditWriter writer = open(dir, 30, false);
    writer.append(AuditRecords.withTs("d1", noon(DAY)));
    settle(writer);
    assertThat(AuditLogs.fileNames(dir)).contains("audit-2026-10-24.jsonl.gz");

    clock.set(noon(DAY.plusDays(1)));
    writer.append(AuditRecords.withTs("d2", noon(DAY.plusDays(1))));
    settle(writer);

    assertThat(AuditLogs.fileNames(dir))
        .containsExactly("audit-2026-11-23.jsonl.gz", "audit-2026-11-24.jsonl");
  }

  @Test
  void theDayBeingWrittenIsNeverDeletedWhateverTheClockSays() throws Exception {
    clock.set(noon(DAY.plusYears(5)));
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, 1, false);
    writer.append(AuditRecords.withTs("old-but-current", noon(DAY)));
    settle(writer);
    writer.append(AuditRecords.withTs("still-current", noon(DAY)));
    settle(writer);

    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("old-but-current", "still-current");
  }

  @Test
  void theSquidLogIsWrittenBesideTheJsonLinesAndRotatedWithThem() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, 400, true);
    writer.append(AuditRecords.withTs("d1-a", noon(DAY)));
    writer.append(AuditRecords.deniedUrl("http://evil.example/a b"));
    settle(writer);
    clock.set(noon(DAY.plusDays(1)));
    writer.append(AuditRecords.withTs("d2", noon(DAY.plusDays(1))));
    settle(writer);

    assertThat(AuditLogs.fileNames(dir))
        .containsExactly(
            "access-2026-11-23.log.gz",
            "access-2026-11-24.log",
            "audit-2026-11-23.jsonl.gz",
            "audit-2026-11-24.jsonl");
    List<String> firstDay = AuditLogs.lines(dir.resolve("access-2026-11-23.log.gz"));
    assertThat(firstDay).hasSize(2);
    assertThat(firstDay.get(0)).contains(" TCP_MISS/200 ");
    assertThat(firstDay.get(1)).contains(" TCP_DENIED/403 ").contains("http://evil.example/a%20b");
    assertThat(firstDay).allMatch(line -> SquidAccessLineTest.SQUID_NATIVE.matcher(line).matches());
    assertThat(AuditLogs.lines(dir.resolve("access-2026-11-24.log"))).hasSize(1);
  }

  /** Waits until everything appended is on disk and housekeeping queued so far is done. */
  private static void settle(JsonLinesAuditWriter writer) throws Exception {
    writer.sync().get(10, TimeUnit.SECONDS);
    writer.maintenanceIdle().get(10, TimeUnit.SECONDS);
  }

  private JsonLinesAuditWriter open(Path dir, int retainDays, boolean squidLog) {
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            new AuditWriterSettings(dir, Duration.ofMillis(20), retainDays, squidLog), clock);
    opened.add(writer);
    return writer;
  }

  private static Instant noon(LocalDate day) {
    return day.atTime(12, 0).toInstant(ZoneOffset.UTC);
  }
}
