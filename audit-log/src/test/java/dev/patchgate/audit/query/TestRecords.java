package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditSummary;
import dev.patchgate.audit.CacheOutcome;
import java.time.Instant;
import java.util.List;

/** Builds audit records for tests: an allowed plain-HTTP download unless told otherwise. */
public final class TestRecords {
  private Instant ts = Instant.parse("2026-11-23T10:15:30.123Z");
  private String id = "r-1";
  private String client = "10.10.1.5";
  private String via;
  private String method = "GET";
  private String url =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";
  private String host = "download.windowsupdate.com";
  private Integer port = 80;
  private AuditDecision decision = AuditDecision.ALLOW;
  private String entry = "windows-update";
  private String reason;
  private boolean wouldDeny;
  private int status = 200;
  private long bytesToClient = 1_000_300;
  private long bytesFromClient = 300;
  private long durationMs = 120;
  private String contentType = "application/vnd.ms-cab-compressed";
  private Long objectLength = 1_000_000L;
  private CacheOutcome cache = CacheOutcome.MISS;
  private String upstream = "203.0.113.7";
  private AuditSummary summary;

  private TestRecords() {}

  /** An allowed 200 download of a Windows Update cab, fetched upstream. */
  public static TestRecords download() {
    return new TestRecords();
  }

  /** A request denied because its host is not in the allowlist. */
  public static TestRecords denied(String host) {
    return new TestRecords()
        .url("http://" + host + "/")
        .host(host)
        .decision(AuditDecision.DENY)
        .entry(null)
        .reason("host not in allowlist")
        .status(403)
        .bytes(512)
        .objectLength(null)
        .cache(CacheOutcome.NONE)
        .upstream(null)
        .contentType("text/html");
  }

  /** An opened CONNECT tunnel. */
  public static TestRecords tunnel(String host) {
    return new TestRecords()
        .method("CONNECT")
        .url(host + ":443")
        .host(host)
        .port(443)
        .entry("windows-update")
        .status(200)
        .bytes(54_321)
        .objectLength(null)
        .contentType(null)
        .cache(CacheOutcome.NONE);
  }

  public TestRecords ts(String iso) {
    this.ts = Instant.parse(iso);
    return this;
  }

  public TestRecords id(String id) {
    this.id = id;
    return this;
  }

  public TestRecords client(String client) {
    this.client = client;
    return this;
  }

  /** The site gateway that relayed the request; null (the default) when it came straight. */
  public TestRecords via(String via) {
    this.via = via;
    return this;
  }

  public TestRecords method(String method) {
    this.method = method;
    return this;
  }

  public TestRecords url(String url) {
    this.url = url;
    return this;
  }

  public TestRecords host(String host) {
    this.host = host;
    return this;
  }

  public TestRecords port(Integer port) {
    this.port = port;
    return this;
  }

  public TestRecords decision(AuditDecision decision) {
    this.decision = decision;
    return this;
  }

  public TestRecords entry(String entry) {
    this.entry = entry;
    return this;
  }

  public TestRecords reason(String reason) {
    this.reason = reason;
    return this;
  }

  public TestRecords wouldDeny(boolean wouldDeny) {
    this.wouldDeny = wouldDeny;
    return this;
  }

  public TestRecords status(int status) {
    this.status = status;
    return this;
  }

  public TestRecords bytes(long bytesToClient) {
    this.bytesToClient = bytesToClient;
    return this;
  }

  public TestRecords contentType(String contentType) {
    this.contentType = contentType;
    return this;
  }

  public TestRecords objectLength(Long objectLength) {
    this.objectLength = objectLength;
    return this;
  }

  public TestRecords cache(CacheOutcome cache) {
    this.cache = cache;
    return this;
  }

  public TestRecords upstream(String upstream) {
    this.upstream = upstream;
    return this;
  }

  /**
   * Makes it a summary record of the gateway's rate limit: {@code count} refused requests, the last
   * at {@code lastIso}, asking for {@code hosts}; deny, 429, no URL.
   */
  public TestRecords rateLimitSummary(long count, String lastIso, String... hosts) {
    summary = new AuditSummary(count, Instant.parse(lastIso), List.of(hosts), 0);
    return method("")
        .url("")
        .host(hosts.length == 1 ? hosts[0] : null)
        .port(null)
        .decision(AuditDecision.DENY)
        .entry(null)
        .reason("rate limit")
        .status(429)
        .bytes(0)
        .contentType(null)
        .objectLength(null)
        .cache(CacheOutcome.NONE)
        .upstream(null);
  }

  public AuditRecord build() {
    return new AuditRecord(
        ts,
        id,
        client,
        via,
        method,
        url,
        host,
        port,
        decision,
        entry,
        reason,
        wouldDeny,
        status,
        bytesToClient,
        bytesFromClient,
        durationMs,
        contentType,
        objectLength,
        cache,
        upstream,
        summary,
        null);
  }
}
