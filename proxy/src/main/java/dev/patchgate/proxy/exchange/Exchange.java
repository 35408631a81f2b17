package dev.patchgate.proxy.exchange;

import dev.patchgate.allowlist.AccessRequest;
import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.Target;
import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * One request/response exchange (or one CONNECT tunnel) as the audit log will tell it, built up
 * step by step along the request path and turned into a record once, at the end.
 *
 * <p>Two decisions are kept apart: the allowlist's ({@link #allowlistDecision()}, what the policy
 * said of the request) and the audit record's (allow, deny or error, as the exchange ended).
 *
 * <p>Written mostly on the client connection's event loop; the fields that upstream callbacks may
 * set from another thread ({@link #failed}, {@link #upstream}) are volatile.
 *
 * <p>Public for the request path, the tunnel gate and the mirror, which note outcomes on it.
 */
public final class Exchange {
  /** A request head the decoder could not parse. */
  public static final String MALFORMED_REQUEST = "malformed request";

  /** A request head that had not ended when {@code timeouts.request-header} ran out. */
  public static final String REQUEST_HEADER_TIMEOUT = "request header timeout";

  public static final String UPSTREAM_NOT_FOUND = "upstream host not found";
  public static final String UPSTREAM_UNREACHABLE = "upstream connection failed";
  public static final String UPSTREAM_TIMEOUT = "upstream timed out";
  public static final String UPSTREAM_BROKEN = "upstream response malformed or cut short";
  public static final String UPSTREAM_SWITCHED_PROTOCOLS = "upstream tried to switch protocols";

  /**
   * The mirror's disk filled while this download was being stored and sent; the rest came from the
   * upstream with a range request, and the client got the whole answer.
   */
  public static final String MIRROR_DISK_FULL_PASSED =
      "mirror disk full while storing; the rest passed through";

  /**
   * As {@link #MIRROR_DISK_FULL_PASSED}, but the answer has no declared length or no strong
   * validator, so its rest could not be fetched safely: the client was cut.
   */
  public static final String MIRROR_DISK_FULL_NOT_RESUMABLE =
      "mirror disk full while storing; cut: no length or strong validator to fetch the rest by";

  /**
   * As {@link #MIRROR_DISK_FULL_PASSED}, but the upstream did not answer the range request with the
   * rest of the same version (a 200, a 412, another span): the client was cut.
   */
  public static final String MIRROR_DISK_FULL_RANGE_REFUSED =
      "mirror disk full while storing; cut: the upstream did not send the rest as a matching 206";

  /**
   * As {@link #MIRROR_DISK_FULL_PASSED}, but fetching the rest failed (unreachable, broken off,
   * timed out): the client was cut.
   */
  public static final String MIRROR_DISK_FULL_REST_FAILED =
      "mirror disk full while storing; cut: fetching the rest from the upstream failed";

  /**
   * Every parent proxy the request could go through failed to connect, or is skipped after failing
   * (issue 14): 502, and never a silent direct connection.
   */
  public static final String PARENT_UNREACHABLE = "parent proxy unreachable";

  /**
   * The parent proxy answered {@code 407}: the gateway's credentials for it are wrong or missing.
   */
  public static final String PARENT_REFUSED_CREDENTIALS =
      "parent proxy refused the gateway's credentials (407)";

  /** The parent proxy answered a CONNECT with another refusal (its own policy). */
  public static final String PARENT_REFUSED = "parent proxy refused the CONNECT";

  /** Every parent failed, and {@code fallback = direct} sent the request straight to its origin. */
  public static final String PARENT_FALLBACK_DIRECT =
      "parent proxy unreachable; sent direct (fallback = direct)";

  public static final String AUDIT_UNAVAILABLE = "audit log unavailable; the gateway fails closed";
  public static final String INTEGRITY_MISMATCH =
      "content does not match the SHA-1 in its file name; delivered but not kept in the mirror";

  /** The client sent requests faster than its rate limit allows: 429. */
  public static final String RATE_LIMIT = "rate limit";

  public static final String CLOSED_BY_RELOAD =
      "closed: the reloaded allowlist no longer allows it";

  private final String id;
  private final Instant startedAt;
  private final long startNanos;
  // The TCP peer until the request path knows whom the request is from (identified).
  private String client;
  private String via;
  private ClientIdentity identity;
  private final String method;
  private final boolean connect;
  private final boolean closeAfterResponse;
  // Set when nothing can safely follow this exchange on its connection.
  private boolean lastOnConnection;

  private String url;
  private Target target;
  private String entry;
  // What the audit record says of the exchange (allow, deny, error), as it stands now.
  private volatile AuditDecision auditDecision = AuditDecision.ERROR;
  private volatile CacheOutcome cache = CacheOutcome.NONE;
  private volatile String reason;
  private volatile boolean wouldDeny;
  private volatile int status;
  private volatile String upstream;
  private boolean responseOpen;
  private String contentType;
  private Long objectLength;
  private AccessRequest access;
  // What the allowlist said of the request; null before it was asked.
  private Decision allowlistDecision;
  private Refusal refusal;
  private boolean autoConfig;
  private boolean rateLimited;
  private InetAddress pinned;
  private BooleanSupplier integrityMismatch = () -> false;
  // The request goes through the parent proxies; set by the request path before it is forwarded.
  private volatile boolean viaParent;
  private volatile String forwardedForParent;
  // Set when a parent failed, to what the record said before: a later parent (or the direct
  // fallback) that connects puts it back.
  private volatile AuditDecision beforeParentFailure;
  private volatile String reasonBeforeParentFailure;

  public Exchange(
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

  /**
   * The gateway's own answer to a request it does not forward.
   *
   * @param status the status to send
   * @param reason the fixed phrase the body names
   * @param close true to close the connection after the answer
   * @param retryAfterSeconds the {@code Retry-After} to send, or 0 for none
   */
  public record Refusal(
      HttpResponseStatus status, String reason, boolean close, long retryAfterSeconds) {
    public Refusal(HttpResponseStatus status, String reason, boolean close) {
      this(status, reason, close, 0);
    }
  }

  /**
   * Whom the request is from: from now on the record names the PC as its client and the trusted
   * downstream that relayed it, if one did. A trusted downstream's header that was ignored shows as
   * the reason of a record that has none of its own.
   */
  public void identified(ClientIdentity who) {
    identity = who;
    if (who.via() != null) {
      // Otherwise the client is the TCP peer, whose address the exchange was opened with.
      client = who.client().getHostAddress();
      via = who.via().getHostAddress();
    }
  }

  /** Whom the request is from, or null before the request path looked (a malformed request). */
  public ClientIdentity identity() {
    return identity;
  }

  /**
   * A request for the PAC file, which the gateway answers itself: allowed, with no entry, no target
   * and no reason; the record keeps the path as the URL.
   */
  public void autoConfig() {
    auditDecision = AuditDecision.ALLOW;
    reason = null;
    autoConfig = true;
  }

  /** True when the gateway answers this request with its PAC file. */
  public boolean isAutoConfig() {
    return autoConfig;
  }

  /** The request's form was refused (400/405) before any policy was consulted. */
  public void rejected(HttpResponseStatus status, String why) {
    auditDecision = AuditDecision.ERROR;
    reason = why;
    // The framing of whatever follows on this connection cannot be trusted: close it.
    refusal = new Refusal(status, why, true);
  }

  /** A malformed request, which LittleProxy answers itself, closing the connection. */
  void malformed(String why) {
    auditDecision = AuditDecision.ERROR;
    reason = why;
    lastOnConnection = true;
  }

  /**
   * The origin answered with a 1xx other than 100 (101 Switching Protocols): the client gets 502
   * instead, and the connection closes, since what followed would be another protocol, unchecked.
   */
  void upstreamSwitchedProtocols() {
    failed(UPSTREAM_SWITCHED_PROTOCOLS);
    lastOnConnection = true;
  }

  /** The request is well formed: from now on the record names its canonical target. */
  public void admitted(Target canonical) {
    target = canonical;
    url = canonical.url();
  }

  /** The allowlist's decision on {@code request}. */
  public void decided(AccessRequest request, Decision allowlistDecision) {
    access = request;
    this.allowlistDecision = allowlistDecision;
    entry = allowlistDecision.entry();
    if (allowlistDecision.allowed()) {
      auditDecision = AuditDecision.ALLOW;
      // An entry in report mode lets the request through and says why it would not have.
      wouldDeny = allowlistDecision.wouldDeny();
      reason = allowlistDecision.wouldDeny() ? allowlistDecision.reason() : null;
      cache = connect ? CacheOutcome.NONE : CacheOutcome.BYPASS;
    } else {
      denied(allowlistDecision.reason());
    }
  }

  /**
   * The request is denied (by the allowlist, or because its host resolved to an address the entry
   * does not allow): 403, and a denied CONNECT's connection is closed.
   */
  public void denied(String why) {
    auditDecision = AuditDecision.DENY;
    reason = why;
    wouldDeny = false;
    refusal = new Refusal(HttpResponseStatus.FORBIDDEN, why, connect);
  }

  /**
   * The client is over its request rate: 429 with {@code Retry-After}, whatever the request asked
   * for; a refused CONNECT's connection is closed, as for any refused CONNECT.
   *
   * @param retryAfterSeconds the whole seconds until the client's next token, at least 1
   */
  public void rateLimited(long retryAfterSeconds) {
    auditDecision = AuditDecision.DENY;
    reason = RATE_LIMIT;
    wouldDeny = false;
    rateLimited = true;
    refusal =
        new Refusal(HttpResponseStatus.TOO_MANY_REQUESTS, RATE_LIMIT, connect, retryAfterSeconds);
  }

  /** True when the request was refused for its client's rate. */
  boolean isRateLimited() {
    return rateLimited;
  }

  /** The allowed upstream address to dial; checked, and never looked up again. */
  public void pin(InetAddress address) {
    pinned = address;
    // Through a parent, the record names the parent once one carries the request.
    upstream = viaParent ? null : address.getHostAddress();
  }

  /**
   * The request leaves through the parent proxies, not straight to its origin.
   *
   * @param forwardedFor the {@code X-Forwarded-For} the parent gets (the PC, and the chain of
   *     trusted site gateways); null to send none ({@code upstream.forwarded-for = off})
   */
  public void routeViaParent(String forwardedFor) {
    viaParent = true;
    forwardedForParent = forwardedFor;
  }

  /**
   * The {@code X-Forwarded-For} value a parent proxy gets for this request; null when it goes
   * straight to its origin (which never learns the hospital's internal addresses) or when the
   * gateway names no clients to its parents.
   */
  public String forwardedForParent() {
    return viaParent ? forwardedForParent : null;
  }

  /** True when the request leaves through the parent proxies. */
  public boolean viaParent() {
    return viaParent;
  }

  /**
   * A parent could not carry the request ({@link #PARENT_UNREACHABLE}, {@link
   * #PARENT_REFUSED_CREDENTIALS}, {@link #PARENT_REFUSED}); the next one may still. Any thread.
   */
  public synchronized void parentFailed(String why) {
    if (beforeParentFailure == null) {
      beforeParentFailure = auditDecision;
      reasonBeforeParentFailure = reason;
    }
    failed(why);
  }

  /** A parent took the request: the record names it as the upstream. Any thread. */
  public synchronized void parentConnected(String label) {
    upstream = label;
    restoreBeforeParentFailure();
  }

  /**
   * Every parent failed and {@code fallback = direct} dials the pinned address: the record says so,
   * and names that address as the upstream.
   */
  public synchronized void sentDirect() {
    restoreBeforeParentFailure();
    upstream = pinned == null ? upstream : pinned.getHostAddress();
    delivered(PARENT_FALLBACK_DIRECT);
  }

  private void restoreBeforeParentFailure() {
    if (beforeParentFailure != null) {
      auditDecision = beforeParentFailure;
      reason = reasonBeforeParentFailure;
      beforeParentFailure = null;
      reasonBeforeParentFailure = null;
    }
  }

  /** True when the exchange failed because of its parent proxies. */
  public boolean parentFailure() {
    return beforeParentFailure != null;
  }

  /** Why the exchange failed or was refused, as the record will say; null when it has no reason. */
  public String reason() {
    return reason;
  }

  /** The audit log cannot be written and the gateway is set to fail closed: 503. */
  public void auditUnavailable() {
    auditDecision = AuditDecision.ERROR;
    reason = AUDIT_UNAVAILABLE;
    refusal = new Refusal(HttpResponseStatus.SERVICE_UNAVAILABLE, AUDIT_UNAVAILABLE, connect);
  }

  /** The upstream host has no address: the gateway answers 502 itself. */
  public void notFound() {
    failed(UPSTREAM_NOT_FOUND);
    refusal = new Refusal(HttpResponseStatus.BAD_GATEWAY, UPSTREAM_NOT_FOUND, connect);
  }

  /**
   * Asked when the record is built: true when the download did not match the SHA-1 its name
   * announces. Event loop only.
   */
  public void integrityCheck(BooleanSupplier mismatched) {
    integrityMismatch = mismatched;
  }

  /** True when the gateway is about to answer 502 because the upstream host has no address. */
  public boolean upstreamNotFound() {
    return refusal != null && UPSTREAM_NOT_FOUND.equals(refusal.reason());
  }

  /** The upstream host has no address, but the mirror answers with its stored copy instead. */
  public void servedOffline() {
    auditDecision = AuditDecision.ALLOW;
    reason = null;
    refusal = null;
  }

  /** The tunnel's first bytes broke a rule (the TLS SNI check); the tunnel is being closed. */
  public void deniedInTunnel(String why) {
    auditDecision = AuditDecision.DENY;
    reason = why;
    wouldDeny = false;
  }

  /** A reloaded allowlist no longer allows this open tunnel; it is being closed. */
  void closedByReload() {
    failed(CLOSED_BY_RELOAD);
  }

  /** How the mirror took part: hit, stale, miss, or bypass when it handed the request back. */
  public void cached(CacheOutcome outcome) {
    cache = outcome;
  }

  public String client() {
    return client;
  }

  /** The answer the gateway gives instead of forwarding, or null to forward. */
  public Refusal refusal() {
    return refusal;
  }

  /** The address to dial, or null before the request path pinned one. */
  public InetAddress pinned() {
    return pinned;
  }

  /** The allowlist's decision, or null before it was asked; not the audit record's decision. */
  public Decision allowlistDecision() {
    return allowlistDecision;
  }

  /** What the allowlist was asked, or null before it was asked. */
  AccessRequest access() {
    return access;
  }

  public Instant startedAt() {
    return startedAt;
  }

  /**
   * The answer reached the client whole, but not the usual way: an allowed record says {@code how}
   * (unless it already names a reason, such as a report-mode entry's).
   */
  public void delivered(String how) {
    if (auditDecision == AuditDecision.ALLOW && reason == null) {
      reason = how;
    }
  }

  /** An allowed request could not be completed upstream; the entry that allowed it is kept. */
  public void failed(String why) {
    auditDecision = AuditDecision.ERROR;
    reason = why;
  }

  void upstream(String address) {
    upstream = address;
  }

  /** What the record names as the upstream: an address, a parent's label, or null. */
  public String upstream() {
    return upstream;
  }

  /**
   * A response head went to the client; its body follows until {@link #responseFinished}.
   *
   * @param contentType the media type as sent, or null
   * @param length the whole object's length the head declares, or null
   */
  void responseStarted(int code, String contentType, Long length) {
    status = code;
    responseOpen = true;
    this.contentType = contentType;
    this.objectLength = length;
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
  public boolean closeAfterResponse() {
    return closeAfterResponse;
  }

  /**
   * True when nothing may follow this exchange on its connection: the client asked to close, the
   * request's framing was suspect, or the gateway cannot tell where the next request would begin.
   */
  boolean endsConnection() {
    return closeAfterResponse || lastOnConnection || (refusal != null && refusal.close());
  }

  public boolean isConnect() {
    return connect;
  }

  boolean isHead() {
    return "HEAD".equals(method);
  }

  public Target target() {
    return target;
  }

  /**
   * The finished record; byte counts are what crossed the client's connection for this exchange.
   */
  public AuditRecord toRecord(long bytesToClient, long bytesFromClient, long nowNanos) {
    if (auditDecision == AuditDecision.ALLOW
        && reason == null
        && integrityMismatch.getAsBoolean()) {
      reason = INTEGRITY_MISMATCH;
    }
    if (reason == null && identity != null && identity.fault() != null) {
      reason = identity.fault();
    }
    return new AuditRecord(
        startedAt,
        id,
        client,
        via,
        method,
        url,
        target == null ? null : target.host(),
        target == null ? null : target.port(),
        auditDecision,
        entry,
        reason,
        wouldDeny,
        status,
        bytesToClient,
        bytesFromClient,
        TimeUnit.NANOSECONDS.toMillis(nowNanos - startNanos),
        contentType,
        objectLength,
        cache,
        upstream,
        null,
        null);
  }
}
