package dev.patchgate.proxy.mirror;

import dev.patchgate.mirror.MirrorAction;
import dev.patchgate.mirror.MirrorStrategy;
import dev.patchgate.proxy.mirror.fetch.MirrorFetch;
import dev.patchgate.proxy.mirror.fetch.MirrorFetchPassThrough;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.util.concurrent.RejectedExecutionException;

/**
 * Gives the client whose request started a fill the fetched answer when the mirror does not store
 * it (a 404, {@code no-store}, {@code Vary}, too large, disk full), so that this answer too crosses
 * the upstream link once, instead of the client being forwarded for a second upstream request.
 *
 * <p>That client also follows the fill like any other, and its follower falls back when the fill is
 * refused. {@link #afterFallback} then waits: for the answer's head (this object answers the
 * client) or for the fetch to end without one (the fallback goes on as before: the stored copy or a
 * forward). On a revalidation, a {@code 5xx} answer is not passed on while a stored copy can stand
 * in ({@link MirrorStrategy#afterRevalidation}): the fetch is given up and the copy served stale.
 *
 * <p>Threading: the pass-through callbacks come on the fetch's event loop, one at a time; every
 * decision about the client is made on the client's event loop, to which the callbacks hand over in
 * order (one thread submits them, and an event loop runs its tasks in submission order).
 */
final class MirrorHandOver implements MirrorFetchPassThrough {

  /** What the client side does besides the bytes; all called on the client's event loop. */
  interface Client {
    /**
     * The answer is passed on: the record says the mirror took no part. {@code head} is about to be
     * written, and may still be changed.
     */
    void passing(HttpResponse head);

    /** The answer went out whole. */
    void answered();

    /** The answer broke off after its head went out; the connection is being closed. */
    void broken();

    /** The answer is a 5xx to a revalidation and a stored copy stands in: serve it. */
    void serveStale();
  }

  private final ChannelHandlerContext ctx;
  private final boolean keepAlive;
  private final boolean staleAllowed;
  private final Client client;
  private final FetchRelay relay = new FetchRelay();

  // Fetch loop only.
  private boolean replaced;

  // Client loop only.
  private boolean started;
  private boolean fetchEnded;
  private Runnable fallback;
  private boolean over;

  /**
   * @param ctx the client's context, where answers are written (before the HTTP encoder)
   * @param keepAlive false to send {@code Connection: close}
   * @param staleAllowed true when a stored copy may stand in for a 5xx (a revalidation)
   */
  MirrorHandOver(
      ChannelHandlerContext ctx, boolean keepAlive, boolean staleAllowed, Client client) {
    this.ctx = ctx;
    this.keepAlive = keepAlive;
    this.staleAllowed = staleAllowed;
    this.client = client;
  }

  /** The fetch this object consumes, once started (client loop). */
  void attach(MirrorFetch started) {
    relay.attach(started);
    started.outcome().thenRun(() -> onClientLoop(this::fetchEnded));
  }

  /** The fetch could not even be started (client loop): a fallback goes on at once. */
  void notStarted() {
    fetchEnded();
  }

  /**
   * The client's follower fell back (client loop). {@code otherwise} runs (on the client loop)
   * unless this object answers the client: at once if the fetch has ended without passing an answer
   * on, else when it ends.
   */
  void afterFallback(Runnable otherwise) {
    if (started) {
      return;
    }
    if (fetchEnded) {
      otherwise.run();
    } else {
      fallback = otherwise;
    }
  }

  private void fetchEnded() {
    fetchEnded = true;
    Runnable waiting = fallback;
    fallback = null;
    if (!started && waiting != null) {
      waiting.run();
    }
  }

  // ---- the fetch's callbacks (fetch loop) ----

  @Override
  public void onHead(HttpResponse head) {
    int status = head.status().code();
    if (staleAllowed && MirrorStrategy.afterRevalidation(status) == MirrorAction.SERVE_STALE) {
      replaced = true;
      relay.cancel();
      onClientLoop(
          () -> {
            started = true;
            client.serveStale();
          });
      return;
    }
    HttpUtil.setKeepAlive(head, keepAlive);
    head.headers().set(MirrorReplies.X_CACHE, MirrorReplies.MISS);
    onClientLoop(
        () -> {
          started = true;
          client.passing(head);
          ctx.write(head).addListener((ChannelFuture f) -> written(f));
        });
  }

  @Override
  public boolean onContent(ByteBuf content) {
    if (replaced) {
      content.release();
      return true;
    }
    // Written from this thread: Netty queues it on the client's loop after the head's task.
    return relay.write(ctx, content, this::written);
  }

  @Override
  public void onEnd() {
    if (replaced) {
      return;
    }
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
        .addListener(
            (ChannelFuture f) -> {
              written(f);
              if (f.isSuccess() && !over) {
                over = true;
                client.answered();
              }
            });
  }

  @Override
  public void onError(Throwable cause) {
    if (replaced) {
      return;
    }
    // A cut answer must not look complete: close the connection under it.
    onClientLoop(
        () -> {
          if (!over) {
            over = true;
            ctx.channel().close();
            client.broken();
          }
        });
  }

  // ---- helpers ----

  /** The client left (a write failed, client loop): stop fetching what nobody will read. */
  private void written(ChannelFuture f) {
    if (!f.isSuccess()) {
      f.channel().close();
      relay.cancel();
      if (!over) {
        over = true;
        client.broken();
      }
    }
  }

  private void onClientLoop(Runnable task) {
    try {
      ctx.executor().execute(task);
    } catch (RejectedExecutionException e) {
      // The client's loop is shutting down, and its connection with it.
    }
  }
}
