package dev.patchgate.proxy.exchange;

import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditSink;
import dev.patchgate.audit.alert.AlertSink;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens exchanges and hands finished ones to the audit sink, the metrics and the alerts. A failure
 * here is caught, logged and counted: it must never break the request path by accident.
 */
public final class ExchangeLog {
  private static final Logger LOG = LoggerFactory.getLogger(ExchangeLog.class);
  private static final String PROXY_CONNECTION = "Proxy-Connection";

  private final AuditSink sink;
  private final AlertSink alerts;
  private final GatewayMetrics metrics;
  private final Clock clock;
  private final LongSupplier nanoTime;
  // Ids are "<boot>-<sequence>": unique across restarts without coordination.
  private final String bootId;
  private final AtomicLong sequence = new AtomicLong();

  public ExchangeLog(
      AuditSink sink,
      AlertSink alerts,
      GatewayMetrics metrics,
      Clock clock,
      LongSupplier nanoTime) {
    this.sink = sink;
    this.alerts = alerts;
    this.metrics = metrics;
    this.clock = clock;
    this.nanoTime = nanoTime;
    byte[] boot = new byte[4];
    new SecureRandom().nextBytes(boot);
    this.bootId = HexFormat.of().formatHex(boot);
  }

  /**
   * Opens the exchange of a decoded request head.
   *
   * @param line the request line as sent, recorded instead of the decoder's placeholder (Netty
   *     names every unparseable request {@code GET /bad-request}) when the head could not be parsed
   */
  Exchange open(String clientIp, HttpRequest request, RequestLine line) {
    String id = bootId + "-" + sequence.incrementAndGet();
    boolean malformed = request.decoderResult().isFailure();
    Exchange exchange =
        new Exchange(
            id,
            clock.instant(),
            nanoTime.getAsLong(),
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

  /** The client asked to close after this exchange, in today's or in the legacy proxy header. */
  private static boolean wantsClose(HttpRequest request) {
    return !HttpUtil.isKeepAlive(request)
        || "close".equalsIgnoreCase(request.headers().get(PROXY_CONNECTION));
  }

  void finished(Exchange exchange, long bytesToClient, long bytesFromClient) {
    try {
      AuditRecord record = exchange.toRecord(bytesToClient, bytesFromClient, nanoTime.getAsLong());
      sink.append(record);
      metrics.exchangeFinished(record);
      alerts.onRecord(record);
    } catch (RuntimeException e) {
      metrics.auditFailure();
      LOG.error("could not record a finished exchange", e);
    }
  }
}
