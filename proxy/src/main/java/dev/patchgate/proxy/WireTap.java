package dev.patchgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits at the head of a client connection's pipeline and counts the bytes that cross the wire in
 * each direction, tunnels included. Bytes written count once the socket took them (on the write's
 * completion), so a download cut short is not credited with bytes that never left.
 *
 * <p>Once LittleProxy's handlers are in place (they are added when the channel registers), it
 * inserts the {@link ExchangeTap} and the {@link AdmissionStage} behind LittleProxy's HTTP codec.
 */
final class WireTap extends ChannelDuplexHandler {
  static final String NAME = "patchgate-wire";
  private static final Logger LOG = LoggerFactory.getLogger(WireTap.class);
  // LittleProxy's name for its request decoder in the client pipeline.
  private static final String LITTLEPROXY_DECODER = "decoder";

  private final ClientSession session;
  private final AdmissionStage admission;

  WireTap(ClientSession session, AdmissionStage admission) {
    this.session = session;
    this.admission = admission;
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
    if (ctx.pipeline().get(LITTLEPROXY_DECODER) == null) {
      // Without the exchange tap nothing would be audited: refuse the connection instead.
      LOG.error(
          "LittleProxy's pipeline has no '{}' handler; closing the connection",
          LITTLEPROXY_DECODER);
      ctx.close();
      return;
    }
    ctx.pipeline()
        .addAfter(LITTLEPROXY_DECODER, ExchangeTap.NAME, new ExchangeTap(session))
        .addAfter(ExchangeTap.NAME, AdmissionStage.NAME, admission);
    if (ctx.pipeline().get(IdleGuard.LITTLEPROXY_IDLE) != null) {
      ctx.pipeline().addAfter(IdleGuard.LITTLEPROXY_IDLE, IdleGuard.NAME, new IdleGuard(session));
    }
    super.channelRegistered(ctx);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    if (msg instanceof ByteBuf buf) {
      session.bytesRead(buf.readableBytes());
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
