package dev.patchgate.proxy.mirror;

import dev.patchgate.proxy.mirror.fetch.MirrorFetch;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Relays a pass-through fetch's body to one client with backpressure: the fetch stops reading while
 * more than {@link #HIGH_MARK} bytes wait for the client's socket, and reads again once they drain
 * to a quarter of that. Also remembers a cancel asked for before the fetch was known. Shared by
 * {@link MirrorHandOver} and {@link MirrorResume}, which relay a fetch the same way.
 *
 * <p>Thread-safe: pieces are written from the fetch's loop, their completions come on the client's,
 * and the fetch is attached on the client's.
 */
final class FetchRelay {
  /** Bytes written to the client and not yet taken by its socket before the fetch pauses. */
  static final long HIGH_MARK = 1L << 20;

  private static final long LOW_MARK = HIGH_MARK / 4;

  private final AtomicLong unsent = new AtomicLong();
  private volatile MirrorFetch fetch;
  private volatile boolean paused;
  private volatile boolean cancelWanted;

  /**
   * The fetch being relayed, once started: cancelled at once if that was asked for before, and
   * resumed if it was paused and the socket drained before it was known.
   */
  void attach(MirrorFetch started) {
    fetch = started;
    if (cancelWanted) {
      started.cancel();
    } else if (paused && unsent.get() <= LOW_MARK) {
      paused = false;
      started.resume();
    }
  }

  /** Cancels the fetch, now or as soon as it is attached. */
  void cancel() {
    cancelWanted = true;
    MirrorFetch current = fetch;
    if (current != null) {
      current.cancel();
    }
  }

  /**
   * Writes one body piece to the client (Netty queues it on the client's loop, in order).
   *
   * @param written told of each write's completion, before the fetch may resume
   * @return false when the fetch should stop reading until it is resumed
   */
  boolean write(ChannelHandlerContext ctx, ByteBuf content, ChannelFutureListener written) {
    int n = content.readableBytes();
    unsent.addAndGet(n);
    ctx.writeAndFlush(new DefaultHttpContent(content))
        .addListener(
            (ChannelFuture f) -> {
              written.operationComplete(f);
              MirrorFetch current = fetch;
              if (unsent.addAndGet(-n) <= LOW_MARK && paused && current != null) {
                paused = false;
                current.resume();
              }
            });
    if (unsent.get() > HIGH_MARK) {
      paused = true;
      return unsent.get() <= LOW_MARK; // the socket may have drained meanwhile
    }
    return true;
  }
}
