package dev.patchgate.proxy;

import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.Target;
import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * One request/response exchange (or one CONNECT tunnel) as the audit log will tell it, built up
 * step by step along the request path and turned into a record once, at the end.
 *
 * <p>Written mostly on the client connection's event loop; the fields that upstream callbacks may
 * set from another thread ({@link #failed}, {@link #upstream}) are volatile.
 */
final class Exchange {
  static final String UPSTREAM_NOT_FOUND = "upstream host not found";
  static final String UPSTREAM_UNREACHABLE = "upstream connection failed";
  static final String UPSTREAM_TIMEOUT = "upstream timed out";
  static final String UPSTREAM_BROKEN = "upstream response malformed or cut short";

  private final String id;
  private final Instant startedAt;
  private final long startNanos;
  private final String client;
  private final String method;
  private final boolean connect;
  private final boolean closeAfterResponse;

  private String url;
  private Target target;
  private String entry;
  private volatile AuditDecision decision = AuditDecision.ERROR;
  private CacheOutcome cache = CacheOutcome.NONE;
  private volatile String reason;
  private volatile boolean wouldDeny;
  private volatile int status;
  private volatile String upstream;
  private boolean responseOpen;

  Exchange(
      String id,
      Instant startedAt,
      long startNanos,
      String client,
      String method,
      String rawUrl,
      boolean closeAfterResponse) {
    this.id = id;
    this.startedAt = startedAt;
    this.startNanos = startNanos;
    this.client = client;
    this.method = method;
    this.connect = "CONNECT".equals(method);
    this.url = rawUrl;
    this.closeAfterResponse = closeAfterResponse;
  }

  /** The request's form was refused (400/405) before any policy was consulted. */
  void rejected(String why) {
    decision = AuditDecision.ERROR;
    reason = why;
  }

  /** The request is well formed: from now on the record names its canonical target. */
  void admitted(Target canonical) {
    target = canonical;
    url = canonical.url();
  }

  /** The allowlist's verdict. */
  void decided(Decision verdict) {
    entry = verdict.entry();
    if (verdict.allowed()) {
      decision = AuditDecision.ALLOW;
      reason = null;
      cache = connect ? CacheOutcome.NONE : CacheOutcome.BYPASS;
    } else {
      decision = AuditDecision.DENY;
      reason = verdict.reason();
    }
  }

  /** An allowed request could not be completed upstream; the entry that allowed it is kept. */
  void failed(String why) {
    decision = AuditDecision.ERROR;
    reason = why;
  }

  void upstream(String address) {
    upstream = address;
  }

  /** A response head went to the client; its body follows until {@link #responseFinished}. */
  void responseStarted(int code) {
    status = code;
    responseOpen = true;
  }

  void responseFinished() {
    responseOpen = false;
  }

  /** True between a response head and its last part. */
  boolean responseOpen() {
    return responseOpen;
  }

  int status() {
    return status;
  }

  /**
   * True when the client asked for the connection to close after this exchange ({@code Connection:
   * close}, or HTTP/1.0 without keep-alive). LittleProxy strips that header before it looks at it,
   * so the gateway keeps the client's wish here.
   */
  boolean closeAfterResponse() {
    return closeAfterResponse;
  }

  boolean isConnect() {
    return connect;
  }

  Target target() {
    return target;
  }

  /**
   * The finished record; byte counts are what crossed the client's connection for this exchange.
   */
  AuditRecord toRecord(long bytesToClient, long bytesFromClient, long nowNanos) {
    return new AuditRecord(
        startedAt,
        id,
        client,
        method,
        url,
        target == null ? null : target.host(),
        target == null ? null : target.port(),
        decision,
        entry,
        reason,
        wouldDeny,
        status,
        bytesToClient,
        bytesFromClient,
        TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos),
        null,
        null,
        cache,
        upstream);
  }
}
