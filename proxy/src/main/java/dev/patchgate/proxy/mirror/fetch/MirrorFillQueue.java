package dev.patchgate.proxy.mirror.fetch;

import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderLookup;
import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One fill's disk side: the fetch hands over the response head and body buffers, and they reach the
 * {@link FillWriter} in order on a shared pool of disk threads, never on an event loop (start and
 * write are blocking disk I/O).
 *
 * <p>A serial executor over the shared pool: at most one task of this queue is queued or running at
 * a time, so the pool's backlog is bounded by the number of fills, and a task yields its thread
 * after {@link #TURN_BYTES} so that one fast fill cannot starve the others.
 *
 * <p>Threading: {@link #start}, {@link #write}, {@link #complete} and {@link #full} are called by
 * one thread (the fetch's event loop); {@link #stop} and the getters by any. The listener is called
 * on a disk thread. Each buffer handed over is released exactly once: after it was written, or
 * unwritten once the queue has stopped.
 */
final class MirrorFillQueue {
  /** Bytes a task writes before it gives its pool thread to another fill. */
  static final long TURN_BYTES = 1L << 20;

  private static final Logger LOG = LoggerFactory.getLogger(MirrorFillQueue.class);

  /** What the fetch learns from the disk side; called on a disk thread, must not block. */
  interface Listener {
    /** {@link FillWriter#start} answered: true when the fill records the body. */
    void started(boolean recording);

    /** After {@link #full()} said true, the queue drained to the low mark. */
    void drained();

    /** The fill stopped recording on its own (too large, longer than declared, write error...). */
    void stopped();
  }

  private final FillWriter writer;
  private final Executor pool;
  private final Listener listener;
  private final long highMark;
  private final long lowMark;
  private final ConcurrentLinkedQueue<Object> items = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();
  private final AtomicBoolean waitingForDrain = new AtomicBoolean();
  private final AtomicLong queued = new AtomicLong();
  private volatile boolean stopped;
  private volatile long peak;

  /**
   * @param highMark {@link #full()} says true above this many queued bytes
   */
  MirrorFillQueue(FillWriter writer, Executor pool, Listener listener, long highMark) {
    this.writer = writer;
    this.pool = pool;
    this.listener = listener;
    this.highMark = highMark;
    this.lowMark = highMark / 4;
  }

  /** Offers the response head to the fill; {@link Listener#started} gets the answer. */
  void start(int status, HeaderLookup headers) {
    enqueue(
        (Runnable)
            () -> {
              if (stopped) {
                return;
              }
              boolean recording;
              try {
                recording = writer.start(status, headers);
              } catch (RuntimeException e) {
                // The client that triggered the fetch still gets the answer, unstored.
                LOG.warn("mirror fill of {}: start failed", writer.key(), e);
                writer.abort(FillOutcome.WRITE_FAILED);
                recording = false;
              }
              boolean answer = recording;
              notify(() -> listener.started(answer));
            });
  }

  /** Queues body bytes for the fill; takes ownership of {@code buf}. */
  void write(ByteBuf buf) {
    if (stopped) {
      buf.release();
      return;
    }
    long now = queued.addAndGet(buf.readableBytes());
    if (now > peak) {
      peak = now;
    }
    enqueue(buf);
  }

  /** The body ended cleanly: {@link FillWriter#complete()} runs after every queued write. */
  void complete() {
    enqueue(
        (Runnable)
            () -> {
              if (!stopped) {
                writer.complete();
              }
            });
  }

  /**
   * Whether the caller should stop reading: more than the high mark is waiting for the disk. When
   * it says true, {@link Listener#drained()} is called once the queue is down to the low mark.
   */
  boolean full() {
    if (queued.get() <= highMark) {
      return false;
    }
    waitingForDrain.set(true);
    // The disk thread may have drained between the two reads; whoever clears the flag first
    // owns the wake-up, so it is neither lost nor doubled.
    return !(queued.get() <= lowMark && waitingForDrain.compareAndSet(true, false));
  }

  /**
   * Gives the fill up with {@code reason} (a no-op on a fill already ended) and releases every
   * queued buffer; later buffers are released unwritten. Any thread; idempotent.
   */
  void stop(FillOutcome reason) {
    stopped = true;
    writer.abort(reason);
    releaseQueued();
  }

  /** Body bytes handed over and not yet written or released. */
  long queuedBytes() {
    return queued.get();
  }

  /** The most body bytes ever waiting at once. */
  long peakQueuedBytes() {
    return peak;
  }

  private void enqueue(Object item) {
    items.add(item);
    if (stopped) {
      releaseQueued();
      return;
    }
    schedule();
  }

  private void schedule() {
    if (!scheduled.compareAndSet(false, true)) {
      return;
    }
    try {
      pool.execute(this::drain);
    } catch (RejectedExecutionException e) {
      // The disk pool is shut down: the gateway is stopping.
      scheduled.set(false);
      stop(FillOutcome.CLOSED);
    }
  }

  private void drain() {
    long budget = TURN_BYTES;
    try {
      Object item;
      while (budget > 0 && (item = items.poll()) != null) {
        if (item instanceof ByteBuf buf) {
          budget -= writeAndRelease(buf);
        } else {
          run((Runnable) item);
        }
      }
    } finally {
      scheduled.set(false);
      // An item added after the last poll but before the flag was cleared found it set.
      if (!items.isEmpty()) {
        if (stopped) {
          releaseQueued();
        } else {
          schedule();
        }
      }
    }
  }

  private int writeAndRelease(ByteBuf buf) {
    int n = buf.readableBytes();
    try {
      if (!stopped && !writeAll(buf)) {
        stopped = true;
        notify(listener::stopped);
      }
    } catch (RuntimeException e) {
      LOG.warn("mirror fill of {}: write failed", writer.key(), e);
      stopped = true;
      writer.abort(FillOutcome.WRITE_FAILED);
      notify(listener::stopped);
    } finally {
      buf.release();
      settle(n);
    }
    return n;
  }

  private boolean writeAll(ByteBuf buf) {
    if (buf.nioBufferCount() == 1) {
      return writer.write(buf.nioBuffer());
    }
    for (ByteBuffer part : buf.nioBuffers()) {
      if (!writer.write(part)) {
        return false;
      }
    }
    return true;
  }

  private void settle(int n) {
    long left = queued.addAndGet(-n);
    if (left <= lowMark && waitingForDrain.compareAndSet(true, false)) {
      notify(listener::drained);
    }
  }

  private void releaseQueued() {
    for (Object item = items.poll(); item != null; item = items.poll()) {
      if (item instanceof ByteBuf buf) {
        int n = buf.readableBytes();
        buf.release();
        settle(n);
      }
    }
  }

  private void run(Runnable step) {
    try {
      step.run();
    } catch (RuntimeException e) {
      LOG.warn("mirror fill of {}: step failed", writer.key(), e);
      stopped = true;
      writer.abort(FillOutcome.WRITE_FAILED);
      notify(listener::stopped);
    }
  }

  private void notify(Runnable callback) {
    try {
      callback.run();
    } catch (RuntimeException e) {
      LOG.warn("mirror fill of {}: listener failed", writer.key(), e);
    }
  }
}
