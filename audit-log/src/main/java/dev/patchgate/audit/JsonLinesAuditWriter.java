package dev.patchgate.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records as JSON lines to one file per UTC day, {@code <dir>/audit-YYYY-MM-DD.jsonl},
 * from a single daemon thread named {@value #THREAD_NAME}.
 *
 * <p>A record goes to the file of the UTC date of its {@link AuditRecord#ts() ts}, so a request
 * that arrived at 23:59:59.999 is in that day's file even when it finishes after midnight. Files
 * are only ever appended to. Lines are handed to the OS as soon as the queue runs empty, in large
 * batches under load, and at least every {@code flushInterval}; they are not fsynced.
 *
 * <p>When a write fails (disk full, directory removed or replaced) the writer keeps the unwritten
 * records, counts the failure, logs one WARN for the whole streak and tries again every {@code
 * flushInterval}, recreating the directory if it is gone. Records wait in memory up to a backlog of
 * {@value #DEFAULT_MAX_BACKLOG}; beyond that they are dropped and counted, because an unbounded
 * backlog would end in the gateway running out of memory.
 *
 * <p>Thread-safe. {@link #append} takes no lock held during I/O and does no I/O.
 */
public final class JsonLinesAuditWriter implements AuditSink {
  /** The flush interval the gateway uses unless configured otherwise. */
  public static final Duration DEFAULT_FLUSH_INTERVAL = Duration.ofSeconds(1);

  static final int DEFAULT_MAX_BACKLOG = 1_000_000;
  static final String THREAD_NAME = "patchgate-audit-writer";

  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate.audit");
  private static final long SECONDS_PER_DAY = 86_400;
  // Items taken from the queue per round; bounds the time between flush decisions.
  private static final int MAX_DRAIN = 4096;
  // Below this, a busy writer keeps collecting lines rather than making a small write.
  private static final long WRITE_THRESHOLD_BYTES = 256 * 1024;
  // How long close() keeps retrying a failing write before it gives the records up.
  private static final long CLOSE_GRACE_NANOS = Duration.ofSeconds(5).toNanos();
  private static final Object STOP = new Object();

  private final Path dir;
  private final Clock clock;
  private final long flushIntervalNanos;
  private final long maxBacklog;

  // Records and control items (sync futures, STOP), in the order callers handed them over.
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  // Records accepted and not yet written, wherever they are (queue or pending lines).
  private final AtomicLong backlog = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong writeFailures = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final Thread thread;
  private volatile boolean lastWriteFailed;
  private volatile boolean writerDied;
  // Set by the writer thread once it takes nothing more from the queue.
  private volatile boolean stopped;

  // Confined to the writer thread.
  private final PendingLines pending = new PendingLines();
  private final DailyAuditFiles files;
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private final List<Object> drained = new ArrayList<>(MAX_DRAIN);
  private final StringBuilder line = new StringBuilder(512);
  private long lastAttemptNanos = System.nanoTime();
  private Instant failingSince;
  private long failuresAtStreakStart;
  private long droppedReported;
  private long lastDropReportNanos;

  /**
   * Creates {@code dir} if missing and starts the writer thread.
   *
   * @param dir the directory of the day files
   * @param clock the wall clock, used for what the writer reports (the start of a failure streak)
   * @param flushInterval the longest time an accepted line waits before it is handed to the OS, and
   *     the interval between retries after a failed write; positive
   * @throws UncheckedIOException if {@code dir} cannot be created, so a misconfigured directory
   *     stops the gateway at start-up rather than at the first request
   */
  public JsonLinesAuditWriter(Path dir, Clock clock, Duration flushInterval) {
    this(dir, clock, flushInterval, DEFAULT_MAX_BACKLOG);
  }

  JsonLinesAuditWriter(Path dir, Clock clock, Duration flushInterval, long maxBacklog) {
    this.dir = Objects.requireNonNull(dir, "dir");
    this.clock = Objects.requireNonNull(clock, "clock");
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval: " + flushInterval + " (expected: > 0)");
    }
    if (maxBacklog < 1) {
      throw new IllegalArgumentException("maxBacklog: " + maxBacklog + " (expected: >= 1)");
    }
    this.flushIntervalNanos = flushInterval.toNanos();
    this.lastDropReportNanos = lastAttemptNanos - flushIntervalNanos;
    this.maxBacklog = maxBacklog;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create audit directory " + dir, e);
    }
    this.files = new DailyAuditFiles(dir);
    this.thread = new Thread(this::runWriter, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The name of the file holding the records of a UTC date, e.g. {@code audit-2026-11-23.jsonl}.
   *
   * @throws NullPointerException if {@code utcDate} is {@code null}
   */
  public static String fileNameFor(LocalDate utcDate) {
    return "audit-" + utcDate + ".jsonl";
  }

  /** The directory the day files are written to, as given to the constructor. */
  public Path directory() {
    return dir;
  }

  /** How many write attempts have failed since start; each retry that fails counts again. */
  @Override
  public long writeFailures() {
    return writeFailures.get();
  }

  /**
   * How many records were given up: appended beyond the backlog limit, {@code null}, appended after
   * {@link #close()}, or still unwritable when close's retries ran out.
   */
  @Override
  public long droppedRecords() {
    return dropped.sum();
  }

  /**
   * Whether the last write attempt succeeded (or none was needed yet) and the writer thread is
   * running normally. False while writes fail and are being retried, and after the thread died of
   * an unexpected error; the gateway's fail-closed setting is meant to read this.
   */
  @Override
  public boolean healthy() {
    return !lastWriteFailed && !writerDied;
  }

  @Override
  public void append(AuditRecord record) {
    if (record == null || backlog.incrementAndGet() > maxBacklog) {
      if (record != null) {
        backlog.decrementAndGet();
      }
      dropped.increment();
      return;
    }
    queue.offer(record);
    if (stopped && queue.removeIf(item -> item == record)) {
      // Lost the race with close(): the writer will not look at the queue again.
      backlog.decrementAndGet();
      dropped.increment();
    }
  }

  @Override
  public CompletableFuture<Void> sync() {
    if (closing.get()) {
      return closed.copy();
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    queue.offer(done);
    if (stopped && queue.removeIf(item -> item == done)) {
      return closed.copy();
    }
    return done;
  }

  @Override
  public void close() {
    if (closing.compareAndSet(false, true)) {
      queue.offer(STOP);
    }
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void runWriter() {
    try {
      boolean stopRequested = false;
      while (!stopRequested) {
        Object first;
        try {
          first = waitForWork();
        } catch (InterruptedException e) {
          // Nobody but the JVM's shutdown interrupts this thread: write what we have and stop.
          break;
        }
        if (first != null) {
          boolean stopInFirst = accept(first);
          // Drain the rest even when the first asked to stop: nothing accepted may be left behind.
          boolean stopInQueue = acceptQueued();
          stopRequested = stopInFirst || stopInQueue;
        }
        if (flushDue()) {
          flush();
        }
      }
      finish();
    } catch (RuntimeException | Error e) {
      LOG.error("Audit writer for {} stopped by an unexpected error; no more records", dir, e);
      writerDied = true;
      stopped = true;
      failWaiters(e);
      closed.completeExceptionally(e);
      throw e;
    } finally {
      files.closeAll();
    }
  }

  private Object waitForWork() throws InterruptedException {
    if (pending.isEmpty() && waiters.isEmpty()) {
      return queue.take();
    }
    long wait = lastAttemptNanos + flushIntervalNanos - System.nanoTime();
    return wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
  }

  /** Takes in everything queued now, up to one round; returns whether STOP was among it. */
  private boolean acceptQueued() {
    drained.clear();
    queue.drainTo(drained, MAX_DRAIN);
    boolean stop = false;
    for (Object item : drained) {
      stop |= accept(item);
    }
    drained.clear();
    return stop;
  }

  /** Takes in one queue item; returns whether it asks the writer to stop. */
  private boolean accept(Object item) {
    if (item instanceof AuditRecord record) {
      encode(record);
      return false;
    }
    if (item instanceof CompletableFuture<?> future) {
      @SuppressWarnings("unchecked") // only sync() puts futures in the queue
      CompletableFuture<Void> waiter = (CompletableFuture<Void>) future;
      waiters.add(waiter);
      return false;
    }
    return item == STOP;
  }

  private void encode(AuditRecord record) {
    byte[] bytes;
    try {
      line.setLength(0);
      AuditJson.appendTo(line, record);
      line.append('\n');
      bytes = line.toString().getBytes(StandardCharsets.UTF_8);
    } catch (RuntimeException e) {
      // A bug in the encoder must cost one record, not the writer thread.
      backlog.decrementAndGet();
      dropped.increment();
      LOG.error("Cannot encode audit record {}; dropped", record.id(), e);
      return;
    }
    pending.add(utcDateOf(record.ts()), bytes);
  }

  private boolean flushDue() {
    if (pending.isEmpty()) {
      completeWaiters();
      return false;
    }
    if (System.nanoTime() - lastAttemptNanos >= flushIntervalNanos) {
      return true;
    }
    if (lastWriteFailed) {
      return false; // retry on the tick, not on every record
    }
    return queue.isEmpty() || !waiters.isEmpty() || pending.bytes() >= WRITE_THRESHOLD_BYTES;
  }

  private void flush() {
    lastAttemptNanos = System.nanoTime();
    int before = pending.size();
    try {
      pending.writeTo(files);
      onWriteSucceeded();
    } catch (IOException e) {
      files.closeAll();
      onWriteFailed(e);
    } finally {
      backlog.addAndGet(-(before - pending.size()));
    }
    if (pending.isEmpty()) {
      completeWaiters();
    }
    reportDrops();
  }

  private void onWriteFailed(IOException e) {
    long failures = writeFailures.incrementAndGet();
    if (!lastWriteFailed) {
      lastWriteFailed = true;
      failingSince = clock.instant();
      failuresAtStreakStart = failures - 1;
      LOG.warn(
          "Cannot write audit records to {}; keeping {} in memory and retrying every {} ms",
          dir,
          pending.size(),
          TimeUnit.NANOSECONDS.toMillis(flushIntervalNanos),
          e);
    }
  }

  private void onWriteSucceeded() {
    if (lastWriteFailed) {
      lastWriteFailed = false;
      LOG.warn(
          "Audit records are written to {} again, after {} failed attempts since {}",
          dir,
          writeFailures.get() - failuresAtStreakStart,
          failingSince);
    }
  }

  private void reportDrops() {
    long total = dropped.sum();
    long now = System.nanoTime();
    // Here rather than in append(), which runs on event loops; at most once per flush interval, and
    // not while a failure streak is already reported (its end reports the drops).
    if (total != droppedReported
        && !lastWriteFailed
        && now - lastDropReportNanos >= flushIntervalNanos) {
      lastDropReportNanos = now;
      LOG.warn(
          "{} audit records dropped (backlog limit {}); {} in total",
          total - droppedReported,
          maxBacklog,
          total);
      droppedReported = total;
    }
  }

  private void finish() {
    // Take in what was queued before close(), then tell append() that nothing more will be taken,
    // then take in what slipped in between (append checks the flag after it queued).
    drainAll();
    stopped = true;
    drainAll();
    long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
    flush();
    while (!pending.isEmpty() && deadline - System.nanoTime() > 0) {
      LockSupport.parkNanos(Math.min(flushIntervalNanos, deadline - System.nanoTime()));
      flush();
    }
    if (pending.isEmpty()) {
      completeWaiters();
      closed.complete(null);
      return;
    }
    int lost = pending.size();
    backlog.addAndGet(-lost);
    dropped.add(lost);
    IOException gaveUp =
        new IOException(lost + " audit records could not be written to " + dir + " by close");
    LOG.error("Closing the audit writer: {}", gaveUp.getMessage());
    failWaiters(gaveUp);
    closed.completeExceptionally(gaveUp);
  }

  private void drainAll() {
    while (!queue.isEmpty()) {
      acceptQueued();
    }
  }

  private void completeWaiters() {
    for (CompletableFuture<Void> waiter : waiters) {
      waiter.complete(null);
    }
    waiters.clear();
  }

  private void failWaiters(Throwable cause) {
    for (CompletableFuture<Void> waiter : waiters) {
      waiter.completeExceptionally(cause);
    }
    waiters.clear();
  }

  static LocalDate utcDateOf(Instant ts) {
    // Cheaper than going through a ZonedDateTime for every record.
    return LocalDate.ofEpochDay(Math.floorDiv(ts.getEpochSecond(), SECONDS_PER_DAY));
  }
}
