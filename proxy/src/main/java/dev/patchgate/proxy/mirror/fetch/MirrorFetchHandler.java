package dev.patchgate.proxy.mirror.fetch;

import dev.patchgate.audit.Ticker;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.FreshnessPolicy;
import dev.patchgate.mirror.HeaderLookup;
import dev.patchgate.proxy.mirror.fetch.MirrorFetchOutcome.Failure;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.timeout.ReadTimeoutException;
import io.netty.resolver.DefaultAddressResolverGroup;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mirror fetch on its upstream connection: sends the request, then streams the response into
 * the fill (through a {@link MirrorFillQueue}) or, when the fill does not take it, to the
 * pass-through consumer. Ends the fill on every path: complete, not modified, or aborted with the
 * reason. A fetch without a fill (the rest of a download, {@link MirrorFetcher#fetchRange}) hands
 * whatever answer comes to the consumer.
 *
 * <p>States: awaiting the head; deciding ({@link FillWriter#start} runs on a disk thread; reading
 * is paused and body bytes that were already decoded wait here); storing; passing through; done.
 * Reading pauses while more than the queue's high mark waits for the disk, or while the consumer
 * asks it to, and the idle timeout does not count those pauses: they are the gateway's doing, not
 * the upstream's.
 *
 * <p>Confined to the channel's event loop, except the queue's listener callbacks, which hop onto
 * it.
 *
 * <p>One unit, though over 500 lines: it is the fetch's state machine, and every state reads and
 * writes the same few fields (the state, the early body parts, the pause flags, the idle clock);
 * the parts that stand alone already live apart ({@link MirrorFillQueue}, {@link
 * MirrorFetchRequest}, {@link HopByHop}).
 */
// Sharable only so that the next hop's channel can carry it after the previous hop's connection
// failed: it is never in two live pipelines at once.
@ChannelHandler.Sharable
final class MirrorFetchHandler extends ChannelInboundHandlerAdapter
    implements MirrorFillQueue.Listener {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorFetchHandler.class);

  private enum State {
    AWAITING_HEAD,
    DECIDING,
    STORING,
    PASSING,
    DONE
  }

  private final MirrorFetchRequest request;
  // Null for a fetch without a fill; the queue with it.
  private final FillWriter writer;
  private final MirrorFetchPassThrough passThrough;
  private final MirrorFillQueue queue;
  private final EventLoop loop;
  private final long idleNanos;
  private final Ticker ticker;
  private final CompletableFuture<MirrorFetchOutcome> outcome = new CompletableFuture<>();
  private final ArrayDeque<ByteBuf> early = new ArrayDeque<>();

  private Channel channel;
  // The hop being dialled, then the one connected.
  private FetchRoute.Hop hop;
  private State state = State.AWAITING_HEAD;
  private HttpResponse head;
  private boolean earlyLast;
  private boolean skippingInformational;
  private long declared = -1;
  private long received;
  private volatile boolean paused;
  private long lastActivity;
  private ScheduledFuture<?> idleCheck;

  MirrorFetchHandler(
      MirrorFetchRequest request,
      FillWriter writer,
      MirrorFetchPassThrough passThrough,
      Executor diskPool,
      long queueHighMark,
      EventLoop loop,
      long idleNanos,
      Ticker ticker) {
    this.request = request;
    this.ticker = ticker;
    this.writer = writer;
    this.passThrough = passThrough;
    this.loop = loop;
    this.idleNanos = idleNanos;
    this.queue = writer == null ? null : new MirrorFillQueue(writer, diskPool, this, queueHighMark);
  }

  CompletableFuture<MirrorFetchOutcome> outcome() {
    return outcome;
  }

  MirrorFillQueue queue() {
    return queue;
  }

  boolean readingPaused() {
    return paused;
  }

  // ---- driven from MirrorFetch, on the loop ----

  /**
   * Dials the pinned address; {@code bootstrap} is this fetch's own, bound to this handler's loop
   * and installing this handler.
   */
  void connect(Bootstrap bootstrap) {
    connect(bootstrap, 0);
  }

  /**
   * Dials the route's hop {@code index}; when that fails, the next one (the next parent proxy), and
   * the fetch fails only when none is left. One channel at a time carries this handler.
   */
  private void connect(Bootstrap bootstrap, int index) {
    if (state == State.DONE) {
      return; // cancelled before it started, or while the previous hop was being dialled
    }
    List<FetchRoute.Hop> hops = request.route().hops();
    FetchRoute.Hop next = hops.get(index);
    hop = next;
    // A parent named by a host name is looked up; an origin's address never is (it is pinned).
    Bootstrap dialling =
        next.parent() && next.address().isUnresolved()
            ? bootstrap.clone().resolver(DefaultAddressResolverGroup.INSTANCE)
            : bootstrap;
    ChannelFuture connecting = dialling.connect(next.address());
    channel = connecting.channel();
    connecting.addListener(
        f -> {
          if (f.isSuccess()) {
            next.connected();
            return;
          }
          next.failed(f.cause());
          if (index + 1 < hops.size()) {
            connect(bootstrap, index + 1);
          } else {
            fail(Failure.UNREACHABLE, FillOutcome.UPSTREAM_ERROR, f.cause());
          }
        });
  }

  /** The pass-through consumer can take more. */
  void resumeForConsumer() {
    if (state == State.PASSING) {
      resumeReading();
    }
  }

  void cancel() {
    fail(Failure.CANCELLED, FillOutcome.CLOSED, new MirrorFetchCancelledException());
  }

  /** The loop is gone (the gateway is stopping): give up without it. */
  void abandon() {
    if (queue != null) {
      queue.stop(FillOutcome.CLOSED);
    }
    finished(Failure.CANCELLED, FillOutcome.CLOSED);
  }

  // ---- the channel ----

  @Override
  public void channelActive(ChannelHandlerContext ctx) {
    if (state == State.DONE) {
      ctx.close();
      return;
    }
    lastActivity = ticker.read();
    scheduleIdleCheck(idleNanos);
    ctx.writeAndFlush(request.toHttpRequest(hop))
        .addListener(
            f -> {
              if (!f.isSuccess()) {
                fail(Failure.BROKEN, FillOutcome.UPSTREAM_ERROR, f.cause());
              }
            });
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (state == State.DONE || !(msg instanceof HttpObject object)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    lastActivity = ticker.read();
    if (object.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      cutShort(object.decoderResult().cause());
      return;
    }
    if (msg instanceof HttpResponse response) {
      head(response);
    }
    if (msg instanceof HttpContent content) {
      body(content);
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    if (state != State.DONE) {
      cutShort(
          new PrematureChannelClosureException(
              "upstream closed the connection before the response ended"));
    }
    ctx.fireChannelInactive();
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(Failure.BROKEN, FillOutcome.UPSTREAM_ERROR, cause);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseEarly();
  }

  private void head(HttpResponse response) {
    int code = response.status().code();
    if (state != State.AWAITING_HEAD) {
      fail(Failure.BROKEN, FillOutcome.UPSTREAM_ERROR, new IllegalStateException("second head"));
      return;
    }
    if (code == HttpResponseStatus.CONTINUE.code()) {
      // Harmless before the real answer (the fill never sends Expect); the decoder ends it with an
      // empty LastHttpContent.
      skippingInformational = true;
      return;
    }
    if (code < 200) {
      // Any other 1xx is final here: a 101 would turn the connection into unchecked raw bytes, and
      // nothing the fill did asked for one. No fill, no pass-through, and no second try upstream:
      // the clients waiting for this fetch are answered 502.
      head = response;
      fail(
          Failure.SWITCHED_PROTOCOLS,
          FillOutcome.SWITCHED_PROTOCOLS,
          new IllegalStateException(code + " unasked"));
      return;
    }
    head = response;
    HeaderLookup fields = response.headers()::getAll;
    declared = FreshnessPolicy.declaredLength(fields);
    if (writer == null) {
      // Nothing to fill: whatever the answer, the consumer judges it.
      state = State.DECIDING;
      decided(false);
      return;
    }
    if (request.revalidation() && code == HttpResponseStatus.NOT_MODIFIED.code()) {
      try {
        writer.notModified(fields);
      } catch (IllegalStateException e) {
        // The fill was aborted meanwhile (the store is closing); its outcome says so.
      }
      end();
      return;
    }
    state = State.DECIDING;
    if (!FreshnessPolicy.storable("GET", code, fields)) {
      // Refused before any disk work: start() only records why, so it may run here.
      decided(writer.start(code, fields));
      return;
    }
    pauseReading();
    queue.start(code, fields);
  }

  private void body(HttpContent content) {
    boolean last = content instanceof LastHttpContent;
    ByteBuf bytes = content.content();
    if (skippingInformational || head == null) {
      bytes.release();
      skippingInformational &= !last;
      return;
    }
    received += bytes.readableBytes();
    switch (state) {
      case DECIDING -> {
        if (bytes.isReadable()) {
          early.add(bytes);
        } else {
          bytes.release();
        }
        earlyLast |= last;
      }
      case STORING -> {
        store(bytes);
        if (last) {
          queue.complete();
          end();
        }
      }
      case PASSING -> {
        if (pass(bytes) && last) {
          passEnd();
        }
      }
      default -> bytes.release();
    }
  }

  // ---- the fill's answer ----

  @Override
  public void started(boolean recording) {
    onLoop(() -> decided(recording));
  }

  @Override
  public void drained() {
    onLoop(
        () -> {
          if (state == State.STORING) {
            resumeReading();
          }
        });
  }

  @Override
  public void stopped() {
    // Too large, longer than declared, disk full or write error: the fill says why; followers
    // that sent bytes close their connections. Nobody needs the rest of the body.
    onLoop(
        () -> {
          if (state != State.DONE && state != State.PASSING) {
            end();
          }
        });
  }

  private void decided(boolean recording) {
    if (state != State.DECIDING) {
      return; // failed or cancelled meanwhile; everything is released
    }
    if (recording) {
      state = State.STORING;
      for (ByteBuf b = early.poll(); b != null; b = early.poll()) {
        queue.write(b);
      }
      if (earlyLast) {
        queue.complete();
        end();
      } else if (!queue.full()) {
        resumeReading();
      }
      return;
    }
    if (passThrough == MirrorFetchPassThrough.NOBODY) {
      end();
      return;
    }
    state = State.PASSING;
    try {
      passThrough.onHead(consumerHead(head));
    } catch (RuntimeException e) {
      fail(Failure.CANCELLED, FillOutcome.CLOSED, e);
      return;
    }
    boolean more = true;
    for (ByteBuf b = early.poll(); b != null; b = early.poll()) {
      if (state != State.PASSING) {
        b.release();
        continue;
      }
      more = pass(b);
    }
    if (state != State.PASSING) {
      return;
    }
    if (earlyLast) {
      passEnd();
    } else if (more) {
      resumeReading();
    }
  }

  // ---- storing and passing ----

  private void store(ByteBuf bytes) {
    if (!bytes.isReadable()) {
      bytes.release();
      return;
    }
    queue.write(bytes);
    if (queue.full()) {
      pauseReading();
    }
  }

  /** Hands bytes to the consumer; false when the fetch failed because the consumer threw. */
  private boolean pass(ByteBuf bytes) {
    if (!bytes.isReadable()) {
      bytes.release();
      return true;
    }
    boolean more;
    try {
      more = passThrough.onContent(bytes);
    } catch (RuntimeException e) {
      fail(Failure.CANCELLED, FillOutcome.CLOSED, e);
      return false;
    }
    if (!more) {
      pauseReading();
    }
    return true;
  }

  private void passEnd() {
    try {
      passThrough.onEnd();
    } catch (RuntimeException e) {
      LOG.debug("pass-through consumer failed at the end", e);
    }
    end();
  }

  // ---- endings ----

  /** The connection ended before the response did, cleanly or by a decoder error. */
  private void cutShort(Throwable cause) {
    boolean shortOfLength =
        head != null && declared >= 0 && received < declared && !isChunked(head.headers());
    fail(
        Failure.BROKEN, shortOfLength ? FillOutcome.SHORT_BODY : FillOutcome.UPSTREAM_ERROR, cause);
  }

  /** The response is over (or no longer needed) and the fill has what it needs. */
  private void end() {
    state = State.DONE;
    releaseEarly();
    close();
    finished(Failure.NONE, FillOutcome.NOT_STORABLE);
  }

  private void fail(Failure failure, FillOutcome reason, Throwable cause) {
    if (state == State.DONE) {
      return;
    }
    State was = state;
    state = State.DONE;
    LOG.debug(
        "mirror fetch of {} failed ({}): {}",
        writer == null ? request.target() : writer.key(),
        failure,
        cause.toString());
    releaseEarly();
    if (queue != null) {
      queue.stop(reason);
    }
    if (was == State.PASSING) {
      try {
        passThrough.onError(cause);
      } catch (RuntimeException e) {
        LOG.debug("pass-through consumer failed on error", e);
      }
    }
    close();
    finished(failure, reason);
  }

  /**
   * Completes the outcome: with the fill's, once final; without a fill, with {@code reason} (what a
   * fill would have come to: not stored, or why the fetch failed).
   */
  private void finished(Failure failure, FillOutcome reason) {
    int status = head == null ? 0 : head.status().code();
    long bytes = received;
    if (writer == null) {
      outcome.complete(new MirrorFetchOutcome(reason, failure, status, bytes));
      return;
    }
    writer
        .outcome()
        .thenAccept(fill -> outcome.complete(new MirrorFetchOutcome(fill, failure, status, bytes)));
  }

  private void close() {
    if (idleCheck != null) {
      idleCheck.cancel(false);
    }
    if (channel != null) {
      channel.close();
    }
  }

  private void releaseEarly() {
    for (ByteBuf b = early.poll(); b != null; b = early.poll()) {
      b.release();
    }
  }

  // ---- reading and the idle timeout ----

  private void pauseReading() {
    if (!paused) {
      paused = true;
      channel.config().setAutoRead(false);
    }
  }

  private void resumeReading() {
    if (paused && state != State.DONE) {
      paused = false;
      lastActivity = ticker.read();
      // Turning auto-read back on asks for a read at once.
      channel.config().setAutoRead(true);
    }
  }

  private void scheduleIdleCheck(long delayNanos) {
    idleCheck = loop.schedule(this::checkIdle, delayNanos, TimeUnit.NANOSECONDS);
  }

  private void checkIdle() {
    if (state == State.DONE) {
      return;
    }
    long now = ticker.read();
    if (paused) {
      lastActivity = now;
    }
    long idle = now - lastActivity;
    if (idle >= idleNanos) {
      // STALLED, not UPSTREAM_ERROR: the clients' records then say the upstream timed out.
      fail(Failure.TIMED_OUT, FillOutcome.STALLED, ReadTimeoutException.INSTANCE);
    } else {
      scheduleIdleCheck(idleNanos - idle);
    }
  }

  private void onLoop(Runnable task) {
    try {
      loop.execute(task);
    } catch (RejectedExecutionException e) {
      // The upstream loop is gone: its channel is closed and the store's close aborts the fill.
    }
  }

  /** The upstream's head for the pass-through consumer: a copy without hop-by-hop fields. */
  private static HttpResponse consumerHead(HttpResponse upstream) {
    return new DefaultHttpResponse(
        upstream.protocolVersion(),
        upstream.status(),
        HopByHop.strippedResponse(upstream.headers()));
  }

  private static boolean isChunked(HttpHeaders fields) {
    for (String te : fields.getAll(HttpHeaderNames.TRANSFER_ENCODING)) {
      if (te.toLowerCase(Locale.ROOT).contains("chunked")) {
        return true;
      }
    }
    return false;
  }

  /** Why a cancelled pass-through ended early. */
  static final class MirrorFetchCancelledException extends Exception {
    private static final long serialVersionUID = 1L;

    MirrorFetchCancelledException() {
      super("mirror fetch cancelled", null, false, false);
    }
  }
}
