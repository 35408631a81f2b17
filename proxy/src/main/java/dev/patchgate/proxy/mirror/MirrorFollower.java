package dev.patchgate.proxy.mirror;

import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillReader;
import dev.patchgate.mirror.FillState;
import dev.patchgate.mirror.MirrorStrategy;
import dev.patchgate.mirror.ResponseHead;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;

/**
 * Streams a fill in progress to one client as the filler writes it: waits for the upstream's head,
 * sends it ({@code Content-Length} when declared, else chunked), then sends the bytes as they
 * arrive as {@link GrowingFileRegion}s ({@code sendfile}; with a chunked body the HTTP encoder
 * frames each region as one chunk), and ends the response only when the fill is {@link
 * FillState#COMPLETE}. A single range is served from the growing file when {@link
 * MirrorStrategy#rangeFromFill} allows.
 *
 * <p>Backpressure: one region is in flight at a time; the next one (the bytes that arrived
 * meanwhile, at most {@link MirrorHitWriter#MAX_REGION_BYTES}) is written when the socket has taken
 * the previous one, so a slow client holds no queue, only its place in the file. The fill's {@code
 * awaitBeyond} callbacks run on the filler's thread and only schedule the next step on the client's
 * event loop; everything else runs there.
 *
 * <p>The head is held back until the first byte of the body is in the file (or the fill ended), so
 * a fill that fails before its first byte leaves the client untouched and the caller can forward
 * the request instead. Once bytes are sent, a failed fill closes the connection: a cut download
 * must never look complete. But a fill the store gave up because its disk filled failed for the
 * gateway's reason, not the upstream's: the follower ends {@link Ending#GIVEN_UP} with the
 * connection open, and the caller sends the rest ({@link #owed()}) from elsewhere or closes it. The
 * reader is closed in every case, at once, so a fill's file on a full disk is let go as soon as its
 * followers stop sending from it.
 */
final class MirrorFollower {
  /** How following ended. */
  enum Ending {
    /** The whole answer was written and the socket took it. */
    COMPLETE,
    /**
     * The fill failed before anything was sent; nothing was written. The fill's outcome is final
     * when this is reported ({@code reader.outcome()}): {@code NOT_MODIFIED} means look the URL up
     * again (it is stored and fresh now), {@code SWITCHED_PROTOCOLS} means answer 502 and close
     * (the upstream's answer was final), anything else means forward the request upstream.
     */
    FALLBACK,
    /**
     * Nothing was written because the request is better answered upstream: a range the fill cannot
     * serve soon, several ranges, a range of a body of unknown length, or an HTTP/1.0 client and a
     * chunked body. The fill goes on for the others; forward the request.
     */
    FORWARD,
    /** The fill failed after bytes were sent: the connection was closed. */
    CUT,
    /**
     * The store gave the fill up for a full disk after the head and part of the body were sent: the
     * connection is open and the response unfinished. The caller sends the bytes {@link #owed()}
     * and ends the response, or closes the connection.
     */
    GIVEN_UP,
    /** The client left, or a write failed (the connection is closed). */
    CLIENT_GONE
  }

  private final ChannelHandlerContext ctx;
  private final FillReader reader;
  private final HttpRequest request;
  private final boolean keepAlive;
  private final int maxRanges;
  private final Clock clock;
  private final Promise<Ending> ending;
  private final ChannelFutureListener clientClosed = f -> finish(closedBecause());

  /**
   * The body bytes {@code [from, to)} of the answer whose head went out, still owed to the client;
   * {@code to} is -1 when the body's length is unknown (it is being sent chunked).
   */
  record Owed(ResponseHead head, long from, long to) {}

  // Confined to the event loop.
  private MirrorReply reply;
  private boolean headWritten;
  private boolean lastWritten;
  private boolean finished;
  private boolean ranged;
  private long next;
  private long end;
  private Owed owed;

  private MirrorFollower(
      ChannelHandlerContext ctx,
      FillReader reader,
      HttpRequest request,
      boolean keepAlive,
      int maxRanges,
      Clock clock) {
    this.ctx = ctx;
    this.reader = reader;
    this.request = request;
    this.keepAlive = keepAlive;
    this.maxRanges = maxRanges;
    this.clock = clock;
    this.ending = ctx.executor().newPromise();
  }

  /**
   * Starts answering {@code request} from the fill {@code reader} follows; the follower owns the
   * reader from now on and closes it.
   *
   * @param ctx the context to write through: the handler's place in the client's pipeline, before
   *     the HTTP encoder
   * @param request the client's request (GET or HEAD); not released here
   * @param keepAlive false to send {@code Connection: close}; closing is the caller's
   * @param maxRanges the most range specs honoured in one request ({@code mirror.max-ranges})
   * @param clock for {@code Date}
   * @return the follower; its {@link #ending()} says how it ended
   * @throws IllegalStateException if called off the channel's event loop
   */
  static MirrorFollower follow(
      ChannelHandlerContext ctx,
      FillReader reader,
      HttpRequest request,
      boolean keepAlive,
      int maxRanges,
      Clock clock) {
    if (!ctx.executor().inEventLoop()) {
      reader.close();
      throw new IllegalStateException("follow() must run on the channel's event loop");
    }
    MirrorFollower follower = new MirrorFollower(ctx, reader, request, keepAlive, maxRanges, clock);
    ctx.channel().closeFuture().addListener(follower.clientClosed);
    follower.step();
    return follower;
  }

  /** How following ended; completes on the channel's event loop (listeners run there). */
  Future<Ending> ending() {
    return ending;
  }

  /** What the client is still owed once following ended {@link Ending#GIVEN_UP}, else null. */
  Owed owed() {
    return owed;
  }

  /** Does whatever can be done now, then waits for the fill or the socket. Event loop only. */
  private void step() {
    while (!finished && !lastWritten) {
      // State before available: once COMPLETE is seen, available is final.
      FillState state = reader.state();
      long available = reader.available();
      if (reply == null) {
        if (state == FillState.ABORTED) {
          fallBack();
          return;
        }
        if (state == FillState.PENDING) {
          if (reader.awaitBeyond(-1, this::wake)) {
            return;
          }
          continue;
        }
        if (!plan(available)) {
          return;
        }
        continue;
      }
      if (!headWritten) {
        if (state == FillState.ABORTED) {
          fallBack();
          return;
        }
        boolean ready = state == FillState.COMPLETE || available > next || next >= end;
        if (!ready) {
          if (reader.awaitBeyond(next, this::wake)) {
            return;
          }
          continue;
        }
        ctx.write(reply.head(keepAlive));
        headWritten = true;
      }
      if (state == FillState.ABORTED) {
        if (reader.verdict() == FillOutcome.DISK_FULL && next >= end) {
          writeLast(); // every byte went out before the disk check gave the fill up
        } else if (reader.verdict() == FillOutcome.DISK_FULL) {
          giveUp();
        } else {
          cut();
        }
        return;
      }
      long limit = Math.min(available, end);
      if (next < limit) {
        send(Math.min(limit - next, MirrorHitWriter.MAX_REGION_BYTES));
        return;
      }
      if (state == FillState.COMPLETE || (ranged && next >= end)) {
        writeLast();
        return;
      }
      if (reader.awaitBeyond(next, this::wake)) {
        return;
      }
    }
  }

  /**
   * Decides the reply once the head is known. Returns false when nothing more is to be done here:
   * the request is forwarded, or a reply without a body was written.
   */
  private boolean plan(long available) {
    Optional<MirrorReply> planned =
        MirrorReplies.growing(
            request.method().name(),
            request.headers()::getAll,
            reader.head().orElseThrow(),
            available,
            request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0,
            clock.instant(),
            maxRanges);
    if (planned.isEmpty()) {
      finish(Ending.FORWARD);
      return false;
    }
    reply = planned.get();
    if (reply.body() instanceof MirrorReply.Span span) {
      next = span.offset();
      end = span.length() < 0 ? Long.MAX_VALUE : span.offset() + span.length();
      ranged = reply.status() == 206;
      return true;
    }
    ctx.write(reply.head(keepAlive));
    headWritten = true;
    writeLast();
    return false;
  }

  private void send(long count) {
    long from = next;
    next += count;
    ctx.writeAndFlush(new GrowingFileRegion(reader, from, count))
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                step();
              } else {
                Ending how = closedBecause();
                ctx.channel().close();
                finish(how);
              }
            });
  }

  private void writeLast() {
    lastWritten = true;
    // From here the write's result tells how it ended; a close after it (no keep-alive) is normal.
    ctx.channel().closeFuture().removeListener(clientClosed);
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                finish(Ending.COMPLETE);
              } else {
                ctx.channel().close();
                finish(Ending.CLIENT_GONE);
              }
            });
  }

  /** Runs on the filler's thread: only hands the next step to the client's event loop. */
  private void wake() {
    try {
      ctx.executor().execute(this::step);
    } catch (RejectedExecutionException e) {
      // The event loop is shutting down and closes the connection; nothing is left to send.
    }
  }

  private void fallBack() {
    if (finished) {
      return;
    }
    finished = true;
    release();
    // Reported once the outcome is final (it settles just after the state turns ABORTED), so the
    // caller can tell a revalidated object (look up again) from a failure (forward).
    reader.outcome().whenComplete((outcome, failure) -> ending.trySuccess(Ending.FALLBACK));
  }

  /**
   * Why the connection closed under a response in progress. A region fails when the fill is aborted
   * under it (the transport then closes the connection, which is what a cut needs) as well as when
   * the client goes away.
   */
  private Ending closedBecause() {
    // Given up for a full disk, the fill leaves its bytes readable: a failed region is the
    // client's.
    return headWritten
            && reader.state() == FillState.ABORTED
            && reader.verdict() != FillOutcome.DISK_FULL
        ? Ending.CUT
        : Ending.CLIENT_GONE;
  }

  /**
   * Hands the rest over from where the client is, not from where the file ends: the file's bytes
   * are on a full disk, and whatever shares that disk (the audit log) gets them back once the
   * fill's last reader is closed.
   */
  private void giveUp() {
    owed = new Owed(reader.head().orElseThrow(), next, end == Long.MAX_VALUE ? -1 : end);
    finish(Ending.GIVEN_UP);
  }

  private void cut() {
    finish(Ending.CUT);
    ctx.channel().close();
  }

  private void finish(Ending how) {
    if (finished) {
      return;
    }
    finished = true;
    release();
    ending.trySuccess(how);
  }

  private void release() {
    ctx.channel().closeFuture().removeListener(clientClosed);
    reader.close();
  }
}
