package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.CacheOutcome;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The three-day log the query tests read: 2026-11-21 and -22 gzipped, -23 plain, with start and gap
 * markers and one torn line. Records q1..q11 are listed in file order.
 */
final class QueryLog {
  static final LocalDate DAY1 = LocalDate.parse("2026-11-21");
  static final LocalDate DAY2 = LocalDate.parse("2026-11-22");
  static final LocalDate DAY3 = LocalDate.parse("2026-11-23");
  static final String KB_CAB =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";
  static final String HOSTILE_URL =
      "http://evil.example.com/<script>alert(1)</script>\u001b[2J,\"x\"";
  static final String FORMULA_TARGET = "=cmd|' /C calc'!A0";
  static final String TORN =
      "{\"ts\":\"2026-11-22T01:00:00.000Z\",\"id\":\"torn\",\"client\":\"10.10.1.5\","
          + "\"url\":\"http://x/kb5034441";

  /** Each record's id and its line as written. */
  final Map<String, String> lines = new LinkedHashMap<>();

  QueryLog(Path dir) {
    AuditLogFixture log = new AuditLogFixture(dir);
    add(log, TestRecords.download().id("q1").ts("2026-11-21T08:00:00.000Z").url(KB_CAB));
    add(
        log,
        TestRecords.tunnel("fe2.update.microsoft.com")
            .id("q2")
            .client("10.10.1.6")
            .ts("2026-11-21T08:05:00.000Z"));
    add(
        log,
        TestRecords.denied("evil.example.com")
            .id("q3")
            .ts("2026-11-21T09:00:00.000Z")
            .url("http://evil.example.com/x"));
    add(
        log,
        TestRecords.download()
            .id("q4")
            .ts("2026-11-21T23:59:59.999Z")
            .url(KB_CAB)
            .cache(CacheOutcome.HIT));
    log.marker(Instant.parse("2026-11-22T00:00:00.100Z"), "start", "gateway started");
    add(
        log,
        TestRecords.download()
            .id("q5")
            .client("10.10.1.7")
            .ts("2026-11-22T00:00:00.000Z")
            .url("http://download.windowsupdate.com/d/Windows10.0-KB5034441-x64.cab")
            .status(206)
            .bytes(400_300)
            .cache(CacheOutcome.BYPASS));
    log.raw(DAY2, TORN);
    add(
        log,
        TestRecords.download()
            .id("q6")
            .via("192.0.2.10")
            .ts("2026-11-22T02:00:00.000Z")
            .url("http://au.download.windowsupdate.com/d/windows10.0-kb5035000-x64.cab")
            .host("au.download.windowsupdate.com"));
    add(
        log,
        TestRecords.download()
            .id("q7")
            .ts("2026-11-22T03:00:00.000Z")
            .url("http://windowsupdate.com/kb5034441.txt")
            .host("windowsupdate.com"));
    log.marker(Instant.parse("2026-11-23T00:00:01.000Z"), "gap", "torn last line");
    add(
        log,
        TestRecords.denied("download.windowsupdate.com")
            .id("q8")
            .client("10.10.1.9")
            .ts("2026-11-23T10:00:00.000Z")
            .url("http://download.windowsupdate.com/x.cab")
            .reason("unregistered client"));
    add(
        log,
        TestRecords.denied("evil.example.com")
            .id("q9")
            .ts("2026-11-23T11:00:00.000Z")
            .url(HOSTILE_URL));
    add(
        log,
        TestRecords.download()
            .id("q10")
            .via("192.0.2.10")
            .ts("2026-11-23T12:00:00.000Z")
            .url(KB_CAB)
            .cache(CacheOutcome.STALE));
    add(
        log,
        TestRecords.denied("x")
            .id("q11")
            .ts("2026-11-23T13:00:00.000Z")
            .url(FORMULA_TARGET)
            .host(null)
            .port(null)
            .decision(AuditDecision.ERROR)
            .reason("malformed request target")
            .status(400));
    log.write(Set.of(DAY1, DAY2));
  }

  private void add(AuditLogFixture log, TestRecords record) {
    String line = log.record(record.build());
    lines.put(record.build().id(), line);
  }
}
