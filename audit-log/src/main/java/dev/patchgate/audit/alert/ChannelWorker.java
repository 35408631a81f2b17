package dev.patchgate.audit.alert;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers alerts to one channel from its own daemon thread, {@code patchgate-alert-<name>}, with
 * retries and backoff ({@link RetryPolicy}).
 *
 * <p>A channel of its own thread, rather than one thread for all, so that a collector that hangs a
 * TCP write or a webhook that times out delays only its own alerts. {@link #offer} never blocks:
 * with the queue full the alert is dropped and counted. A failing streak is logged once when it
 * starts and once when it ends. Thread-safe.
 */
final class ChannelWorker {
  private static final Logger LOG = LoggerFactory.getLogger(LogChannel.LOGGER);

  private final AlertChannel channel;
  private final RetryPolicy retry;
  private final BlockingQueue<Alert> queue;
  private final Thread thread;
  private final CountDownLatch stop = new CountDownLatch(1);
  private final LongAdder sent = new LongAdder();
  private final LongAdder retried = new LongAdder();
  private final LongAdder failed = new LongAdder();
  private final LongAdder dropped = new LongAdder();
  // Confined to the worker thread.
  private Duration backoff;
  private boolean failing;
  // Set by close(): from then on each alert gets one attempt, until the deadline.
  private volatile long drainDeadlineNanos;
  private volatile boolean draining;

  ChannelWorker(AlertChannel channel, RetryPolicy retry, int capacity) {
    this.channel = channel;
    this.retry = retry;
    this.backoff = retry.initialBackoff();
    this.queue = new ArrayBlockingQueue<>(capacity);
    this.thread = new Thread(this::run, "patchgate-alert-" + channel.name());
    thread.setDaemon(true);
    thread.start();
  }

  /** Queues {@code alert} for delivery; never blocks. */
  void offer(Alert alert) {
    if (draining || !queue.offer(alert)) {
      dropped.increment();
    }
  }

  AlertChannelCounts counts() {
    return new AlertChannelCounts(
        channel.name(), sent.sum(), retried.sum(), failed.sum(), dropped.sum());
  }

  /**
   * Delivers what is queued, one attempt each, until {@code deadlineNanos} ({@link
   * System#nanoTime}), then closes the channel; what is left is counted as failed.
   */
  void close(long deadlineNanos) {
    drainDeadlineNanos = deadlineNanos;
    draining = true;
    stop.countDown();
    try {
      long wait = deadlineNanos - System.nanoTime();
      if (wait > 0) {
        thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wait)));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // Unblocks a send that hangs past the deadline.
    channel.close();
    thread.interrupt();
    try {
      thread.join(TimeUnit.SECONDS.toMillis(1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    failed.add(queue.size());
    queue.clear();
  }

  private void run() {
    try {
      while (true) {
        Alert alert = draining ? queue.poll() : queue.poll(1, TimeUnit.SECONDS);
        if (alert == null) {
          if (draining) {
            return;
          }
          continue;
        }
        deliver(alert);
        if (draining && System.nanoTime() - drainDeadlineNanos > 0) {
          return;
        }
      }
    } catch (InterruptedException e) {
      // close() gave up waiting; what is queued is counted there.
    }
  }

  private void deliver(Alert alert) throws InterruptedException {
    int attempts = draining ? 1 : retry.maxAttempts();
    for (int attempt = 1; ; attempt++) {
      try {
        channel.send(alert);
        sent.increment();
        backoff = retry.initialBackoff();
        if (failing) {
          failing = false;
          LOG.info("Alert channel {} delivers again", channel.name());
        }
        return;
      } catch (IOException | RuntimeException e) {
        if (!failing) {
          failing = true;
          LOG.warn(
              "Alert channel {} failed, retrying with backoff: {}", channel.name(), e.toString());
        }
        if (attempt >= attempts || draining) {
          failed.increment();
          return;
        }
        retried.increment();
        // Waits the backoff, cut short by close().
        if (stop.await(backoff.toNanos(), TimeUnit.NANOSECONDS)) {
          attempts = attempt + 1;
        }
        backoff = retry.next(backoff);
      }
    }
  }
}
