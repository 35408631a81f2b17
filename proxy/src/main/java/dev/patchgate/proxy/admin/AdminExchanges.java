package dev.patchgate.proxy.admin;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.proxy.config.AdminSettings;
import dev.patchgate.proxy.exchange.ExchangeLog;
import io.netty.channel.Channel;
import io.vertx.core.Future;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.net.impl.ConnectionBase;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * The admin listener's exchanges: refuses clients outside {@code patchgate.admin.clients} (403,
 * recorded as {@code deny}) and malformed requests (400, {@code error}), and writes one audit
 * record per answer with the bytes that crossed the socket, as the proxy does for its own requests.
 *
 * <p>{@link #begin} runs first for every routed request; what the later handlers decide (a refusal
 * by role, a signed-in user) they note in the request's {@link AdminNote}.
 */
final class AdminExchanges {
  static final String REFUSED = "admin client not allowed";
  static final String MALFORMED = "malformed request";

  private final AdminSettings settings;
  private final ExchangeLog log;

  AdminExchanges(AdminSettings settings, ExchangeLog log) {
    this.settings = settings;
    this.log = log;
  }

  /** The request's key marking a HEAD routed as GET: its record still says HEAD. */
  private static final String HEAD_AS_GET = "patchgate.head-as-get";

  /**
   * Routes a HEAD request as the GET of the same URI, once, before anything else runs, so that
   * every GET route answers HEAD too (Vert.x Web's {@code router.get} matches GET only, and a HEAD
   * would fall through to 404). The response still belongs to the HEAD request, so Vert.x sends its
   * status and headers without the body.
   */
  static void headAsGet(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (HttpMethod.HEAD.equals(ctx.request().method())
        && ctx.get(HEAD_AS_GET) == null
        && uri.startsWith("/")) {
      ctx.put(HEAD_AS_GET, Boolean.TRUE);
      ctx.reroute(HttpMethod.GET, uri);
      return;
    }
    ctx.next();
  }

  /**
   * Stamps the exchange, arranges its record for when the answer is out, and refuses a client
   * outside {@code admin.clients}; passes the request on otherwise.
   */
  void begin(RoutingContext ctx) {
    ExchangeLog.Stamp stamp = log.stamp();
    HttpServerRequest request = ctx.request();
    AdminNote note = new AdminNote();
    if (ctx.get(HEAD_AS_GET) != null) {
      note.method = HttpMethod.HEAD.name();
    }
    note.attachTo(ctx);
    ctx.addEndHandler(done -> record(request, stamp, note));
    if (!admits(request.remoteAddress())) {
      note.deny(REFUSED);
      HttpServerResponse response = ctx.response();
      response.putHeader(HttpHeaders.CONNECTION, "close");
      send(response, AdminEndpoints.Answer.text(403, "forbidden\n"))
          .onComplete(sent -> request.connection().close());
      return;
    }
    ctx.next();
  }

  /** Answers a request the codec could not read (400) and records it as an error. */
  void malformed(HttpServerRequest request) {
    ExchangeLog.Stamp stamp = log.stamp();
    HttpServerResponse response = request.response();
    response.putHeader(HttpHeaders.CONNECTION, "close");
    send(response, AdminEndpoints.Answer.text(400, "bad request\n"))
        .onComplete(
            sent -> {
              AdminNote note = new AdminNote();
              note.decision = AuditDecision.ERROR;
              note.reason = MALFORMED;
              record(request, stamp, note);
              request.connection().close();
            });
  }

  /** Sends {@code answer} with the headers every admin answer carries. */
  static Future<Void> send(HttpServerResponse response, AdminEndpoints.Answer answer) {
    return response
        .setStatusCode(answer.status())
        .putHeader(HttpHeaders.CONTENT_TYPE, answer.contentType())
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .end(answer.body());
  }

  private boolean admits(SocketAddress remote) {
    try {
      // An address literal: no name lookup.
      return remote != null && settings.admits(InetAddress.getByName(remote.hostAddress()));
    } catch (UnknownHostException e) {
      return false;
    }
  }

  /** Writes the record of an exchange whose answer is out (or failed). */
  void record(HttpServerRequest request, ExchangeLog.Stamp stamp, AdminNote note) {
    WireBytes wire = wire(request.connection());
    SocketAddress remote = request.remoteAddress();
    SocketAddress local = request.localAddress();
    HttpServerResponse response = request.response();
    log.finishedOutside(
        new AuditRecord(
            stamp.at(),
            stamp.id(),
            remote == null ? null : remote.hostAddress(),
            null,
            note.method == null ? request.method().name() : note.method,
            request.uri(),
            local == null ? null : local.hostAddress(),
            local == null ? null : local.port(),
            note.decision,
            null,
            note.reason,
            false,
            response.getStatusCode(),
            wire == null ? response.bytesWritten() : wire.takeWritten(),
            wire == null ? request.bytesRead() : wire.takeRead(),
            log.millisSince(stamp),
            response.headers().get(HttpHeaders.CONTENT_TYPE),
            null,
            CacheOutcome.NONE,
            null,
            null,
            note.user));
  }

  /**
   * Puts a byte counter next to the socket of a new connection. Vert.x has no public hook into its
   * Netty pipeline; its connections are {@link ConnectionBase}s (an internal type, checked here so
   * a change in Vert.x costs the header bytes in the count, not the listener).
   */
  static void countBytes(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      base.channel().pipeline().addFirst(WireBytes.NAME, new WireBytes());
    }
  }

  private static WireBytes wire(HttpConnection connection) {
    if (connection instanceof ConnectionBase base) {
      Channel channel = base.channel();
      return (WireBytes) channel.pipeline().get(WireBytes.NAME);
    }
    return null;
  }
}
