package dev.patchgate.proxy.admin;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.proxy.admin.AdminEndpoints.Answer;
import dev.patchgate.proxy.exchange.ExchangeLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers one admin request at a time: refuses clients outside {@code patchgate.admin.clients}
 * (403, recorded as {@code deny}), malformed requests (400, {@code error}), methods other than GET
 * and HEAD (405), and unknown paths (404); serves the endpoints otherwise. Every answer is audited
 * by {@link AdminExchanges}.
 */
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  static final String REFUSED = "admin client not allowed";
  static final String MALFORMED = "malformed request";
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);

  private final AdminExchanges exchanges;
  private final ExchangeLog log;
  private final AdminEndpoints endpoints;

  AdminHandler(AdminExchanges exchanges, ExchangeLog log, AdminEndpoints endpoints) {
    this.exchanges = exchanges;
    this.log = log;
    this.endpoints = endpoints;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    ExchangeLog.Stamp stamp = log.stamp();
    String method = request.method().name();
    String url = request.uri();
    if (!exchanges.admitted()) {
      Answer refused = Answer.text(HttpResponseStatus.FORBIDDEN, "forbidden\n");
      exchanges.answer(
          ctx, stamp, method, url, response(refused, false), AuditDecision.DENY, REFUSED, true);
      return;
    }
    if (request.decoderResult().isFailure()) {
      Answer bad = Answer.text(HttpResponseStatus.BAD_REQUEST, "bad request\n");
      exchanges.answer(
          ctx, stamp, method, url, response(bad, false), AuditDecision.ERROR, MALFORMED, true);
      return;
    }
    boolean head = HttpMethod.HEAD.equals(request.method());
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    String path = new QueryStringDecoder(url).path();
    Answer answer;
    if (!AdminEndpoints.serves(path)) {
      answer = AdminEndpoints.notFound();
    } else if (!head && !HttpMethod.GET.equals(request.method())) {
      answer = Answer.text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    } else {
      answer = endpoints.get(path);
    }
    FullHttpResponse response = response(answer, head);
    if (answer.status() == HttpResponseStatus.METHOD_NOT_ALLOWED) {
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    exchanges.answer(ctx, stamp, method, url, response, AuditDecision.ALLOW, null, !keepAlive);
  }

  /** The response for {@code answer}; a HEAD's has the headers of the GET and no body. */
  private static FullHttpResponse response(Answer answer, boolean head) {
    byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
    ByteBuf content = head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body);
    FullHttpResponse response =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, answer.status(), content);
    response
        .headers()
        .set(HttpHeaderNames.CONTENT_TYPE, answer.contentType())
        .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length)
        .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
        .set("X-Content-Type-Options", "nosniff");
    return response;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      ctx.close();
      return;
    }
    super.userEventTriggered(ctx, evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    LOG.debug("admin connection from {} failed", ctx.channel().remoteAddress(), cause);
    ctx.close();
  }
}
