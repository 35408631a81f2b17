package dev.patchgate.proxy.mirror.fetch;

import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;

/**
 * One upstream fetch filling the mirror, as {@link MirrorFetcher#fetch} started it: its outcome,
 * and the two ways to steer it. Thread-safe; every method may be called from any thread and none
 * blocks. Steering runs later on the fetch's own event loop, never inside the caller's call, so a
 * pass-through callback may call {@link #resume()} or {@link #cancel()} without re-entering the
 * fetch.
 *
 * <p>Public for the mirror, which steers the fetch it started.
 */
public final class MirrorFetch {
  private final EventLoop loop;
  private final MirrorFetchHandler handler;

  MirrorFetch(EventLoop loop, MirrorFetchHandler handler) {
    this.loop = loop;
    this.handler = handler;
  }

  /**
   * Completes once the upstream connection is done with and the fill has its final outcome (for a
   * stored object: after the commit). Never completes exceptionally. A copy: completing it does
   * nothing to the fetch.
   */
  public CompletableFuture<MirrorFetchOutcome> outcome() {
    return handler.outcome().copy();
  }

  /**
   * The pass-through consumer can take more: reading resumes if its last {@link
   * MirrorFetchPassThrough#onContent} returned false. Harmless at any other time.
   */
  public void resume() {
    try {
      loop.execute(handler::resumeForConsumer);
    } catch (RejectedExecutionException e) {
      // The loop is gone and the fetch with it.
    }
  }

  /**
   * Gives the fetch up: the fill is aborted with {@code CLOSED} (unless it already ended), every
   * queued buffer released, the connection closed, and a pass-through consumer that got a head gets
   * {@link MirrorFetchPassThrough#onError}. For shutdown, and for a pass-through whose client left.
   * Idempotent; a no-op once the response has ended.
   */
  public void cancel() {
    try {
      loop.execute(handler::cancel);
    } catch (RejectedExecutionException e) {
      handler.abandon();
    }
  }

  /** Body bytes waiting for the disk now (none for a fetch without a fill). */
  long queuedBytes() {
    MirrorFillQueue queue = handler.queue();
    return queue == null ? 0 : queue.queuedBytes();
  }

  /** The most body bytes that ever waited for the disk at once: bounded by the high mark. */
  long peakQueuedBytes() {
    MirrorFillQueue queue = handler.queue();
    return queue == null ? 0 : queue.peakQueuedBytes();
  }

  /** Whether the fetch has stopped reading its upstream (disk or consumer behind, or deciding). */
  boolean readingPaused() {
    return handler.readingPaused();
  }
}
