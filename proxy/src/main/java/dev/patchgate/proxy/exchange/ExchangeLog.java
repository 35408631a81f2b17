package dev.patchgate.proxy.exchange;

import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditSink;
import dev.patchgate.audit.Ticker;
import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.audit.alert.AlertSink;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens exchanges and hands finished ones to the audit sink, the metrics and the alerts. A failure
 * of any of the three is caught, logged and counted on its own: it must never break the request
 * path by accident, nor keep the others from their part. Dates come from the clock, durations from
 * the ticker.
 *
 * <p>A request refused for its client's rate is reported to the {@link RefusalSummaries} first: the
 * first ones of each second keep their own records, the rest reach the audit log, the alerts and
 * the metrics in summary records, each counted as the requests it stands for.
 *
 * <p>Public for the gateway's wiring.
 */
public final class ExchangeLog {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeLog.class);
  private static final String PROXY_CONNECTION = "Proxy-Connection";

  private final AuditSink sink;
  private final AlertSink alerts;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final Ticker ticker;
  // Ids are "<boot>-<sequence>": unique across restarts without coordination.
  private final String bootId;
  private final AtomicLong sequence = new AtomicLong();
  private final RefusalSummaries refusals;

  public ExchangeLog(
      AuditSink sink, AlertSink alerts, GatewayMetrics metrics, Clock clock, Ticker ticker) {
    this.sink = sink;
    this.alerts = alerts;
    this.metrics = metrics;
    this.clock = clock;
    this.ticker = ticker;
    byte[] boot = new byte[4];
    new SecureRandom().nextBytes(boot);
    this.bootId = HexFormat.of().formatHex(boot);
    this.refusals =
        new RefusalSummaries(
            RefusalSummaries.OWN_RECORDS_PER_SECOND,
            RefusalSummaries.MAX_CLIENTS,
            this::summaryFinished,
            this::nextId);
  }

  private String nextId() {
    return bootId + "-" + sequence.incrementAndGet();
  }

  /**
   * Where refusals that must not cost a line each are accounted for (rate-limited requests here;
   * other kinds may report theirs too); its summaries come back through the audit sink, the alerts
   * and the metrics like any record.
   */
  public RefusalSummaries refusals() {
    return refusals;
  }

  /**
   * Hands out the pending summary records, as of the clock's now: every second, and once more when
   * the gateway stops, after the last exchange ended and before the audit log closes.
   */
  public void flushRefusals() {
    try {
      refusals.flush(clock.instant());
    } catch (RuntimeException e) {
      LOG.error("could not write the summaries of refused requests", e);
      metrics.auditFailure();
    }
  }

  /**
   * A summary record of refusals: written, checked for alerts and counted as its count; one of
   * refused connections counts in the connection limits' own meters, not as requests.
   */
  private void summaryFinished(AuditRecord summary) {
    finishedOutside(summary);
    if (summary.reason() != null
        && summary.reason().startsWith(AlertRules.CONNECTION_LIMIT_PREFIX)) {
      return;
    }
    try {
      metrics.exchangeFinished(summary);
    } catch (RuntimeException e) {
      LOG.error("could not count a summary of refused requests in the metrics", e);
      metrics.metricsFailure();
    }
  }

  /**
   * Opens the exchange of a decoded request head.
   *
   * @param line the request line as sent, recorded instead of the decoder's placeholder (Netty
   *     names every unparseable request {@code GET /bad-request}) when the head could not be parsed
   */
  Exchange open(String clientIp, HttpRequest request, RequestLine line) {
    String id = nextId();
    boolean malformed = request.decoderResult().isFailure();
    Exchange exchange =
        new Exchange(
            id,
            clock.instant(),
            ticker.read(),
            clientIp,
            malformed ? line.method() : request.method().name(),
            malformed ? line.target() : request.uri(),
            wantsClose(request));
    if (malformed) {
      // LittleProxy answers these with 400 itself, without consulting the request path.
      exchange.malformed(Exchange.MALFORMED_REQUEST);
    }
    return exchange;
  }

  /**
   * Opens the exchange of a request head that had not ended when the request header timeout ran
   * out: the record keeps the request line as far as it came, and the gateway answers 408 and
   * closes the connection.
   */
  Exchange openTimedOut(String clientIp, RequestLine line) {
    Exchange exchange =
        new Exchange(
            bootId + "-" + sequence.incrementAndGet(),
            clock.instant(),
            ticker.read(),
            clientIp,
            line.method(),
            line.target(),
            true);
    exchange.rejected(HttpResponseStatus.REQUEST_TIMEOUT, Exchange.REQUEST_HEADER_TIMEOUT);
    return exchange;
  }

  /**
   * When an exchange that the proxy path does not carry (the admin listener's) began: its id from
   * the same sequence as the proxy's, its date and its ticker reading.
   */
  public record Stamp(String id, Instant at, long startNanos) {}

  /** Stamps an exchange the proxy path does not carry, as it arrives. */
  public Stamp stamp() {
    return new Stamp(nextId(), clock.instant(), ticker.read());
  }

  /** Milliseconds since {@code stamp}, by the ticker. */
  public long millisSince(Stamp stamp) {
    return TimeUnit.NANOSECONDS.toMillis(ticker.read() - stamp.startNanos());
  }

  /**
   * Hands the record of an exchange the proxy path did not carry to the audit sink and the alerts,
   * each on its own as {@link #finished} does. The proxy's request meters do not count it: they
   * describe the traffic the gateway carries for its clients.
   */
  public void finishedOutside(AuditRecord record) {
    try {
      sink.append(record);
    } catch (RuntimeException e) {
      LOG.error("could not hand a finished exchange to the audit log", e);
      metrics.auditFailure();
    }
    try {
      alerts.onRecord(record);
    } catch (RuntimeException e) {
      LOG.error("could not check a finished exchange for alerts", e);
      metrics.alertFailure();
    }
  }

  /**
   * Reports a rate-limited exchange to the summaries; true when a summary carries it, and then its
   * bytes are counted here, since its own record is never written.
   */
  private boolean summarised(AuditRecord record) {
    try {
      metrics.rateLimited();
      RefusalSummaries.Outcome outcome =
          refusals.refused(
              record.client(),
              record.via(),
              record.host(),
              record.reason(),
              record.status(),
              record.ts());
      if (outcome == RefusalSummaries.Outcome.SUMMARISED) {
        metrics.summarised(record);
        return true;
      }
    } catch (RuntimeException e) {
      // The exchange's own record is written instead: accounted for, at the cost of a line.
      LOG.error("could not summarise a rate-limited request", e);
      metrics.metricsFailure();
    }
    return false;
  }

  /** The client asked to close after this exchange, in today's or in the legacy proxy header. */
  private static boolean wantsClose(HttpRequest request) {
    return !HttpUtil.isKeepAlive(request)
        || "close".equalsIgnoreCase(request.headers().get(PROXY_CONNECTION));
  }

  /**
   * Hands a finished exchange to the audit sink, the metrics and the alerts, each on its own: a
   * failure of one is caught, logged and counted under its own name, and the others still run.
   */
  void finished(Exchange exchange, long bytesToClient, long bytesFromClient) {
    AuditRecord record;
    try {
      record = exchange.toRecord(bytesToClient, bytesFromClient, ticker.read());
    } catch (RuntimeException e) {
      LOG.error("could not build the record of a finished exchange", e);
      metrics.auditFailure();
      return;
    }
    if (exchange.isRateLimited() && summarised(record)) {
      return;
    }
    finishedOutside(record);
    try {
      metrics.exchangeFinished(record);
    } catch (RuntimeException e) {
      LOG.error("could not count a finished exchange in the metrics", e);
      metrics.metricsFailure();
    }
  }
}
