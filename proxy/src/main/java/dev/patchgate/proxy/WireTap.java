package dev.patchgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.channel.FileRegion;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits at the head of a client connection's pipeline and counts the bytes that cross the wire in
 * each direction, tunnels included. Bytes written count once the socket took them (on the write's
 * completion), so a download cut short is not credited with bytes that never left.
 *
 * <p>Once LittleProxy's handlers are in place (they are added when the channel registers), it
 * inserts the idle timer and the {@link RequestFramer} in front of LittleProxy's HTTP decoder, and
 * the {@link ExchangeTap} and the {@link AdmissionStage} behind it. The idle timer replaces
 * LittleProxy's own, which sits behind the codec and so sees neither the mirror's responses nor the
 * bytes the framer holds: here it sees every byte in both directions, and fires at the configured
 * time.
 */
final class WireTap extends ChannelDuplexHandler {
  static final String NAME = "patchgate-wire";
  private static final Logger LOG = LoggerFactory.getLogger(WireTap.class);
  // LittleProxy's name for its request decoder in the client pipeline.
  static final String LITTLEPROXY_DECODER = "decoder";
  // LittleProxy's name for its IdleStateHandler in the client pipeline.
  private static final String LITTLEPROXY_IDLE = "idle";
  private static final String IDLE = "patchgate-idle";

  private final ClientSession session;
  private final AdmissionStage admission;
  private final int maxHead;
  private final Duration idleTimeout;

  /**
   * @param maxHead the longest request head the framer hands over whole
   * @param idleTimeout a connection with no byte in either direction for this long is closed
   */
  WireTap(ClientSession session, AdmissionStage admission, int maxHead, Duration idleTimeout) {
    this.session = session;
    this.admission = admission;
    this.maxHead = maxHead;
    this.idleTimeout = idleTimeout;
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
    if (ctx.pipeline().get(LITTLEPROXY_IDLE) != null) {
      ctx.pipeline().remove(LITTLEPROXY_IDLE);
    }
    ctx.pipeline()
        .addAfter(
            NAME, IDLE, new IdleStateHandler(0, 0, idleTimeout.toNanos(), TimeUnit.NANOSECONDS))
        .addBefore(LITTLEPROXY_DECODER, RequestFramer.NAME, new RequestFramer(session, maxHead))
        .addAfter(LITTLEPROXY_DECODER, ExchangeTap.NAME, new ExchangeTap(session))
        .addAfter(ExchangeTap.NAME, AdmissionStage.NAME, admission);
    super.channelRegistered(ctx);
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
