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
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit records as hash-chained JSON lines to one file per UTC day, {@code
 * <dir>/audit-YYYY-MM-DD.jsonl}, from a single daemon thread named {@value #THREAD_NAME}, each line
 * linked to the one before it by a hash chain that {@link AuditChainVerifier} checks.
 *
 * <p>A record goes to the file of its {@code ts}'s UTC date, unless a later day's file has been
 * written to already; then to that later file, because the chain runs through the files in date
 * order and a finished day is never appended to again. So a download that started before midnight
 * and ended after the new day's first record is in the new day's file, its {@code ts} unchanged.
 *
 * <p>Lines are written as soon as the queue runs empty, in large batches under load, so that they
 * survive the process being killed; they are fsynced (to survive a power loss) at most a flush
 * interval after they were written, at once when {@link #sync()} waits for them, and on stop.
 * Fsyncing at every write instead would cost one {@code fdatasync} per handful of records under
 * load. {@link #sync()} reports a record once it is fsynced: "written" means on disk. When the
 * writer moves on to a new day, the finished day files are gzipped and files older than the
 * retention are deleted, on a second background thread ({@link AuditMaintenance}); the same happens
 * at start-up.
 *
 * <p>At start-up the writer reads the end of the existing chain from the last day file. If the
 * previous run did not stop cleanly (its last line is not a {@code stop} marker, or is torn), it
 * writes a {@code gap} marker saying so before anything else; a torn line is ended, never removed.
 * Each run's lines are bracketed by {@code start} and {@code stop} markers.
 *
 * <p>When a write fails (disk full, directory removed or replaced), the writer keeps the unwritten
 * records, becomes {@linkplain #healthy() unhealthy}, logs one WARN for the whole streak and tries
 * again every flush interval, recreating the directory if it is gone; records are then written in
 * their order and the chain continues from the last line that is really on disk. Records wait in
 * memory up to a backlog of {@value #DEFAULT_MAX_BACKLOG}; beyond that they are dropped and counted
 * (and a {@code gap} marker records how many), because an unbounded backlog would end in the
 * gateway running out of memory.
 *
 * <p>Thread-safe. {@link #append} takes no lock held during I/O and does no I/O.
 *
 * <p>One class on purpose: the writer thread's loop, its backlog, its health streak and the callers
 * waiting in {@link #sync()} are one state machine, touched by that one thread and changed together
 * on every flush, success or failure. The parts that are not (the chain and its markers, {@link
 * ChainedAuditLog}; the day files, {@link DailyAuditFiles}; compression and retention, {@link
 * AuditMaintenance}) live in classes of their own.
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

  private final AuditWriterSettings settings;
  private final Path dir;
  private final Clock clock;
  private final Ticker ticker;
  private final long flushIntervalNanos;
  private final long maxBacklog;

  // Records and control items (sync futures, STOP), in the order callers handed them over.
  private final LinkedBlockingQueue<Object> queue = new LinkedBlockingQueue<>();
  // Records accepted and not yet completely written, wherever they are (queue or pending lines).
  private final AtomicLong backlog = new AtomicLong();
  private final LongAdder dropped = new LongAdder();
  private final AtomicLong writeFailures = new AtomicLong();
  private final AtomicBoolean closing = new AtomicBoolean();
  private final CompletableFuture<Void> closed = new CompletableFuture<>();
  private final List<Consumer<Boolean>> healthListeners = new CopyOnWriteArrayList<>();
  private final AuditMaintenance maintenance;
  private final Thread thread;
  private volatile boolean healthy = true;
  // Set by the writer thread once it takes nothing more from the queue.
  private volatile boolean stopped;

  // Confined to the writer thread.
  private final ChainedAuditLog chainLog;
  private final PendingLines squidPending = new PendingLines();
  private final DailyAuditFiles accessFiles;
  private final List<CompletableFuture<Void>> waiters = new ArrayList<>();
  private final List<Object> drained = new ArrayList<>(MAX_DRAIN);
  private final StringBuilder line = new StringBuilder(512);
  private long lastAttemptNanos;
  private long lastForceNanos;
  private boolean lastWriteFailed;
  private Instant failingSince;
  private long failuresAtStreakStart;
  private long droppedReported;
  private long droppedMarked;
  private long lastDropReportNanos;
  private LocalDate sweptBefore;

  /**
   * Creates the directory if missing and starts the writer thread.
   *
   * @param settings where and how to write
   * @param clock the wall clock: the {@code ts} of marker lines, the date retention counts from,
   *     and what the writer reports (the start of a failure streak)
   * @throws UncheckedIOException if the directory cannot be created, so a misconfigured directory
   *     stops the gateway at start-up rather than at the first request
   */
  public JsonLinesAuditWriter(AuditWriterSettings settings, Clock clock) {
    this(settings, clock, DEFAULT_MAX_BACKLOG);
  }

  /**
   * Same as {@link #JsonLinesAuditWriter(AuditWriterSettings, Clock)} with {@link
   * AuditWriterSettings#DEFAULT_RETAIN_DAYS} and no Squid-format log.
   *
   * @throws IllegalArgumentException if {@code flushInterval} is not positive
   */
  public JsonLinesAuditWriter(Path dir, Clock clock, Duration flushInterval) {
    this(
        new AuditWriterSettings(dir, flushInterval, AuditWriterSettings.DEFAULT_RETAIN_DAYS, false),
        clock);
  }

  JsonLinesAuditWriter(AuditWriterSettings settings, Clock clock, long maxBacklog) {
    this(settings, clock, Ticker.SYSTEM, maxBacklog);
  }

  /**
   * Same as {@link #JsonLinesAuditWriter(AuditWriterSettings, Clock)}, measuring flush intervals
   * with {@code ticker}.
   *
   * @param ticker measures the flush interval and how often drops are reported; waiting for the
   *     writer to finish at {@link #close} still counts real time, since it really waits
   */
  public JsonLinesAuditWriter(AuditWriterSettings settings, Clock clock, Ticker ticker) {
    this(settings, clock, ticker, DEFAULT_MAX_BACKLOG);
  }

  JsonLinesAuditWriter(AuditWriterSettings settings, Clock clock, Ticker ticker, long maxBacklog) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.lastAttemptNanos = ticker.read();
    // Long ago: the first flush fsyncs.
    this.lastForceNanos = lastAttemptNanos - Long.MAX_VALUE / 2;
    if (maxBacklog < 1) {
      throw new IllegalArgumentException("maxBacklog: " + maxBacklog + " (expected: >= 1)");
    }
    this.dir = settings.dir();
    this.flushIntervalNanos = settings.flushInterval().toNanos();
    this.lastDropReportNanos = lastAttemptNanos - flushIntervalNanos;
    this.maxBacklog = maxBacklog;
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot create audit directory " + dir, e);
    }
    this.chainLog = new ChainedAuditLog(dir, clock);
    this.accessFiles =
        settings.squidLog() ? new DailyAuditFiles(dir, DayFileName.Kind.ACCESS) : null;
    this.maintenance = new AuditMaintenance(dir, clock, settings.retainDays());
    this.thread = new Thread(this::runWriter, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  /**
   * The name of the file holding the records of a UTC date, e.g. {@code audit-2026-11-23.jsonl};
   * the same as {@link AuditFiles#auditFileName}.
   *
   * @throws NullPointerException if {@code utcDate} is {@code null}
   */
  public static String fileNameFor(LocalDate utcDate) {
    return AuditFiles.auditFileName(utcDate);
  }

  /** The directory the day files are written to, as given to the constructor. */
  public Path directory() {
    return dir;
  }

  /** The settings given to the constructor. */
  public AuditWriterSettings settings() {
    return settings;
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
   * Whether the last write attempt (including its fsync) succeeded, or none was needed yet, and the
   * writer thread is running normally. Turns false on the first failed attempt, true again on the
   * first one that succeeds; false for good once the thread died of an unexpected error. One
   * volatile read.
   */
  @Override
  public boolean healthy() {
    return healthy;
  }

  /** {@inheritDoc} Listeners run on the writer thread. */
  @Override
  public void onHealthChange(Consumer<Boolean> listener) {
    healthListeners.add(Objects.requireNonNull(listener, "listener"));
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
    maintenance.close();
  }

  /** Completes once housekeeping queued so far (compression, retention) is done; for tests. */
  CompletableFuture<Void> maintenanceIdle() {
    return maintenance.idle();
  }

  private void runWriter() {
    try {
      // At once, not at the first record: recover the chain, repair a crash, sweep old files.
      flush();
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
      stopped = true;
      setHealthy(false);
      failWaiters(e);
      closed.completeExceptionally(e);
      throw e;
    } finally {
      chainLog.close();
      if (accessFiles != null) {
        accessFiles.close();
      }
    }
  }

  private Object waitForWork() throws InterruptedException {
    if (!hasWork() && waiters.isEmpty()) {
      return queue.take();
    }
    long wait = lastAttemptNanos + flushIntervalNanos - ticker.read();
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
    byte[] body;
    byte[] squidLine;
    try {
      line.setLength(0);
      AuditJson.appendBodyTo(line, record);
      body = line.toString().getBytes(StandardCharsets.UTF_8);
      squidLine =
          accessFiles == null
              ? null
              : (SquidAccessLine.format(record) + "\n").getBytes(StandardCharsets.US_ASCII);
    } catch (RuntimeException e) {
      // A bug in the encoder must cost one record, not the writer thread.
      backlog.decrementAndGet();
      dropped.increment();
      LOG.error("Cannot encode audit record {}; dropped", record.id(), e);
      return;
    }
    chainLog.addRecord(utcDateOf(record.ts()), body, squidLine);
  }

  /** Whether anything is left to write or fsync, start-up recovery included. */
  private boolean hasWork() {
    return !chainLog.isIdle()
        || chainLog.hasUnforcedData()
        || !squidPending.isEmpty()
        || (accessFiles != null && accessFiles.hasUnforcedData());
  }

  private boolean flushDue() {
    if (!hasWork()) {
      completeWaiters();
      return false;
    }
    if (ticker.read() - lastAttemptNanos >= flushIntervalNanos) {
      return true;
    }
    if (lastWriteFailed) {
      return false; // retry on the tick, not on every record
    }
    return queue.isEmpty()
        || !waiters.isEmpty()
        || chainLog.pendingBytes() >= WRITE_THRESHOLD_BYTES;
  }

  private void flush() {
    flush(false);
  }

  /**
   * Writes what is pending, and fsyncs it when {@code forceNow}, when a {@link #sync()} waits, or
   * when the last fsync is a flush interval old.
   */
  private void flush(boolean forceNow) {
    lastAttemptNanos = ticker.read();
    boolean force =
        forceNow || !waiters.isEmpty() || lastAttemptNanos - lastForceNanos >= flushIntervalNanos;
    long before = recordsHeld();
    try {
      markDrops();
      chainLog.write(squidPending);
      if (accessFiles != null) {
        squidPending.writeTo(accessFiles);
      }
      if (force) {
        chainLog.force();
        if (accessFiles != null) {
          accessFiles.force();
        }
        lastForceNanos = lastAttemptNanos;
      }
      onWriteSucceeded();
      sweepFinishedDays();
    } catch (IOException e) {
      chainLog.close();
      if (accessFiles != null) {
        accessFiles.close();
      }
      onWriteFailed(e);
    } finally {
      backlog.addAndGet(-(before - recordsHeld()));
    }
    if (!hasWork()) {
      completeWaiters();
    }
    reportDrops();
  }

  /** Records accepted from the queue and not yet in every log they go to. */
  private long recordsHeld() {
    return chainLog.pendingRecords() + squidPending.size();
  }

  /** Queues a gap marker for records dropped since the last one, so the log itself says so. */
  private void markDrops() {
    long total = dropped.sum();
    if (total > droppedMarked) {
      chainLog.addMarker(AuditMarkers.droppedGap(clock.instant(), total - droppedMarked));
      droppedMarked = total;
    }
  }

  /** Hands days that can no longer be written to housekeeping, once per new day. */
  private void sweepFinishedDays() {
    // Without any audit file yet no day is finished: the first record may be of any day (a
    // download that began before the clock's today), and a sweep that ran while its file was being
    // created would delete it. Only interrupted leftovers (.tmp) go then.
    LocalDate finishedBefore = chainLog.floor() != null ? chainLog.floor() : LocalDate.MIN;
    LocalDate oldestAccess = squidPending.oldestDay();
    if (oldestAccess != null && oldestAccess.isBefore(finishedBefore)) {
      finishedBefore = oldestAccess;
    }
    if (sweptBefore == null || finishedBefore.isAfter(sweptBefore)) {
      sweptBefore = finishedBefore;
      maintenance.sweep(finishedBefore);
    }
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
          recordsHeld(),
          TimeUnit.NANOSECONDS.toMillis(flushIntervalNanos),
          e);
    }
    setHealthy(false);
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
    setHealthy(true);
  }

  private void setHealthy(boolean now) {
    if (healthy == now) {
      return;
    }
    healthy = now;
    for (Consumer<Boolean> listener : healthListeners) {
      try {
        listener.accept(now);
      } catch (RuntimeException e) {
        LOG.error("An audit health listener failed; ignored", e);
      }
    }
  }

  private void reportDrops() {
    long total = dropped.sum();
    long now = ticker.read();
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
    markDrops();
    if (chainLog.started()) {
      long records = chainLog.recordsWritten() + chainLog.pendingRecords();
      chainLog.addMarker(AuditMarkers.stop(clock.instant(), records, dropped.sum()));
    }
    // Real time, not the ticker's: this loop parks the thread, and a ticker held still by a test
    // must not keep close() waiting for ever.
    long deadline = System.nanoTime() + CLOSE_GRACE_NANOS;
    flush(true);
    while (hasWork() && deadline - System.nanoTime() > 0) {
      LockSupport.parkNanos(Math.min(flushIntervalNanos, deadline - System.nanoTime()));
      flush(true);
    }
    if (!hasWork()) {
      completeWaiters();
      closed.complete(null);
      return;
    }
    long lost = recordsHeld();
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
