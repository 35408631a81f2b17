package dev.patchgate.proxy.admin;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;

/**
 * Counts one admin connection's bytes as they cross the socket, so that each audit record carries
 * what the client really sent and got, headers included (Vert.x reports only bodies per request,
 * and its metrics SPI batches its byte counts).
 *
 * <p>Confined to the connection's event loop. Vert.x answers one request at a time, so the bytes
 * since the previous record are this exchange's (a client that pipelines has the requests of one
 * packet counted in the first).
 */
final class WireBytes extends ChannelDuplexHandler {
  static final String NAME = "patchgate-admin-bytes";

  private long read;
  private long written;
  private long readBefore;
  private long writtenBefore;

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    read += size(msg);
    ctx.fireChannelRead(msg);
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    written += size(msg);
    ctx.write(msg, promise);
  }

  private static long size(Object msg) {
    if (msg instanceof ByteBuf buf) {
      return buf.readableBytes();
    }
    return msg instanceof ByteBufHolder holder ? holder.content().readableBytes() : 0;
  }

  /** Bytes received since the previous call to this method. */
  long takeRead() {
    long delta = read - readBefore;
    readBefore = read;
    return delta;
  }

  /** Bytes sent since the previous call to this method. */
  long takeWritten() {
    long delta = written - writtenBefore;
    writtenBefore = written;
    return delta;
  }
}
