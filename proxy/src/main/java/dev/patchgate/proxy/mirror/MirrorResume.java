package dev.patchgate.proxy.mirror;

import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.ResumePolicy;
import dev.patchgate.proxy.mirror.fetch.MirrorFetch;
import dev.patchgate.proxy.mirror.fetch.MirrorFetchPassThrough;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a client the rest of a download whose fill the store gave up for a full disk ({@link
 * MirrorFollower.Ending#GIVEN_UP}): the client has the head and part of the body, from the fill's
 * file. This asks the upstream for exactly the bytes still owed, on the condition that the
 * representation is still the one the client is receiving ({@link ResumePolicy#request}: {@code
 * Range} and {@code If-Range} with its strong validator), checks that the answer continues it
 * ({@link ResumePolicy#mismatch}: a matching {@code 206}), relays that body as the rest of the
 * response, and ends it once every owed byte went out. Anything else closes the connection: a
 * download that cannot be completed must never look complete.
 *
 * <p>Why a request of its own rather than the fill's own upstream body: each client that followed
 * the fill needs the rest from a different byte, at its own pace; one request each keeps them
 * independent, as they were before the disk filled, and needs no buffer shared between them. The
 * price is that bytes cross the upstream link once more for each such client, and an upstream that
 * does not honour ranges cannot finish them.
 *
 * <p>Backpressure as in {@link MirrorHandOver} ({@link FetchRelay}): the fetch stops reading while
 * more than {@link FetchRelay#HIGH_MARK} bytes wait for the client's socket.
 *
 * <p>Threading: the fetch's callbacks come on its event loop, one at a time; the ending is decided
 * on the client's event loop, to which they hand over in order.
 */
final class MirrorResume implements MirrorFetchPassThrough {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorResume.class);

  /** How the rest went. */
  enum Result {
    /** Every owed byte went out and the response was ended. */
    COMPLETE,
    /**
     * Nothing was asked: the response has no declared length or no strong validator, so bytes of
     * another version could not be told apart. The connection was closed.
     */
    NOT_RESUMABLE,
    /**
     * The upstream's answer does not continue the representation (a {@code 200}: the range or the
     * condition not honoured; a {@code 412}; another span or version). The connection was closed.
     */
    REFUSED,
    /**
     * Fetching the rest failed: unreachable, broken off, timed out, or more or fewer bytes than
     * owed. The connection was closed.
     */
    BROKEN,
    /** The client left. */
    CLIENT_GONE
  }

  /** Starts the ranged fetch: {@code MirrorFetcher.fetchRange} for the client's request. */
  @FunctionalInterface
  interface Starter {
    /**
     * @throws IllegalArgumentException when the fetch cannot even be started
     */
    MirrorFetch start(List<HeaderField> range, MirrorFetchPassThrough passThrough);
  }

  private final ChannelHandlerContext ctx;
  private final String url;
  private final MirrorFollower.Owed owed;
  private final long owedBytes;
  private final Consumer<Result> noted;
  private final Promise<Result> over;
  private final FetchRelay relay = new FetchRelay();
  private final ChannelFutureListener clientClosed = f -> end(Result.CLIENT_GONE);
  private volatile boolean headSeen;

  // Fetch loop only.
  private boolean relaying;
  private long relayed;

  // Client loop only.
  private boolean ended;

  private MirrorResume(
      ChannelHandlerContext ctx, String url, MirrorFollower.Owed owed, Consumer<Result> noted) {
    this.ctx = ctx;
    this.url = url;
    this.owed = owed;
    this.owedBytes = owed.to() - owed.from();
    this.noted = noted;
    this.over = ctx.executor().newPromise();
  }

  /**
   * Sends the rest; on the client's event loop.
   *
   * @param ctx the client's context, where the response is being written (before the HTTP encoder)
   * @param url the download's URL, for the log
   * @param owed what the client is still owed, and the head it got
   * @param starter starts the ranged fetch
   * @param noted told how it went, on the client's event loop, just before the response is ended or
   *     the connection closed: in time for the record to say so
   * @return completes (on the client's event loop) once the response was ended or the connection
   *     closed
   */
  static Future<Result> send(
      ChannelHandlerContext ctx,
      String url,
      MirrorFollower.Owed owed,
      Starter starter,
      Consumer<Result> noted) {
    MirrorResume resume = new MirrorResume(ctx, url, owed, noted);
    Optional<List<HeaderField>> range = ResumePolicy.request(owed.head(), owed.from(), owed.to());
    if (range.isEmpty()) {
      LOG.info(
          "{}: cannot fetch the rest from byte {}: no length or strong validator",
          url,
          owed.from());
      resume.end(Result.NOT_RESUMABLE);
      return resume.over;
    }
    ctx.channel().closeFuture().addListener(resume.clientClosed);
    MirrorFetch started;
    try {
      started = starter.start(range.get(), resume);
    } catch (IllegalArgumentException e) {
      LOG.info("{}: cannot fetch the rest: {}", url, e.getMessage());
      resume.end(Result.BROKEN);
      return resume.over;
    }
    resume.relay.attach(started);
    // Without an answer head, no callback comes: the outcome says the fetch is over.
    started
        .outcome()
        .thenRun(
            () ->
                resume.onClientLoop(
                    () -> {
                      if (!resume.headSeen) {
                        resume.end(Result.BROKEN);
                      }
                    }));
    return resume.over;
  }

  // ---- the fetch's callbacks (fetch loop) ----

  @Override
  public void onHead(HttpResponse head) {
    headSeen = true;
    Optional<String> mismatch =
        ResumePolicy.mismatch(
            head.status().code(), head.headers()::getAll, owed.head(), owed.from(), owed.to());
    if (mismatch.isPresent()) {
      LOG.info(
          "{}: the upstream did not resume it from byte {}: {}", url, owed.from(), mismatch.get());
      relay.cancel();
      onClientLoop(() -> end(Result.REFUSED));
      return;
    }
    relaying = true;
  }

  @Override
  public boolean onContent(ByteBuf content) {
    int n = content.readableBytes();
    if (!relaying) {
      content.release();
      return true;
    }
    if (relayed + n > owedBytes) {
      content.release();
      relaying = false;
      relay.cancel();
      onClientLoop(() -> end(Result.BROKEN));
      return true;
    }
    relayed += n;
    return relay.write(
        ctx,
        content,
        f -> {
          if (!f.isSuccess()) {
            end(Result.CLIENT_GONE);
          }
        });
  }

  @Override
  public void onEnd() {
    if (!relaying) {
      return;
    }
    relaying = false;
    if (relayed != owedBytes) {
      onClientLoop(() -> end(Result.BROKEN));
      return;
    }
    onClientLoop(this::complete);
  }

  @Override
  public void onError(Throwable cause) {
    relaying = false;
    onClientLoop(() -> end(Result.BROKEN)); // a no-op if it had ended for another reason
  }

  // ---- the client's side (client loop) ----

  private void complete() {
    if (ended) {
      return;
    }
    ended = true;
    ctx.channel().closeFuture().removeListener(clientClosed);
    noted.accept(Result.COMPLETE);
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
        .addListener(
            (ChannelFuture f) -> {
              if (f.isSuccess()) {
                over.trySuccess(Result.COMPLETE);
              } else {
                ctx.channel().close();
                over.trySuccess(Result.CLIENT_GONE);
              }
            });
  }

  /** Ends the response cut short: the connection is closed. */
  private void end(Result how) {
    if (ended) {
      return;
    }
    ended = true;
    ctx.channel().closeFuture().removeListener(clientClosed);
    relay.cancel();
    noted.accept(how);
    ctx.channel().close();
    over.trySuccess(how);
  }

  private void onClientLoop(Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      // The client's loop is shutting down, and its connection with it.
    }
  }
}
