package dev.patchgate.proxy.admin;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.proxy.config.AdminSettings;
import dev.patchgate.proxy.exchange.ExchangeLog;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * One admin connection's exchanges: counts the bytes on the wire (it sits next to the socket) and
 * writes the audit record of each answer, as the proxy does for its own requests.
 *
 * <p>Confined to the connection's event loop. Answers go out one at a time, each as soon as its
 * request is read, so the bytes written by one answer are the count's growth while it is written;
 * the bytes read since the previous answer are this request's (a client that pipelines has the
 * requests of one packet counted in the first).
 */
final class AdminExchanges extends ChannelDuplexHandler {
  static final String NAME = "patchgate-admin-bytes";

  private final InetAddress client;
  private final AdminSettings settings;
  private final ExchangeLog log;
  private final String host;
  private final int port;
  private long read;
  private long written;
  private long readBefore;

  AdminExchanges(Channel channel, AdminSettings settings, ExchangeLog log) {
    InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
    InetSocketAddress local = (InetSocketAddress) channel.localAddress();
    this.client = remote.getAddress();
    this.settings = settings;
    this.log = log;
    this.host = local.getAddress().getHostAddress();
    this.port = local.getPort();
  }

  /** True when the client may use the admin listener. */
  boolean admitted() {
    return settings.admits(client);
  }

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

  /**
   * Sends {@code response} and writes the record of the exchange it ends.
   *
   * @param stamp when the request arrived
   * @param close true to close the connection once the answer is out
   */
  void answer(
      ChannelHandlerContext ctx,
      ExchangeLog.Stamp stamp,
      String method,
      String url,
      FullHttpResponse response,
      AuditDecision decision,
      String reason,
      boolean close) {
    String contentType = response.headers().get(HttpHeaderNames.CONTENT_TYPE);
    int status = response.status().code();
    if (close) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    long writtenBefore = written;
    // The codec encodes on this thread inside the call, so the count has grown by the answer.
    var sent = ctx.writeAndFlush(response);
    if (close) {
      sent.addListener(ChannelFutureListener.CLOSE);
    }
    long toClient = written - writtenBefore;
    long fromClient = read - readBefore;
    readBefore = read;
    log.finishedOutside(
        new AuditRecord(
            stamp.at(),
            stamp.id(),
            client.getHostAddress(),
            null,
            method,
            url,
            host,
            port,
            decision,
            null,
            reason,
            false,
            status,
            toClient,
            fromClient,
            log.millisSince(stamp),
            contentType,
            null,
            CacheOutcome.NONE,
            null,
            null));
  }
}
