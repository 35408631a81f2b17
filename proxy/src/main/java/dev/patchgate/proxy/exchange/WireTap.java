package dev.patchgate.proxy.exchange;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;

/**
 * Sits at the head of a client connection's pipeline and counts the bytes that cross the wire in
 * each direction, tunnels included. Bytes written count once the socket took them (on the write's
 * completion), so a download cut short is not credited with bytes that never left.
 *
 * <p>Public for the gateway's wiring and the request path's filters.
 */
public final class WireTap extends ChannelDuplexHandler {
  public static final String NAME = "patchgate-wire";

  private final ClientSession session;

  public WireTap(ClientSession session) {
    this.session = session;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf buf) {
      session.bytesArrived(buf.readableBytes());
    }
    super.channelRead(ctx, msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise)
      throws Exception {
    long size = sizeOf(msg);
    if (size > 0) {
      ChannelPromise counted = promise.unvoid();
      counted.addListener(
          f -> {
            if (f.isSuccess()) {
              session.bytesWritten(size);
            }
          });
      ctx.write(msg, counted);
    } else {
      ctx.write(msg, promise);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    session.closed();
    super.channelInactive(ctx);
  }

  private static long sizeOf(Object msg) {
    if (msg instanceof ByteBuf buf) {
      return buf.readableBytes();
    }
    if (msg instanceof FileRegion region) {
      return region.count() - region.transferred();
    }
    return 0;
  }
}
