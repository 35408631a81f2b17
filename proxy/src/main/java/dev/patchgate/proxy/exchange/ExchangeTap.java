package dev.patchgate.proxy.exchange;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * Sits just behind LittleProxy's HTTP encoder and sees whole HTTP responses: the head of each is
 * noted on the current exchange, and the last part, once written, closes it ({@code AdmissionStage}
 * opened it).
 *
 * <p>An interim answer from the origin never reaches the client: a {@code 100 Continue} is dropped
 * (the gateway sends no {@code Expect}, so nobody waits for one), and any other 1xx, {@code 101
 * Switching Protocols} above all, ends the exchange with a {@code 502} and closes the connection,
 * so that what the origin sends next (another protocol, unparsed and unchecked) is never relayed.
 *
 * <p>The completion listener is added after the write has passed down the pipeline, so it runs
 * after {@link WireTap} has counted the response's last bytes.
 *
 * <p>Public for the gateway's wiring and the request path's filters.
 */
public final class ExchangeTap extends ChannelOutboundHandlerAdapter {
  public static final String NAME = "patchgate-exchange";
  private static final int CONNECTION_ESTABLISHED = 200;
  private static final int PARTIAL_CONTENT = 206;
  private static final int CONTINUE = 100;

  private final ClientSession session;
  // The origin switched protocols: nothing more goes to the client, the connection is closing.
  private boolean switched;
  // A 100 Continue was dropped; its (empty) last part follows and is dropped too.
  private boolean droppingContinue;

  public ExchangeTap(ClientSession session) {
    this.session = session;
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    if (switched || (droppingContinue && msg instanceof HttpContent)) {
      droppingContinue = droppingContinue && !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      promise.setFailure(new ClosedChannelException());
      return;
    }
    Exchange exchange = session.current();
    if (exchange == null || !(msg instanceof HttpObject)) {
      ctx.write(msg, promise);
      return;
    }
    if (exchange.isConnect() && exchange.status() == CONNECTION_ESTABLISHED) {
      // The tunnel is open: its bytes are the client's and the server's, and LittleProxy has taken
      // its encoder out. A response it still writes (a late "502" when its connection flow fails
      // after the tunnel opened) could not be sent, and must not rewrite the tunnel's record.
      ReferenceCountUtil.release(msg);
      promise.setFailure(new ClosedChannelException());
      return;
    }
    if (msg instanceof HttpResponse response
        && response.status().codeClass() == HttpStatusClass.INFORMATIONAL) {
      // The 502 goes out before LittleProxy hears that its write failed: a failed 101 still makes
      // it switch the connection, taking out the encoder the 502 needs.
      if (response.status().code() == CONTINUE) {
        droppingContinue = !(msg instanceof LastHttpContent);
      } else {
        refuseSwitch(ctx, exchange);
      }
      ReferenceCountUtil.release(msg);
      promise.setFailure(new ClosedChannelException());
      return;
    }
    if (msg instanceof HttpResponse response) {
      if (exchange.responseOpen()) {
        // LittleProxy answers an upstream failure with a fresh 502 even when part of a body is
        // already out. Appended to that body it would read as data; the client must instead see
        // the connection break, so that a cut download never passes for a complete one.
        ReferenceCountUtil.release(msg);
        promise.setFailure(new ClosedChannelException());
        exchange.failed(Exchange.UPSTREAM_BROKEN);
        ctx.close();
        return;
      }
      exchange.responseStarted(
          response.status().code(),
          response.headers().get(HttpHeaderNames.CONTENT_TYPE),
          objectLength(response));
      if (exchange.closeAfterResponse()) {
        HttpUtil.setKeepAlive(response, false);
      }
    }
    if (!(msg instanceof LastHttpContent)) {
      ctx.write(msg, promise);
      return;
    }
    exchange.responseFinished();
    ChannelPromise tracked = promise.unvoid();
    ctx.write(msg, tracked);
    boolean tunnelOpened = exchange.isConnect() && exchange.status() == CONNECTION_ESTABLISHED;
    if (tunnelOpened) {
      session.tunnelOpened();
    } else {
      // A tunnel's record is written when the connection closes (see WireTap).
      tracked.addListener(
          f -> {
            session.responseEnded(exchange);
            if (exchange.closeAfterResponse()) {
              ctx.channel().close();
            }
          });
    }
  }

  /** Answers 502 instead of the origin's switch of protocols, and closes the connection. */
  private void refuseSwitch(ChannelHandlerContext ctx, Exchange exchange) {
    switched = true;
    exchange.upstreamSwitchedProtocols();
    FullHttpResponse refusal =
        GatewayResponses.refusal(
            HttpResponseStatus.BAD_GATEWAY,
            Exchange.UPSTREAM_SWITCHED_PROTOCOLS,
            exchange.isHead(),
            true);
    exchange.responseStarted(
        refusal.status().code(),
        refusal.headers().get(HttpHeaderNames.CONTENT_TYPE),
        objectLength(refusal));
    exchange.responseFinished();
    ctx.writeAndFlush(refusal)
        .addListener(
            f -> {
              session.responseEnded(exchange);
              ctx.channel().close();
            });
  }

  /**
   * The length of the whole object a response head describes: a 206's Content-Range total, or
   * another response's Content-Length; null when the head does not say.
   */
  static Long objectLength(HttpResponse response) {
    if (response.status().code() == PARTIAL_CONTENT) {
      String range = response.headers().get(HttpHeaderNames.CONTENT_RANGE);
      int slash = range == null ? -1 : range.lastIndexOf('/');
      return slash < 0 ? null : decimal(range.substring(slash + 1).trim());
    }
    return decimal(response.headers().get(HttpHeaderNames.CONTENT_LENGTH));
  }

  private static Long decimal(String value) {
    if (value == null
        || value.isEmpty()
        || value.length() > 18
        || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return null;
    }
    return Long.valueOf(value);
  }
}
