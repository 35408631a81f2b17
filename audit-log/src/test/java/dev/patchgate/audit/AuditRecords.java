package dev.patchgate.audit;

import java.time.Instant;
import java.util.List;

/** Ready-made records for tests; public for the tests of the audit forwarder. */
public final class AuditRecords {
  static final Instant ARRIVED = Instant.parse("2026-11-23T10:15:30.123Z");

  private AuditRecords() {}

  /** An allowed, mirrored download: every field filled. */
  static AuditRecord allowedDownload(String id) {
    return withTs(id, ARRIVED);
  }

  public static AuditRecord withTs(String id, Instant ts) {
    return new AuditRecord(
        ts,
        id,
        "10.1.2.3",
        null,
        "GET",
        "http://download.windowsupdate.com/c/msdownload/update/kb123.cab",
        "download.windowsupdate.com",
        80,
        AuditDecision.ALLOW,
        "*.windowsupdate.com",
        null,
        false,
        200,
        5_368_709_120L,
        312,
        1_250,
        "application/vnd.ms-cab-compressed",
        5_368_709_120L,
        CacheOutcome.MISS,
        "203.0.113.7",
        null,
        null);
  }

  /**
   * A summary record of {@code count} requests refused for their client's rate, from {@code ts} to
   * one second later, to two hosts.
   */
  static AuditRecord rateLimitSummary(String id, Instant ts, long count) {
    return rateLimitSummary(
        id, ts, new AuditSummary(count, ts.plusSeconds(1), List.of("a.example", "b.example"), 0));
  }

  /** A summary of rate-limited requests from 10.1.2.3, first at {@code ts}. */
  static AuditRecord rateLimitSummary(String id, Instant ts, AuditSummary summary) {
    return new AuditRecord(
        ts,
        id,
        "10.1.2.3",
        null,
        "",
        "",
        null,
        null,
        AuditDecision.DENY,
        null,
        "rate limit",
        false,
        429,
        0,
        0,
        0,
        null,
        null,
        CacheOutcome.NONE,
        null,
        summary,
        null);
  }

  /** A request whose target is {@code url}, denied. */
  static AuditRecord deniedUrl(String url) {
    return new AuditRecord(
        ARRIVED,
        "r-1",
        "10.1.2.3",
        null,
        "GET",
        url,
        null,
        null,
        AuditDecision.DENY,
        null,
        "host not allowed",
        false,
        403,
        512,
        200,
        3,
        "text/plain",
        null,
        CacheOutcome.NONE,
        null,
        null,
        null);
  }
}
