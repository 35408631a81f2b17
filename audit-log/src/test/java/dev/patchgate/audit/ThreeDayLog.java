package dev.patchgate.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

/**
 * Writes a real audit log over three days with the real writer, as tests of the verifier start
 * from: days 1 and 2 gzipped by rotation, day 3 plain. Day 1 holds the start marker and five
 * records (6 lines, seq 1..6), day 2 five records (seq 7..11), day 3 five records and the stop
 * marker (6 lines, seq 12..17).
 */
final class ThreeDayLog {
  static final LocalDate DAY1 = LocalDate.of(2026, 11, 21);
  static final LocalDate DAY2 = DAY1.plusDays(1);
  static final LocalDate DAY3 = DAY1.plusDays(2);
  static final String FILE1 = "audit-2026-11-21.jsonl.gz";
  static final String FILE2 = "audit-2026-11-22.jsonl.gz";
  static final String FILE3 = "audit-2026-11-23.jsonl";

  private ThreeDayLog() {}

  static void write(Path dir) throws Exception {
    FakeClock clock = new FakeClock(at(DAY1, 8));
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            new AuditWriterSettings(dir, Duration.ofMillis(20), 400, false), clock);
    try {
      for (LocalDate day : new LocalDate[] {DAY1, DAY2, DAY3}) {
        clock.set(at(day, 9));
        for (int i = 1; i <= 5; i++) {
          writer.append(AuditRecords.withTs(day + "-" + i, at(day, 9).plusSeconds(60L * i)));
        }
        writer.sync().get(10, TimeUnit.SECONDS);
      }
      writer.maintenanceIdle().get(10, TimeUnit.SECONDS);
      clock.set(at(DAY3, 18));
    } finally {
      writer.close();
    }
  }

  static Instant at(LocalDate day, int hour) {
    return day.atTime(hour, 0).toInstant(ZoneOffset.UTC);
  }
}
