package dev.patchgate.audit.alert;

import dev.patchgate.audit.AuditRecord;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/**
 * The gateway's {@link AlertSink}: applies {@link AlertRules}, deduplicates on one daemon thread
 * ({@code patchgate-alerts}) with an {@link AlertDeduplicator}, and fans the alerts out to one
 * {@link ChannelWorker} per channel.
 *
 * <p>The request path only classifies the record and offers an event to a bounded queue; with the
 * queue full the event is dropped and counted. The dispatcher thread wakes at least every tick to
 * close deduplication windows, so a burst's summary goes out when its window ends even if nothing
 * follows. Thread-safe.
 */
public final class AlertDispatcher implements AlertSink {
  static final String THREAD_NAME = "patchgate-alerts";
  static final int EVENT_QUEUE = 10_000;
  static final int CHANNEL_QUEUE = 1_000;
  static final int MAX_WINDOWS = 10_000;
  static final Duration TICK = Duration.ofSeconds(1);
  static final Duration CLOSE_GRACE = Duration.ofSeconds(5);

  private final InstantSource clock;
  private final Duration tick;
  private final BlockingQueue<AlertEvent> events;
  private final AlertDeduplicator dedupe;
  private final List<ChannelWorker> workers;
  private final Thread thread;
  private final LongAdder droppedEvents = new LongAdder();
  private final LongAdder acceptedEvents = new LongAdder();
  private final LongAdder processedEvents = new LongAdder();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final RecentAlerts recent = new RecentAlerts();
  private volatile boolean stopping;

  /**
   * Starts alerting as {@code settings} say.
   *
   * @return a dispatcher, or {@link AlertSink#disabled()} when no channel is configured
   */
  public static AlertSink start(AlertSettings settings) {
    if (settings.channels().isEmpty()) {
      return AlertSink.disabled();
    }
    List<AlertChannel> channels = new ArrayList<>();
    for (AlertChannelSettings channel : settings.channels()) {
      channels.add(channelFor(channel));
    }
    return new AlertDispatcher(
        settings.window(),
        channels,
        RetryPolicy.DEFAULT,
        InstantSource.system(),
        TICK,
        EVENT_QUEUE,
        CHANNEL_QUEUE);
  }

  private static AlertChannel channelFor(AlertChannelSettings settings) {
    if (settings instanceof SyslogSettings syslog) {
      return new SyslogChannel(syslog);
    }
    if (settings instanceof WebhookSettings webhook) {
      return new WebhookChannel(webhook);
    }
    return new LogChannel();
  }

  AlertDispatcher(
      Duration window,
      List<AlertChannel> channels,
      RetryPolicy retry,
      InstantSource clock,
      Duration tick,
      int eventQueue,
      int channelQueue) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.tick = Objects.requireNonNull(tick, "tick");
    this.events = new ArrayBlockingQueue<>(eventQueue);
    this.dedupe = new AlertDeduplicator(window, MAX_WINDOWS);
    List<ChannelWorker> started = new ArrayList<>();
    for (AlertChannel channel : channels) {
      started.add(new ChannelWorker(channel, retry, channelQueue));
    }
    this.workers = List.copyOf(started);
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void onRecord(AuditRecord record) {
    if (record == null) {
      return;
    }
    Optional<AlertKind> kind = AlertRules.classify(record);
    if (kind.isPresent()) {
      String host = record.host() != null ? record.host() : record.url();
      if (record.host() == null && record.summary() != null) {
        host = record.summary().hostsText();
      }
      offer(new AlertEvent(kind.get(), record.client(), host, record.reason(), record.count()));
    }
  }

  @Override
  public void raise(AlertKind kind, String client, String host, String detail) {
    if (kind != null) {
      offer(new AlertEvent(kind, client, host, detail));
    }
  }

  private void offer(AlertEvent event) {
    if (stopping || !events.offer(event)) {
      droppedEvents.increment();
    } else {
      acceptedEvents.increment();
    }
  }

  /** Alert events the dispatcher thread has deduplicated and fanned out. */
  long processedEvents() {
    return processedEvents.sum();
  }

  /** Alert events taken into the queue. */
  long acceptedEvents() {
    return acceptedEvents.sum();
  }

  @Override
  public List<AlertChannelCounts> channelCounts() {
    List<AlertChannelCounts> counts = new ArrayList<>(workers.size());
    for (ChannelWorker worker : workers) {
      counts.add(worker.counts());
    }
    return counts;
  }

  @Override
  public Optional<RecentAlerts> recent() {
    return Optional.of(recent);
  }

  @Override
  public long droppedEvents() {
    return droppedEvents.sum();
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    long deadline = System.nanoTime() + CLOSE_GRACE.toNanos();
    stopping = true;
    thread.interrupt();
    try {
      thread.join(CLOSE_GRACE.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    for (ChannelWorker worker : workers) {
      worker.close(deadline);
    }
  }

  private void run() {
    List<AlertEvent> batch = new ArrayList<>();
    while (!stopping) {
      try {
        AlertEvent first = events.poll(tick.toNanos(), TimeUnit.NANOSECONDS);
        if (first != null) {
          batch.add(first);
          events.drainTo(batch, 1023);
        }
      } catch (InterruptedException e) {
        // close(): fall through, take what is queued and flush.
      }
      handle(batch);
      batch.clear();
    }
    events.drainTo(batch);
    handle(batch);
    fanOut(dedupe.flush(clock.instant()));
  }

  private void handle(List<AlertEvent> batch) {
    for (AlertEvent event : batch) {
      fanOut(dedupe.offer(event, clock.instant()));
      processedEvents.increment();
    }
    fanOut(dedupe.tick(clock.instant()));
  }

  private void fanOut(List<Alert> alerts) {
    for (Alert alert : alerts) {
      recent.raised(alert);
      for (ChannelWorker worker : workers) {
        worker.offer(alert);
      }
    }
  }
}
