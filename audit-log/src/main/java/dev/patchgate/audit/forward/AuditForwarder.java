package dev.patchgate.audit.forward;

import dev.patchgate.audit.AuditDayFile;
import dev.patchgate.audit.AuditFiles;
import dev.patchgate.audit.ForwardCursor;
import dev.patchgate.audit.alert.SyslogMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends every line of the audit day files (records, markers, and so each day's last seq and hash)
 * to a central syslog collector, in the order written, from its own daemon thread named {@value
 * #THREAD_NAME}; the request path and the audit writer never wait for it.
 *
 * <p>The day files are the spool: the forwarder reads what the writer has written (complete lines
 * only, fsynced before they are sent) and keeps a {@link ForwardCursor} in the audit directory. A
 * second spool would write every record twice and could disagree with the log it copies; the day
 * files are already durable, ordered and kept for the retention period, which is held back for days
 * not yet forwarded.
 *
 * <p>Plain syslog over TCP or TLS has no acknowledgement, so the cursor advances only to lines sent
 * at least {@code confirmAfter} ago on a connection still open now (a collector reads its sockets
 * at once; one that stops or drops the connection is noticed by a reader thread), and, at a clean
 * stop, to the end once the collector has closed its side after the gateway's: it has then read
 * everything. When a connection ends, sending starts again from the cursor, so lines can arrive
 * twice but are never skipped (at least once). Duplicates occur when a connection breaks within
 * {@code confirmAfter} of sending, when the gateway crashes between sending and saving the cursor,
 * and when a collector loses what it had read but not stored; {@code audit verify --collector}
 * recognises a repeated line and counts it.
 *
 * <p>While the collector cannot be reached, lines wait in the day files and go out in order once it
 * is back; attempts back off from {@code initialBackoff}, doubling, to {@code maxBackoff}. More
 * than {@code maxBacklog} bytes waiting is reported (an alert, and not ready), never dropped.
 *
 * <p>Thread-safe: the getters read volatile state.
 */
public final class AuditForwarder implements AutoCloseable {
  static final String THREAD_NAME = "patchgate-audit-forwarder";

  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate.audit.forward");
  private static final int BATCH_BYTES = 256 * 1024;
  private static final long IDLE_POLL_NANOS = Duration.ofMillis(100).toNanos();
  // How long a stop may spend sending what is left, and waiting for the collector's close.
  private static final Duration DRAIN = Duration.ofSeconds(2);
  private static final Duration FINISH = Duration.ofSeconds(2);

  /** The gateway's timing: confirm after 1 s; retry after 250 ms, doubling up to 10 s. */
  public static final Timing DEFAULT_TIMING =
      new Timing(Duration.ofSeconds(1), Duration.ofMillis(250), Duration.ofSeconds(10));

  /**
   * The forwarder's timing.
   *
   * @param confirmAfter how long a sent line's connection must stay open before it counts as
   *     delivered
   * @param initialBackoff the wait after the first failed connection attempt
   * @param maxBackoff the longest wait between attempts
   */
  public record Timing(Duration confirmAfter, Duration initialBackoff, Duration maxBackoff) {}

  private final Path dir;
  private final ForwardSettings settings;
  private final Clock clock;
  private final Timing timing;
  private final String hostname;
  private final Thread thread;
  private final List<Consumer<String>> problemListeners = new CopyOnWriteArrayList<>();
  private final AtomicLong sentLines = new AtomicLong();
  private volatile long backlogBytes;
  private volatile boolean connected;
  private volatile String connectionProblem;
  private volatile boolean stopping;
  private volatile boolean crashing;

  // Confined to the forwarder's thread.
  private SSLContext tls;
  private CollectorConnection connection;
  private SpoolReader reader;
  private ForwardCursor confirmed;
  private ForwardCursor saved;
  private final ArrayDeque<Sent> unconfirmed = new ArrayDeque<>();
  private final ByteArrayOutputStream frames = new ByteArrayOutputStream(BATCH_BYTES + 4096);
  private long nextAttemptNanos;
  private long backoffNanos;
  private boolean backlogExceeded;

  private record Sent(ForwardCursor end, long atNanos) {}

  private AuditForwarder(Path dir, ForwardSettings settings, Clock clock, Timing timing) {
    this.dir = dir;
    this.settings = settings;
    this.clock = clock;
    this.timing = timing;
    this.hostname = SyslogMessage.hostname(settings.name());
    this.backoffNanos = timing.initialBackoff().toNanos();
    this.thread = new Thread(this::run, THREAD_NAME);
    thread.setDaemon(true);
  }

  /**
   * Starts forwarding the day files of {@code dir}: from the saved cursor, or, the first time, from
   * the start of the newest day file.
   */
  public static AuditForwarder start(Path dir, ForwardSettings settings, Clock clock) {
    return start(dir, settings, clock, DEFAULT_TIMING);
  }

  /** Same as {@link #start(Path, ForwardSettings, Clock)} with the given timing. */
  public static AuditForwarder start(
      Path dir, ForwardSettings settings, Clock clock, Timing timing) {
    AuditForwarder forwarder =
        new AuditForwarder(
            Objects.requireNonNull(dir, "dir"),
            Objects.requireNonNull(settings, "settings"),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(timing, "timing"));
    forwarder.thread.start();
    return forwarder;
  }

  public ForwardSettings settings() {
    return settings;
  }

  /** Bytes of audit lines the collector is not known to have: not sent, or not yet confirmed. */
  public long backlogBytes() {
    return backlogBytes;
  }

  /** Lines sent since start (each line sent again after a reconnection counts again). */
  public long sentLines() {
    return sentLines.get();
  }

  /** Whether a connection to the collector is open now. */
  public boolean connected() {
    return connected;
  }

  /** Why the last connection attempt or connection failed, while it has not recovered. */
  public Optional<String> connectionProblem() {
    return Optional.ofNullable(connectionProblem);
  }

  /** A line for {@code /readyz} while more than {@code maxBacklog} bytes wait; else empty. */
  public Optional<String> backlogProblem() {
    long backlog = backlogBytes;
    if (backlog <= settings.maxBacklog()) {
      return Optional.empty();
    }
    String why = connectionProblem;
    return Optional.of(
        "audit forwarding to "
            + settings.url()
            + " is "
            + backlog
            + " bytes behind (max-backlog "
            + settings.maxBacklog()
            + ")"
            + (why == null ? "" : ": " + why));
  }

  /**
   * Registers {@code listener} for problems worth an alert, as one line: a failure streak starting,
   * the backlog going over {@code maxBacklog}. Runs on the forwarder's thread; must not block. A
   * problem already going on when it registers (the collector was down from the start) is handed to
   * it at once, on the caller's thread, so that it is not missed; it may then hear of it twice.
   */
  public void onProblem(Consumer<String> listener) {
    problemListeners.add(Objects.requireNonNull(listener, "listener"));
    // After the add: a problem starting now is either seen here or reported to the listener.
    String streak = connectionProblem;
    if (streak != null) {
      listener.accept(streakLine(streak));
    }
    backlogProblem().ifPresent(listener);
  }

  /**
   * Sends what the writer has written (close the audit writer first, so that its {@code stop}
   * marker goes too), for up to a few seconds, ends the connection cleanly and saves the cursor.
   * Blocks until done; idempotent.
   */
  @Override
  public void close() {
    stopping = true;
    LockSupport.unpark(thread);
    join();
  }

  /**
   * Stops as a crash would: no more sending, no clean end of the connection and no saving of the
   * cursor; for tests of what a restart after a crash sends again.
   */
  void crash() {
    crashing = true;
    stopping = true;
    LockSupport.unpark(thread);
    join();
  }

  private void join() {
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    try {
      confirmed = ForwardCursor.read(dir).orElseGet(this::firstPosition);
      reader = new SpoolReader(dir, confirmed);
      save();
      while (!stopping) {
        step();
      }
      if (!crashing) {
        finish();
      }
    } catch (RuntimeException | Error e) {
      LOG.error("Audit forwarder stopped by an unexpected error; no more forwarding", e);
      connectionProblem = "the forwarder stopped: " + e;
      throw e;
    } finally {
      if (connection != null) {
        connection.close();
      }
      connected = false;
      if (reader != null) {
        reader.close();
      }
    }
  }

  /** One round: (re)connect when due, send a batch or wait, confirm, report. */
  private void step() {
    if (!ensureConnected()) {
      updateBacklog();
      park(Math.min(IDLE_POLL_NANOS, nextAttemptNanos - System.nanoTime()));
      return;
    }
    boolean sentSome = sendBatch();
    confirm();
    updateBacklog();
    if (!sentSome) {
      park(IDLE_POLL_NANOS);
    }
  }

  private boolean ensureConnected() {
    if (connection != null && connection.alive()) {
      return true;
    }
    if (connection != null) {
      lost(connection.endReason());
    }
    if (System.nanoTime() - nextAttemptNanos < 0) {
      return false;
    }
    try {
      if (tls == null) {
        tls = TlsContexts.of(settings);
      }
      connection = CollectorConnection.open(settings, tls);
    } catch (IOException | RuntimeException e) {
      failed("cannot connect to " + settings.url() + ": " + e.getMessage());
      return false;
    }
    connected = true;
    backoffNanos = timing.initialBackoff().toNanos();
    if (connectionProblem != null) {
      LOG.info("Audit forwarding to {} works again", settings.url());
    }
    connectionProblem = null;
    return true;
  }

  /** Sends one batch; false when there was nothing to send. */
  private boolean sendBatch() {
    SpoolReader.Batch batch;
    try {
      batch = reader.next(BATCH_BYTES);
    } catch (IOException e) {
      LOG.warn("Cannot read the audit day files in {} to forward them; trying again", dir, e);
      reader.seek(reader.position());
      return false;
    }
    if (batch.isEmpty()) {
      return false;
    }
    frames.reset();
    try {
      for (byte[] line : batch.lines()) {
        AuditSyslogMessage.write(frames, settings.facility(), hostname, line, clock.instant());
      }
      connection.write(frames.toByteArray(), frames.size());
    } catch (IOException e) {
      lost("sending failed: " + e.getMessage());
      return false;
    }
    sentLines.addAndGet(batch.lines().size());
    unconfirmed.addLast(new Sent(batch.end(), System.nanoTime()));
    return true;
  }

  /** Advances the cursor over lines sent long enough ago on a connection still open. */
  private void confirm() {
    long now = System.nanoTime();
    long after = timing.confirmAfter().toNanos();
    while (!unconfirmed.isEmpty()
        && now - unconfirmed.peekFirst().atNanos() >= after
        && connection != null
        && connection.alive()) {
      confirmed = unconfirmed.removeFirst().end();
    }
    save();
  }

  private void save() {
    if (confirmed.equals(saved)) {
      return;
    }
    try {
      confirmed.write(dir);
      saved = confirmed;
    } catch (IOException e) {
      LOG.warn("Cannot save the audit forwarding cursor in {}; trying again", dir, e);
    }
  }

  /** The connection ended: everything not confirmed is sent again on the next one. */
  private void lost(String why) {
    if (connection != null) {
      connection.close();
      connection = null;
    }
    connected = false;
    unconfirmed.clear();
    reader.seek(confirmed);
    failed(why == null ? "the connection to the collector ended" : why);
  }

  private void failed(String why) {
    long now = System.nanoTime();
    nextAttemptNanos = now + backoffNanos;
    backoffNanos = Math.min(backoffNanos * 2, timing.maxBackoff().toNanos());
    boolean streakStarts = connectionProblem == null;
    connectionProblem = why;
    if (streakStarts) {
      LOG.warn(
          "Audit forwarding to {}: {}; the lines wait in the day files and are sent once it works",
          settings.url(),
          why);
      report(streakLine(why));
    }
  }

  private String streakLine(String why) {
    return "audit lines cannot be forwarded to " + settings.url() + ": " + why;
  }

  private void updateBacklog() {
    try {
      backlogBytes = bytesFrom(dir, confirmed);
    } catch (IOException e) {
      return; // keep the last value; the next round tries again
    }
    boolean exceeded = backlogBytes > settings.maxBacklog();
    if (exceeded && !backlogExceeded) {
      report(backlogProblem().orElse("audit forwarding backlog exceeds max-backlog"));
    }
    backlogExceeded = exceeded;
  }

  private void report(String problem) {
    for (Consumer<String> listener : problemListeners) {
      try {
        listener.accept(problem);
      } catch (RuntimeException e) {
        LOG.error("An audit forwarding listener failed; ignored", e);
      }
    }
  }

  /** At a clean stop: send the rest, end the connection, and if acknowledged, save the end. */
  private void finish() {
    long deadline = System.nanoTime() + DRAIN.toNanos();
    if (connection != null && connection.alive()) {
      while (System.nanoTime() - deadline < 0 && connection != null && sendBatch()) {
        // keep sending until the day files are exhausted
      }
    }
    if (connection != null && connection.alive()) {
      ForwardCursor end = reader.position();
      if (connection.finish(FINISH)) {
        confirmed = end;
      } else {
        confirm();
      }
    }
    connection = null;
    connected = false;
    save();
    updateBacklog();
  }

  private ForwardCursor firstPosition() {
    try {
      List<AuditDayFile> days = AuditFiles.auditDays(dir);
      if (!days.isEmpty()) {
        return new ForwardCursor(days.get(days.size() - 1).date(), 0);
      }
    } catch (IOException e) {
      // An unreadable directory: start at the epoch, i.e. with whatever day appears first.
    }
    return new ForwardCursor(LocalDate.EPOCH, 0);
  }

  /** Bytes in the day files from {@code from} on (a gzipped day counts compressed). */
  static long bytesFrom(Path dir, ForwardCursor from) throws IOException {
    long total = 0;
    for (AuditDayFile day : AuditFiles.auditDays(dir)) {
      if (day.date().isBefore(from.day())) {
        continue;
      }
      long size = Files.size(day.path());
      total += day.date().equals(from.day()) ? Math.max(0, size - from.offset()) : size;
    }
    return total;
  }

  private void park(long nanos) {
    if (nanos > 0 && !stopping) {
      LockSupport.parkNanos(this, nanos);
    }
  }
}
