package dev.patchgate.audit.report;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.query.AuditLogFixture;
import dev.patchgate.audit.query.TestRecords;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.Set;

/**
 * The three-day log the report tests read (2026-11-21 and -22 gzipped, -23 plain, markers and a
 * torn line). 10.10.1.5 fetches KB5034441 in three ranges over two days; 10.10.1.6 fetches a whole
 * cab; 10.10.1.7 aborts a KB5034441 download and fetches a file of unknown length; 10.10.1.10
 * fetches a file with a hostile name. Denials: 10.10.1.5 twice to evil.example.com, the
 * unregistered 10.10.1.9 twice, 10.10.1.10 once with a hostile raw target.
 */
final class ReportLog {
  static final String KB_CAB =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";
  static final String OTHER_CAB =
      "http://download.windowsupdate.com/d/windows10.0-kb5035000-x64_ffff.cab";
  static final String DO_URL =
      "http://7.tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/"
          + "c73a7176-1876-3d62-9fc0-f0a0f66f42fd?P1=1700000003&P2=404";
  static final String HOSTILE_URL =
      "http://vendor.example.jp/<script>alert(1)</script>/=HYPERLINK(\"x\").cab";
  static final String HOSTILE_TARGET = "<img src=x onerror=alert(1)>";
  static final String TORN =
      "{\"ts\":\"2026-11-22T11:00:00.000Z\",\"id\":\"torn\",\"client\":\"10.10.1.5\","
          + "\"method\":\"GET\",\"decision\":\"allow\",\"status\":206,\"bytes_to_cl";

  ReportLog(Path dir) {
    AuditLogFixture log = new AuditLogFixture(dir);
    LocalDate day2 = LocalDate.parse("2026-11-22");
    log.record(range("p1", "2026-11-21T08:00:00.000Z", 400_300, CacheOutcome.HIT).build());
    log.record(range("p2", "2026-11-21T08:01:00.000Z", 400_300, CacheOutcome.MISS).build());
    log.record(
        TestRecords.download()
            .id("p3")
            .client("10.10.1.6")
            .ts("2026-11-21T08:30:00.000Z")
            .url(OTHER_CAB)
            .bytes(1_000_300)
            .build());
    log.record(denied("d1", "10.10.1.5", "2026-11-21T09:00:00.000Z", "evil.example.com"));
    log.marker(Instant.parse("2026-11-22T00:00:00.000Z"), "start", "gateway started");
    log.record(range("p4", "2026-11-22T10:00:00.000Z", 300_300, CacheOutcome.HIT).build());
    log.raw(day2, TORN);
    log.record(
        TestRecords.download()
            .id("p5")
            .client("10.10.1.7")
            .ts("2026-11-22T10:30:00.000Z")
            .url(KB_CAB)
            .bytes(500_000)
            .cache(CacheOutcome.BYPASS)
            .build());
    log.record(
        TestRecords.download()
            .id("p6")
            .client("10.10.1.7")
            .ts("2026-11-22T10:40:00.000Z")
            .url(DO_URL)
            .host("7.tlu.dl.delivery.mp.microsoft.com")
            .status(206)
            .bytes(10_300)
            .objectLength(null)
            .build());
    // Not downloads: a HEAD, a tunnel, a denied GET of the file, an upstream error.
    log.record(
        TestRecords.download()
            .id("n1")
            .method("HEAD")
            .ts("2026-11-22T10:50:00.000Z")
            .url(KB_CAB)
            .bytes(300)
            .build());
    log.record(
        TestRecords.tunnel("fe2.update.microsoft.com")
            .id("n2")
            .ts("2026-11-22T10:51:00.000Z")
            .build());
    log.record(
        TestRecords.denied("download.windowsupdate.com")
            .id("d2")
            .client("10.10.1.9")
            .ts("2026-11-22T11:00:00.000Z")
            .url(KB_CAB)
            .reason("unregistered client")
            .build());
    log.record(
        TestRecords.download()
            .id("n3")
            .ts("2026-11-22T11:10:00.000Z")
            .url(KB_CAB)
            .decision(AuditDecision.ERROR)
            .reason("upstream connection failed")
            .status(502)
            .objectLength(null)
            .build());
    log.record(denied("d3", "10.10.1.5", "2026-11-22T12:00:00.000Z", "evil.example.com"));
    log.marker(Instant.parse("2026-11-23T00:00:00.000Z"), "gap", "torn last line");
    log.record(
        TestRecords.download()
            .id("p7")
            .client("10.10.1.10")
            .ts("2026-11-23T09:00:00.000Z")
            .url(HOSTILE_URL)
            .host("vendor.example.jp")
            .entry("vendor")
            .build());
    log.record(
        TestRecords.denied("x")
            .id("d4")
            .client("10.10.1.10")
            .ts("2026-11-23T09:30:00.000Z")
            .url(HOSTILE_TARGET)
            .host(null)
            .reason("malformed request target")
            .build());
    log.record(
        TestRecords.denied("download.windowsupdate.com")
            .id("d5")
            .client("10.10.1.9")
            .ts("2026-11-23T10:00:00.000Z")
            .reason("unregistered client")
            .build());
    log.write(Set.of(LocalDate.parse("2026-11-21"), day2));
  }

  private static TestRecords range(String id, String ts, long bytes, CacheOutcome cache) {
    return TestRecords.download().id(id).ts(ts).url(KB_CAB).status(206).bytes(bytes).cache(cache);
  }

  private static dev.patchgate.audit.AuditRecord denied(
      String id, String client, String ts, String host) {
    return TestRecords.denied(host).id(id).client(client).ts(ts).build();
  }
}
