package dev.patchgate.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.nio.channels.ClosedChannelException;

/**
 * Sits just behind LittleProxy's HTTP codec and sees whole HTTP messages: every decoded request
 * head (malformed ones too, which LittleProxy answers without consulting any filter) opens an
 * exchange, and the last part of each response, once written, closes it.
 *
 * <p>The completion listener is added after the write has passed down the pipeline, so it runs
 * after {@link WireTap} has counted the response's last bytes.
 */
final class ExchangeTap extends ChannelDuplexHandler {
  static final String NAME = "patchgate-exchange";
  private static final int CONNECTION_ESTABLISHED = 200;

  private final ClientSession session;

  ExchangeTap(ClientSession session) {
    this.session = session;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof HttpRequest request) {
      session.requestArrived(request);
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    Exchange exchange = session.current();
    if (exchange == null || !(msg instanceof HttpObject)) {
      ctx.write(msg, promise);
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
      exchange.responseStarted(response.status().code());
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
    if (!tunnelOpened) {
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
}
