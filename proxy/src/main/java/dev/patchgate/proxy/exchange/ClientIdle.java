package dev.patchgate.proxy.exchange;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The client connection's idle timer ({@code patchgate.timeouts.idle}), which sees every byte in
 * either direction; LittleProxy closes the connection when it fires.
 *
 * <p>A connection that goes idle in the middle of a response while the client keeps up (its channel
 * is writable, so nothing waits to be sent) is idle because the upstream sent nothing: the record
 * says {@value Exchange#UPSTREAM_TIMEOUT}. The upstream side's own timer runs on the same setting
 * and would say the same a moment later; which of the two fires first is chance, and the record
 * must not depend on it.
 *
 * <p>Public for the gateway's wiring.
 */
public final class ClientIdle extends IdleStateHandler {
  private final ClientSession session;

  public ClientIdle(ClientSession session, Duration timeout) {
    super(0, 0, timeout.toNanos(), TimeUnit.NANOSECONDS);
    this.session = session;
  }

  @Override
  protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent evt) throws Exception {
    Exchange exchange = session.current();
    if (exchange != null && exchange.responseOpen() && ctx.channel().isWritable()) {
      exchange.failed(Exchange.UPSTREAM_TIMEOUT);
    }
    super.channelIdle(ctx, evt);
  }
}
