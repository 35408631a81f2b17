package dev.patchgate.proxy.tunnel;

import dev.patchgate.proxy.exchange.Exchange;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.util.ReferenceCountUtil;

/**
 * Lets an opened tunnel's bytes through only while every plaintext TLS ClientHello in them names
 * the host the CONNECT named, until the server has chosen its site. A different name (domain
 * fronting: the tunnel looks like an allowed host, the TLS session is with another), no name for a
 * named host, an Encrypted Client Hello (the name that counts is encrypted), or bytes that are not
 * TLS close the tunnel, and the exchange records why.
 *
 * <p>Both directions are followed as TLS records, whose 5-byte headers are never encrypted:
 *
 * <ul>
 *   <li>the client's: each handshake record starts a ClientHello, which is held until complete
 *       (across records, up to {@link ClientHello#MAX_HANDSHAKE}) and checked; change_cipher_spec,
 *       alert and application_data records (a TLS 1.3 client's compatibility change_cipher_spec,
 *       0-RTT data) are relayed as they come. Anything else is malformed.
 *   <li>the server's (the writes LittleProxy sends the client): its first answer. A
 *       HelloRetryRequest means the server reads another plaintext ClientHello, which is checked
 *       like the first (a client cannot switch names through a retry); a real ServerHello means it
 *       reads none, so the gate leaves the pipeline and the tunnel runs without it. An answer that
 *       is not TLS leaves the gate in place on the client's side (fail closed).
 * </ul>
 *
 * <p>Installed by the request path ({@code AdmissionStage}) behind itself for an allowed CONNECT;
 * HTTP messages pass untouched, so it waits for the raw bytes that follow LittleProxy's switch to
 * tunnelling. Runs on the client's event loop only (Netty runs writes from the upstream side there
 * too).
 *
 * <p>Public for the request path, which puts it in front of an allowed tunnel.
 */
public final class SniGate extends ChannelDuplexHandler {
  public static final String NAME = "patchgate-sni";
  public static final String MISMATCH = "TLS SNI differs from the CONNECT host";
  public static final String MISSING = "TLS SNI missing for a named host";
  public static final String NOT_TLS =
      "TLS SNI check: the tunnel did not start with a TLS ClientHello";
  public static final String MALFORMED = "TLS SNI check: malformed TLS ClientHello";
  public static final String ECH = "TLS ECH cannot be checked";

  private static final int CONTENT_CHANGE_CIPHER_SPEC = 20;
  private static final int CONTENT_ALERT = 21;
  private static final int CONTENT_APPLICATION_DATA = 23;

  private final Exchange exchange;
  private final String host;
  private final boolean ipLiteral;
  // The client's bytes not yet relayed; they start at a record boundary.
  private ByteBuf held;
  // What is left of a client record that is relayed without being read.
  private int relaying;
  private boolean helloPassed;
  private boolean refused;
  // A copy of the server's bytes not yet read, while its answer is awaited.
  private ByteBuf answer;
  private boolean awaitingAnswer = true;
  private boolean serverChose;

  /**
   * @param exchange the CONNECT whose tunnel this guards
   * @param host the canonical CONNECT host (lower case, no trailing dot)
   * @param ipLiteral true when the CONNECT named an address, for which no SNI is expected
   */
  public SniGate(Exchange exchange, String host, boolean ipLiteral) {
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
    if (refused) {
      bytes.release(); // read in the same loop as the refused hello, before the close took effect
      return;
    }
    ByteBuf rest = relayRecordTail(ctx, bytes);
    if (rest == null) {
      return;
    }
    held = held == null ? rest : merge(ctx, held, rest);
    String refusal = relayChecked(ctx);
    if (refusal != null) {
      refused = true;
      release();
      exchange.deniedInTunnel(refusal);
      ctx.close();
      return;
    }
    if (held != null) {
      if (!ctx.channel().config().isAutoRead()) {
        ctx.read();
      }
      return;
    }
    leaveOnceTheServerChose(ctx);
  }

  /**
   * Relays the part of {@code bytes} that finishes a record already being relayed.
   *
   * @return the rest, or null when nothing is left
   */
  private ByteBuf relayRecordTail(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (relaying == 0) {
      return bytes;
    }
    if (bytes.readableBytes() <= relaying) {
      relaying -= bytes.readableBytes();
      ctx.fireChannelRead(bytes);
      return null;
    }
    ByteBuf tail = bytes.readRetainedSlice(relaying);
    relaying = 0;
    ctx.fireChannelRead(tail);
    return bytes;
  }

  /**
   * Relays the held records that are complete and pass, in order.
   *
   * @return why the tunnel must close, or null
   */
  private String relayChecked(ChannelHandlerContext ctx) {
    while (held.isReadable()) {
      int first = held.getUnsignedByte(held.readerIndex());
      if (!helloPassed || first == ClientHello.CONTENT_HANDSHAKE) {
        ClientHello.Result hello = ClientHello.read(held);
        if (hello.kind() == ClientHello.Kind.NEED_MORE) {
          return null;
        }
        String refusal = refusal(hello);
        if (refusal != null) {
          return refusal;
        }
        helloPassed = true;
        ctx.fireChannelRead(held.readRetainedSlice(hello.length()));
        continue;
      }
      if (!isRelayedUnread(first)
          || held.readableBytes() > 1 && held.getUnsignedByte(held.readerIndex() + 1) != 3) {
        return MALFORMED;
      }
      if (held.readableBytes() < ClientHello.RECORD_HEADER) {
        return null;
      }
      int length = held.getUnsignedShort(held.readerIndex() + 3);
      if (length > ClientHello.MAX_RECORD) {
        return MALFORMED;
      }
      int record = ClientHello.RECORD_HEADER + length;
      int now = Math.min(record, held.readableBytes());
      relaying = record - now;
      ctx.fireChannelRead(held.readRetainedSlice(now));
    }
    held.release();
    held = null;
    return null;
  }

  private static boolean isRelayedUnread(int contentType) {
    return contentType == CONTENT_CHANGE_CIPHER_SPEC
        || contentType == CONTENT_ALERT
        || contentType == CONTENT_APPLICATION_DATA;
  }

  private String refusal(ClientHello.Result hello) {
    return switch (hello.kind()) {
      case SNI -> hello.serverName().equals(host) ? null : MISMATCH;
      case NO_SNI -> ipLiteral ? null : MISSING;
      case ECH -> ECH;
      case NOT_TLS -> helloPassed ? MALFORMED : NOT_TLS;
      default -> MALFORMED;
    };
  }

  @Override
  public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
    if (awaitingAnswer && msg instanceof ByteBuf bytes && bytes.isReadable()) {
      if (helloPassed) {
        readAnswer(ctx, bytes);
      } else {
        // A server that speaks first is no TLS server: nothing it sends can let the gate go.
        awaitingAnswer = false;
      }
    }
    ctx.write(msg, promise);
    if (held == null) {
      leaveOnceTheServerChose(ctx);
    }
  }

  /** Follows the server's bytes until its answer to a ClientHello says whether it reads another. */
  private void readAnswer(ChannelHandlerContext ctx, ByteBuf bytes) {
    if (answer == null) {
      answer = ctx.alloc().buffer(bytes.readableBytes());
    }
    answer.writeBytes(bytes, bytes.readerIndex(), bytes.readableBytes());
    while (true) {
      ServerHello.Result result = ServerHello.read(answer);
      switch (result.kind()) {
        case RETRY -> {
          // The next ClientHello is read by the server: it is held and checked like the first.
          answer.skipBytes(result.length());
          answer.discardSomeReadBytes();
          continue;
        }
        case SERVER_HELLO -> serverChose = true;
        case OTHER -> {
          // Not a TLS server's answer: the gate keeps checking the client's side.
        }
        case NEED_MORE -> {
          if (answer.readableBytes() <= ClientHello.MAX_HANDSHAKE) {
            return;
          }
        }
      }
      awaitingAnswer = false;
      answer.release();
      answer = null;
      return;
    }
  }

  private void leaveOnceTheServerChose(ChannelHandlerContext ctx) {
    if (serverChose && !ctx.isRemoved()) {
      ctx.pipeline().remove(this);
    }
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
    if (answer != null) {
      answer.release();
      answer = null;
    }
  }

  private void release() {
    if (held != null) {
      ReferenceCountUtil.release(held);
      held = null;
    }
  }
}
