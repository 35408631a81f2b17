package dev.patchgate.allowlist;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Keeps an {@link Allowlist} in step with its file: a valid edit replaces the policy, an invalid
 * one is reported to the {@link Listener} and the previous policy keeps answering.
 *
 * <p>The file is polled rather than watched with {@link java.nio.file.WatchService}, because the
 * ways administrators and their tools change it are ones an inotify watch misses or half-sees:
 * editors save by writing a new file and renaming it over the old one, so the watched inode is
 * gone; configuration management and Kubernetes ConfigMaps swap a symlink (or a symlinked
 * directory), so the path resolves to another file with no event on either; network file systems
 * send no events at all. Looking at one file's attributes every half second costs nothing.
 *
 * <p>Each poll compares the file's stamp (size, modification time, change time where the platform
 * has one, and file key: device and inode), taken after following symlinks, with the previous one.
 * Only when it differs is the file read and its SHA-256 compared with that of the content last
 * acted on. So touching or re-saving the file does not reload it, and content that was rejected is
 * reported once, not once a poll. A new stamp must be seen by two polls in a row before the file is
 * read, so a file caught half-written (truncated, then written, by an editor saving in place) or
 * briefly missing (deleted, then created) is neither loaded nor reported; a valid edit takes effect
 * within two poll intervals. A stamp whose modification time is less than {@link #RACY} old is not
 * trusted, and the content is hashed on every poll until it is older: a second write within the
 * same timestamp tick that keeps the size would otherwise go unseen (git calls this "racy clean").
 *
 * <p>File times are wall-clock times, so the racy check compares them with the wall clock the
 * watcher is given ({@link Clock#systemUTC()} unless a caller passes its own).
 *
 * <p>One daemon thread, named {@value #THREAD_NAME}, does every check and runs every callback, so
 * callbacks never overlap. {@link #current} may be read from any thread. Failures are never thrown
 * at the caller: a bad file is a {@link Listener#rejected} call, and a listener that throws is
 * logged through {@link System.Logger} and the watcher carries on.
 */
public final class AllowlistWatcher implements AutoCloseable {
  /** The name of the watcher's thread, as thread dumps show it. */
  static final String THREAD_NAME = "patchgate-allowlist-watch";

  /** How old a modification time must be before an unchanged stamp is taken to mean unchanged. */
  static final Duration RACY = Duration.ofSeconds(2);

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
  private static final String UNREADABLE = "unreadable";
  private static final String UNIX_STAMP = "unix:size,lastModifiedTime,ctime,dev,ino";
  private static final System.Logger LOG = System.getLogger(AllowlistWatcher.class.getName());

  /**
   * Told about every change of the file's content. Callbacks run on the watcher's thread, one at a
   * time; a throwing listener is logged, never kills the watcher.
   */
  public interface Listener {
    /**
     * The file changed and is valid; {@link #current} already returns {@code next}.
     *
     * @param previous the policy that answered until now
     * @param next the policy that answers from now on
     */
    void reloaded(Allowlist previous, Allowlist next);

    /**
     * The file changed and cannot be used (invalid, unreadable, or gone); {@link #current} is
     * unchanged. Called once per distinct content, not once per poll.
     *
     * @param problems every problem, each with file and line (line 0 for the whole file)
     */
    void rejected(AllowlistException problems);
  }

  private final Path file;
  private final Listener listener;
  private final Clock clock;
  private final boolean unixStamps;
  private final ScheduledThreadPoolExecutor executor;
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Allowlist current;
  private volatile Thread thread;

  // Written by start() before the first task is scheduled, then only on the watcher's thread.
  private FileStamp lastStamp;
  private String lastContent;

  /** A changed stamp seen by one poll, waiting for the next to see it too; null when none. */
  private FileStamp pendingStamp;

  private AllowlistWatcher(Path file, Allowlist initial, Listener listener, Clock clock) {
    this.file = file;
    this.current = initial;
    this.listener = listener;
    this.clock = clock;
    this.unixStamps = file.getFileSystem().supportedFileAttributeViews().contains("unix");
    this.executor = new ScheduledThreadPoolExecutor(1, this::newThread);
  }

  /**
   * Starts watching a file.
   *
   * <p>The file as it is now is taken to be what {@code initial} was loaded from, so load {@code
   * initial} from {@code file} just before: an edit in between is noticed only when the file
   * changes again.
   *
   * @param file the allowlist file; it may be a symlink, and may be missing for a while
   * @param initial the policy that answers until the file changes
   * @param pollInterval how often to look at the file; an edit takes effect within two intervals
   *     (the proxy uses 500 ms); zero: never by itself, only when {@link #checkNow} is called
   * @param listener told about every change
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code pollInterval} is negative
   */
  public static AllowlistWatcher start(
      Path file, Allowlist initial, Duration pollInterval, Listener listener) {
    return start(file, initial, pollInterval, listener, Clock.systemUTC());
  }

  /**
   * Starts watching a file, comparing file times with {@code clock}; see {@link #start(Path,
   * Allowlist, Duration, Listener)}.
   *
   * @param clock the wall clock that tells whether a modification time is too recent to trust
   * @throws NullPointerException if any argument is null
   * @throws IllegalArgumentException if {@code pollInterval} is negative
   */
  public static AllowlistWatcher start(
      Path file, Allowlist initial, Duration pollInterval, Listener listener, Clock clock) {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(initial, "initial");
    Objects.requireNonNull(pollInterval, "pollInterval");
    Objects.requireNonNull(listener, "listener");
    Objects.requireNonNull(clock, "clock");
    if (pollInterval.isNegative()) {
      throw new IllegalArgumentException("pollInterval must not be negative: " + pollInterval);
    }
    AllowlistWatcher watcher = new AllowlistWatcher(file, initial, listener, clock);
    watcher.lastStamp = watcher.stamp();
    watcher.lastContent = watcher.contentKey();
    long nanos = pollInterval.toNanos();
    if (nanos > 0) {
      watcher.executor.scheduleWithFixedDelay(
          () -> watcher.checkGuarded(true), nanos, nanos, TimeUnit.NANOSECONDS);
    }
    return watcher;
  }

  /** The policy in force: the last valid content of the file, or the initial one. Never null. */
  public Allowlist current() {
    return current;
  }

  /**
   * Checks the file now, on the watcher's thread, and returns when the check and its callbacks are
   * done: for tests, and for a reload signal. Unlike a poll, it acts on a changed file at once,
   * without waiting for a second look. Does nothing once closed, and returns early (with the
   * interrupt flag set) if the calling thread is interrupted.
   */
  public void checkNow() {
    if (closed.get()) {
      return;
    }
    if (Thread.currentThread() == thread) {
      checkGuarded(false); // called from a listener: waiting for our own thread would never end
      return;
    }
    Future<?> done;
    try {
      done = executor.submit(() -> checkGuarded(false));
    } catch (RejectedExecutionException e) {
      return; // closed meanwhile
    }
    try {
      done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (CancellationException e) {
      // closed meanwhile
    } catch (ExecutionException e) {
      throw new IllegalStateException("allowlist check failed", e.getCause());
    }
  }

  /**
   * Stops watching; {@link #current} keeps returning the last policy. Waits up to a few seconds for
   * a check in progress to end and the thread to exit (not when called from a listener).
   * Idempotent.
   */
  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    for (Runnable queued : executor.shutdownNow()) {
      if (queued instanceof Future<?> future) {
        future.cancel(false); // so a checkNow() waiting on it returns
      }
    }
    if (Thread.currentThread() == thread) {
      return;
    }
    try {
      executor.awaitTermination(CLOSE_WAIT.toNanos(), TimeUnit.NANOSECONDS);
      // The executor reports termination while its thread is still on the way out.
      Thread last = thread;
      if (last != null) {
        last.join(CLOSE_WAIT.toMillis());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** One check that never throws, so the schedule survives anything but a dying JVM. */
  private void checkGuarded(boolean settle) {
    try {
      check(settle);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.log(Level.ERROR, "allowlist watcher: check of " + file + " failed; will retry", e);
    }
  }

  /**
   * One look at the file.
   *
   * @param settle true to act on a changed stamp only once a second look sees the same stamp
   */
  private void check(boolean settle) {
    if (closed.get()) {
      return;
    }
    FileStamp stamp = stamp();
    boolean changed = !Objects.equals(stamp, lastStamp);
    if (!changed && !stamp.isRacy(clock.instant())) {
      return;
    }
    if (changed && settle && !Objects.equals(stamp, pendingStamp)) {
      pendingStamp = stamp;
      return;
    }
    pendingStamp = null;
    lastStamp = stamp;
    // Hash before loading: if the file changes between the two reads, the digest kept is the
    // older one, so the next poll reloads. The other order could keep a digest of content never
    // loaded and miss it for good.
    String content = contentKey();
    if (content.equals(lastContent)) {
      return;
    }
    lastContent = content;
    Allowlist next;
    try {
      next = Allowlist.load(file);
    } catch (AllowlistException e) {
      if (!closed.get()) {
        notifyRejected(e);
      }
      return;
    } catch (RuntimeException e) {
      // Allowlist.load promises an AllowlistException for any bad content; if a bug breaks that
      // promise, the administrator still sees a rejection and the previous policy stays.
      LOG.log(Level.ERROR, "allowlist watcher: loading " + file + " failed unexpectedly", e);
      notifyRejected(
          new AllowlistException(
              List.of(new Problem(file.toString(), 0, "internal error while reading: " + e))));
      return;
    }
    if (closed.get()) {
      return;
    }
    Allowlist previous = current;
    current = next;
    notifyReloaded(previous, next);
  }

  private void notifyReloaded(Allowlist previous, Allowlist next) {
    try {
      listener.reloaded(previous, next);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.log(Level.ERROR, "allowlist watcher: listener failed on reload of " + file, e);
    }
  }

  private void notifyRejected(AllowlistException problems) {
    try {
      listener.rejected(problems);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      LOG.log(Level.ERROR, "allowlist watcher: listener failed on rejection of " + file, e);
    }
  }

  /** The file's stamp after following symlinks, or {@link FileStamp#MISSING}. */
  private FileStamp stamp() {
    try {
      if (unixStamps) {
        // One stat for all five; ctime also changes on chmod and on writes that restore mtime.
        Map<String, Object> a = Files.readAttributes(file, UNIX_STAMP);
        return new FileStamp(
            (Long) a.get("size"),
            (FileTime) a.get("lastModifiedTime"),
            a.get("ctime"),
            List.of(a.get("dev"), a.get("ino")));
      }
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return new FileStamp(a.size(), a.lastModifiedTime(), null, a.fileKey());
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return FileStamp.MISSING;
    }
  }

  /** The SHA-256 of the file's bytes in hex, or {@link #UNREADABLE}. */
  private String contentKey() {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      return UNREADABLE;
    }
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java platform must support SHA-256", e);
    }
  }

  private Thread newThread(Runnable task) {
    Thread created = new Thread(task, THREAD_NAME);
    created.setDaemon(true);
    thread = created;
    return created;
  }

  /**
   * What a poll compares. {@code changed} (ctime) is null where the platform has none, {@code key}
   * may be null where the file system has no file keys.
   */
  record FileStamp(long size, FileTime modified, Object changed, Object key) {
    /** A file that is gone or whose attributes cannot be read. */
    static final FileStamp MISSING = new FileStamp(-1, FileTime.fromMillis(0), null, null);

    /** Whether the modification time is less than {@link #RACY} before {@code now}. */
    boolean isRacy(Instant now) {
      return modified.toInstant().isAfter(now.minus(RACY));
    }
  }
}
