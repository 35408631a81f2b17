package dev.patchgate.proxy;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Holds the first bytes of an opened tunnel until the TLS ClientHello is complete, and lets them
 * through only when its server name is the host the CONNECT named. A different name (domain
 * fronting: the tunnel looks like an allowed host, the TLS session is with another), no name for a
 * named host, or bytes that are not TLS close the tunnel, and the exchange records why.
 *
 * <p>Installed by {@link AdmissionStage} behind itself for an allowed CONNECT; HTTP messages pass
 * untouched, so it waits for the raw bytes that follow LittleProxy's switch to tunnelling. Runs on
 * the client's event loop only.
 */
final class SniGate extends ChannelInboundHandlerAdapter {
  static final String NAME = "patchgate-sni";
  static final String MISMATCH = "TLS SNI differs from the CONNECT host";
  static final String MISSING = "TLS SNI missing for a named host";
  static final String NOT_TLS = "TLS SNI check: the tunnel did not start with a TLS ClientHello";
  static final String MALFORMED = "TLS SNI check: malformed TLS ClientHello";

  private final Exchange exchange;
  private final String host;
  private final boolean ipLiteral;
  private ByteBuf held;

  /**
   * @param exchange the CONNECT whose tunnel this guards
   * @param host the canonical CONNECT host (lower case, no trailing dot)
   * @param ipLiteral true when the CONNECT named an address, for which no SNI is expected
   */
  SniGate(Exchange exchange, String host, boolean ipLiteral) {
    this.exchange = exchange;
    this.host = host;
    this.ipLiteral = ipLiteral;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    held = held == null ? bytes : merge(ctx, held, bytes);
    ClientHello.Result hello = ClientHello.read(held);
    if (hello.kind() == ClientHello.Kind.NEED_MORE) {
      if (!ctx.channel().config().isAutoRead()) {
        ctx.read();
      }
      return;
    }
    String refusal = refusal(hello);
    if (refusal != null) {
      release();
      exchange.deniedInTunnel(refusal);
      ctx.close();
      return;
    }
    ByteBuf checked = held;
    held = null;
    ctx.pipeline().remove(this);
    ctx.fireChannelRead(checked);
  }

  private String refusal(ClientHello.Result hello) {
    return switch (hello.kind()) {
      case SNI -> hello.serverName().equals(host) ? null : MISMATCH;
      case NO_SNI -> ipLiteral ? null : MISSING;
      case NOT_TLS -> NOT_TLS;
      default -> MALFORMED;
    };
  }

  private static ByteBuf merge(ChannelHandlerContext ctx, ByteBuf first, ByteBuf next) {
    try {
      ByteBuf merged = ctx.alloc().buffer(first.readableBytes() + next.readableBytes());
      return merged.writeBytes(first).writeBytes(next);
    } finally {
      first.release();
      next.release();
    }
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    release();
  }

  private void release() {
    if (held != null) {
      ReferenceCountUtil.release(held);
      held = null;
    }
  }
}
