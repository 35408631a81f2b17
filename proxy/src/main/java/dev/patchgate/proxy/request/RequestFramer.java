package dev.patchgate.proxy.request;

import dev.patchgate.proxy.exchange.ClientSession;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.GatewayResponses;
import dev.patchgate.proxy.exchange.RequestLine;
import dev.patchgate.proxy.tunnel.SniGate;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ByteProcessor;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Stands in front of LittleProxy's HTTP decoder and hands it one request head at a time: the next
 * request, pipelined or not, reaches the request path only after the previous exchange has ended
 * (its last response byte written, its record written). So answers go out in request order on every
 * path, and each record counts exactly the bytes of its own request. Bytes that follow a CONNECT
 * head belong to the tunnel, never to another request: they wait here until the tunnel is open and
 * then pass to the tunnel's {@link SniGate}, once LittleProxy has taken its HTTP codec out.
 *
 * <p>A head ends at the first empty line, as Netty's decoder reads it (LF, optionally after CR).
 * Requests carry no body ({@link RequestGate} refuses every one, and closes the connection), so
 * whatever follows a head is the next request, and is held. A head that grows past the configured
 * limits without ending is handed over as it is, for the decoder to refuse. While a request is in
 * progress and more than {@link #HOLD_LIMIT} bytes wait, the connection stops reading.
 *
 * <p>A head must arrive whole within the request header timeout, counted from accept for the first
 * request and from its first byte for a later one (the wait between requests on a kept-alive
 * connection is the idle timeout's business). The idle timeout restarts on every byte, so a head
 * trickled in a byte at a time would hold the connection for ever; this clock does not restart.
 * When it runs out, a connection that sent nothing (or blank lines only) is closed, and one with
 * part of a head gets {@code 408} and a record ({@value Exchange#REQUEST_HEADER_TIMEOUT}), and is
 * closed after it.
 *
 * <p>A state machine of one connection: event loop only.
 *
 * <p>Public for the gateway's wiring ({@code ClientPipeline}).
 */
public final class RequestFramer extends ChannelDuplexHandler implements ClientSession.RequestFlow {
  public static final String NAME = "patchgate-framer";

  /** Bytes held behind a request in progress before the connection stops reading. */
  static final int HOLD_LIMIT = 64 * 1024;

  // LittleProxy's name for its response encoder, which it takes out when a tunnel opens.
  private static final String LITTLEPROXY_ENCODER = "encoder";

  private enum State {
    /** No request in progress: the next complete head goes to the decoder at once. */
    IDLE,
    /** A head went to the decoder; its exchange has not ended. */
    IN_EXCHANGE,
    /** A CONNECT head went to the decoder; until its tunnel opens, nothing else is HTTP. */
    CONNECTING,
    /** The CONNECT's 200 is written; LittleProxy is still switching the connection to a tunnel. */
    OPENING,
    /** The tunnel is open: every byte passes. */
    TUNNEL,
    /** The connection is closing: nothing passes. */
    CLOSED
  }

  private final ClientSession session;
  private final int maxHead;
  private final long headerTimeoutNanos;
  private final Runnable onHeaderTimeout;
  private ChannelHandlerContext ctx;
  // Runs out when the head being waited for has taken too long; null when none is being timed.
  private ScheduledFuture<?> headerDeadline;
  private ByteBuf pending;
  // Where the search for the end of the current head resumes in pending.
  private final HeadScanner scanner = new HeadScanner();
  private State state = State.IDLE;

  /**
   * @param maxHead the longest head handed over whole (request line and header limits together);
   *     one that grows past it goes to the decoder as it is, which refuses it
   * @param headerTimeout the longest a head may take to arrive
   * @param onHeaderTimeout told of each connection closed at the header timeout
   */
  public RequestFramer(
      ClientSession session, int maxHead, Duration headerTimeout, Runnable onHeaderTimeout) {
    this.session = session;
    this.maxHead = maxHead;
    this.headerTimeoutNanos = headerTimeout.toNanos();
    this.onHeaderTimeout = onHeaderTimeout;
  }

  /** Added as the connection registers, just after accept: the first head is timed from now. */
  @Override
  public void handlerAdded(ChannelHandlerContext ctx) {
    this.ctx = ctx;
    session.framedBy(this);
    startHeaderClock();
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof ByteBuf bytes)) {
      ctx.fireChannelRead(msg);
      return;
    }
    switch (state) {
      case TUNNEL -> {
        session.bytesHandedOver(bytes.readableBytes());
        ctx.fireChannelRead(bytes);
      }
      case CLOSED -> bytes.release();
      default -> {
        hold(bytes);
        if (state == State.IDLE) {
          handOverNextHead();
          timeHeadInProgress();
        }
        if (pending != null && pending.readableBytes() > HOLD_LIMIT && state != State.IDLE) {
          ctx.channel().config().setAutoRead(false);
        }
      }
    }
  }

  private void hold(ByteBuf bytes) {
    if (pending == null) {
      pending = bytes;
      return;
    }
    try {
      if (pending.writableBytes() < bytes.readableBytes()) {
        ByteBuf merged =
            ctx.alloc().buffer(Math.max(pending.readableBytes() + bytes.readableBytes(), 1024));
        merged.writeBytes(pending);
        pending.release();
        pending = merged;
      }
      pending.writeBytes(bytes);
    } finally {
      bytes.release();
    }
  }

  /** Hands the next complete head (or an overlong one) to the decoder, if one is there. */
  private void handOverNextHead() {
    if (pending == null) {
      return;
    }
    int end = scanner.endOfHead(pending);
    if (end < 0) {
      if (pending.readableBytes() <= maxHead) {
        return; // the head is not complete yet
      }
      end = pending.writerIndex(); // too long: the decoder refuses it
    }
    ByteBuf head;
    if (end == pending.writerIndex()) {
      head = pending; // the usual case: exactly one request arrived
      pending = null;
    } else {
      head = pending.readRetainedSlice(end - pending.readerIndex());
    }
    scanner.reset();
    stopHeaderClock();
    state = RequestLine.isConnect(head) ? State.CONNECTING : State.IN_EXCHANGE;
    session.nextRequestLine(RequestLine.of(head));
    session.bytesHandedOver(head.readableBytes());
    ctx.channel().config().setAutoRead(true);
    ctx.fireChannelRead(head);
  }

  /**
   * The exchange in progress ended. The next head goes on, unless the exchange ends the connection,
   * or it was a CONNECT whose tunnel never opened while tunnel bytes were waiting behind it.
   */
  @Override
  public void exchangeEnded(boolean endsConnection) {
    State was = state;
    if (was == State.CLOSED || was == State.TUNNEL) {
      return;
    }
    boolean tunnelBytesWaiting = was == State.CONNECTING && pending != null;
    if (endsConnection || tunnelBytesWaiting) {
      closeConnection();
      return;
    }
    state = State.IDLE;
    if (pending != null) {
      // Not from inside the write listener that ended the exchange: the next request starts on a
      // fresh stack, after whatever else that write's completion triggers (a close included).
      ctx.executor()
          .execute(
              () -> {
                if (state == State.IDLE && ctx.channel().isActive()) {
                  handOverNextHead();
                  timeHeadInProgress();
                }
              });
    } else {
      ctx.channel().config().setAutoRead(true);
    }
  }

  /**
   * The CONNECT's 200 is on its way: the connection becomes a tunnel once LittleProxy has switched
   * it, which it does after the 200 is written: it takes its codec out and then resumes reading.
   * Bytes handed over before that would reach LittleProxy's upstream connection while it still
   * counts as connecting, and it would block the event loop waiting for itself; so the bytes that
   * came early wait for that resumed read (see {@link #read}).
   */
  @Override
  public void tunnelOpened() {
    if (state == State.CONNECTING) {
      state = State.OPENING;
    }
  }

  /** The channel is asked to read: the moment LittleProxy resumes reading on an opened tunnel. */
  @Override
  public void read(ChannelHandlerContext ctx) throws Exception {
    if (state == State.OPENING && ctx.pipeline().get(LITTLEPROXY_ENCODER) == null) {
      // Still inside LittleProxy's switch: hand the early bytes over once it has returned.
      ctx.executor().execute(this::enterTunnel);
    }
    super.read(ctx);
  }

  private void enterTunnel() {
    if (state != State.OPENING || !ctx.channel().isActive()) {
      return;
    }
    state = State.TUNNEL;
    ByteBuf early = pending;
    pending = null;
    ctx.channel().config().setAutoRead(true);
    if (early != null) {
      session.bytesHandedOver(early.readableBytes());
      ctx.fireChannelRead(early);
    }
  }

  private void closeConnection() {
    state = State.CLOSED;
    release();
    ctx.channel().close();
  }

  /**
   * Part of a head is here and no exchange is in progress: the head is timed from now (its first
   * byte), unless it is timed already (from accept). A head that arrives whole is never timed.
   */
  private void timeHeadInProgress() {
    if (state == State.IDLE && pending != null) {
      startHeaderClock();
    }
  }

  /** Starts timing the head waited for, unless it is timed already. */
  private void startHeaderClock() {
    if (headerDeadline == null) {
      headerDeadline =
          ctx.executor().schedule(this::headerTimedOut, headerTimeoutNanos, TimeUnit.NANOSECONDS);
    }
  }

  private void stopHeaderClock() {
    if (headerDeadline != null) {
      headerDeadline.cancel(false);
      headerDeadline = null;
    }
  }

  /**
   * The head waited for has not arrived whole in time: the connection closes, after a 408 if part
   * of the head came. The 408 goes out through the request path's side of the pipeline, so that its
   * exchange is recorded like any other, and its end closes the connection.
   */
  private void headerTimedOut() {
    headerDeadline = null;
    if (state != State.IDLE || !ctx.channel().isActive()) {
      return;
    }
    onHeaderTimeout.run();
    ChannelHandlerContext requestPath = ctx.pipeline().context(AdmissionStage.NAME);
    if (pending == null || !scanner.started() || requestPath == null) {
      closeConnection(); // nothing came, or only the blank lines allowed before a request line
      return;
    }
    ByteBuf partial = pending;
    pending = null;
    scanner.reset();
    RequestLine line = RequestLine.of(partial);
    session.bytesHandedOver(partial.readableBytes());
    partial.release();
    state = State.IN_EXCHANGE;
    ctx.channel().config().setAutoRead(false);
    session.headerTimedOut(line);
    requestPath.writeAndFlush(
        GatewayResponses.refusal(
            HttpResponseStatus.REQUEST_TIMEOUT, Exchange.REQUEST_HEADER_TIMEOUT, false, true));
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    state = State.CLOSED;
    stopHeaderClock();
    release();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    stopHeaderClock();
    release();
  }

  private void release() {
    if (pending != null) {
      ReferenceCountUtil.release(pending);
      pending = null;
    }
  }

  /**
   * Finds where a request head ends, resuming where the last search stopped so that a head arriving
   * byte by byte is scanned once.
   */
  static final class HeadScanner implements ByteProcessor {
    // Offset from the buffer's reader index where scanning resumes.
    private int scanned;
    private boolean inFirstLine;
    private boolean started;
    private boolean lineEmpty = true;

    /** True once a request line has begun (not only blank lines). */
    boolean started() {
      return started;
    }

    void reset() {
      scanned = 0;
      inFirstLine = false;
      started = false;
      lineEmpty = true;
    }

    /** The index just past the head's empty line, or -1 when it has not arrived yet. */
    int endOfHead(ByteBuf buf) {
      int from = buf.readerIndex() + scanned;
      int to = buf.writerIndex();
      int found = from < to ? buf.forEachByte(from, to - from, this) : -1;
      if (found < 0) {
        scanned = to - buf.readerIndex();
        return -1;
      }
      scanned = 0;
      return found + 1;
    }

    /** Takes one byte; false at the LF that ends the head's empty line. */
    @Override
    public boolean process(byte b) {
      if (!started) {
        // Netty's decoder skips control characters and white space before the request line.
        if (b > ' ' && b != 0x7f) {
          started = true;
          inFirstLine = true;
          lineEmpty = false;
        }
        return true;
      }
      if (b == '\n') {
        if (lineEmpty && !inFirstLine) {
          return false;
        }
        inFirstLine = false;
        lineEmpty = true;
      } else if (b != '\r') {
        lineEmpty = false;
      }
      return true;
    }
  }
}
