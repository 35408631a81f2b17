package dev.patchgate.proxy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.AllowlistException;
import dev.patchgate.allowlist.AllowlistWatcher;
import dev.patchgate.allowlist.Problem;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force, kept in step with the allowlist file. A valid edit takes over (and the
 * gateway closes tunnels it no longer allows); an invalid one is logged with every problem,
 * counted, and otherwise ignored, so that the previous policy keeps answering.
 *
 * <p>{@link #get} is what the request path asks, from any thread; the watcher's callbacks run on
 * its own thread. {@link #reloadNow} (SIGHUP) reads the file at once, on that same thread, so a
 * signal and a poll never apply one edit twice: whichever looks first acts, the other sees the
 * content it already acted on.
 *
 * <p>Public for the command line and the end-to-end tests.
 */
public final class PolicyReload implements Supplier<Allowlist>, AutoCloseable {
  static final String RELOADS = "patchgate.allowlist.reloads";
  static final String VALID = "patchgate.allowlist.valid";
  private static final Logger LOG = LoggerFactory.getLogger(PolicyReload.class);

  private final Counter applied;
  private final Counter rejected;
  private final AtomicInteger valid = new AtomicInteger(1);
  private final AllowlistWatcher watcher;
  private final Path file;
  private volatile Gateway gateway;

  /**
   * Why the file is being read while {@link #reloadNow} waits for its check ("SIGHUP"), else null.
   * A poll that happens to run in that window acts for the request: it, too, read the file after
   * the request came.
   */
  private volatile String requestedBy;

  /**
   * Whether the watcher's callbacks said anything during the check {@link #reloadNow} asked for.
   */
  private volatile boolean reported;

  /** The problems of the file's content while it is rejected, else null. */
  private volatile AllowlistException rejection;

  private volatile boolean closed;

  /** When the policy in force was read: at the start, then at each reload taken over. */
  private volatile Instant loaded = Instant.now();

  private PolicyReload(Path file, Allowlist initial, Duration poll, MeterRegistry registry) {
    this.file = file;
    this.applied =
        Counter.builder(RELOADS)
            .description("Allowlist edits taken over (ok) or refused (rejected)")
            .tag("result", "ok")
            .register(registry);
    this.rejected = Counter.builder(RELOADS).tag("result", "rejected").register(registry);
    Gauge.builder(VALID, valid, AtomicInteger::get)
        .description("1 while the allowlist file is the policy in force; 0 after a rejected edit")
        .register(registry);
    this.watcher = AllowlistWatcher.start(file, initial, poll, new Listener());
  }

  /** Starts watching {@code file}, whose contents are {@code initial}. */
  public static PolicyReload watch(
      Path file, Allowlist initial, Duration poll, MeterRegistry registry) {
    return new PolicyReload(file, initial, poll, registry);
  }

  /** From now on, policy changes reach {@code started} (to close tunnels they no longer allow). */
  void gatewayStarted(Gateway started) {
    gateway = started;
  }

  /** The allowlist file watched. */
  public Path file() {
    return file;
  }

  /** False after an edit was rejected, until the file is valid again (the old policy answers). */
  public boolean valid() {
    return valid.get() == 1;
  }

  /** When the policy in force was read from the file (the start, or the last reload). */
  public Instant loaded() {
    return loaded;
  }

  /** While an edit is rejected, its problems (file, line, fix), one a line; else empty. */
  public List<String> problems() {
    AllowlistException now = rejection;
    return now == null ? List.of() : now.problems().stream().map(Problem::toString).toList();
  }

  @Override
  public Allowlist get() {
    return watcher.current();
  }

  /**
   * Reads the allowlist file now, as it is (a changed file is not given the poll's second look: the
   * administrator asks after saving), and logs one line of what came of it: reloaded, rejected
   * (with every problem, the previous policy staying in force), or unchanged. Blocks until the
   * check is done, so call it off a signal's thread. Calls are served one at a time; does nothing
   * once closed.
   *
   * @param why what asked, for the log ("SIGHUP")
   */
  public synchronized void reloadNow(String why) {
    if (closed) {
      return;
    }
    reported = false;
    requestedBy = why;
    try {
      watcher.checkNow();
    } finally {
      requestedBy = null;
    }
    if (reported || closed) {
      return;
    }
    AllowlistException stillRejected = rejection;
    if (stillRejected == null) {
      LOG.info("allowlist re-read on {}: unchanged ({})", why, entries(get()));
    } else {
      LOG.error(
          "allowlist re-read on {}: unchanged, still rejected; the previous allowlist ({}) stays"
              + " in force until the file is fixed:\n{}",
          why,
          entries(get()),
          problems(stillRejected));
    }
  }

  @Override
  public void close() {
    closed = true;
    watcher.close();
  }

  private final class Listener implements AllowlistWatcher.Listener {
    @Override
    public void reloaded(Allowlist previous, Allowlist next) {
      applied.increment();
      loaded = Instant.now();
      valid.set(1);
      rejection = null;
      String why = requestedBy;
      if (why == null) {
        LOG.info("allowlist reloaded: {} (was {})", entries(next), entries(previous));
      } else {
        reported = true;
        LOG.info(
            "allowlist re-read on {}: reloaded, {} (was {})",
            why,
            entries(next),
            entries(previous));
      }
      Gateway running = gateway;
      if (running != null) {
        running.policyChanged(next);
      }
    }

    @Override
    public void rejected(AllowlistException problems) {
      rejected.increment();
      valid.set(0);
      rejection = problems;
      String why = requestedBy;
      if (why == null) {
        LOG.error(
            "allowlist edit rejected; the previous allowlist stays in force until the file is"
                + " fixed:\n{}",
            problems(problems));
      } else {
        reported = true;
        LOG.error(
            "allowlist re-read on {}: rejected; the previous allowlist ({}) stays in force until"
                + " the file is fixed:\n{}",
            why,
            entries(watcher.current()),
            problems(problems));
      }
    }
  }

  private static String problems(AllowlistException rejected) {
    return rejected.problems().stream().map(Problem::toString).collect(Collectors.joining("\n"));
  }

  /** "1 entry", "12 entries": how the log and the command line count an allowlist. */
  public static String entries(Allowlist allowlist) {
    return allowlist.size() + (allowlist.size() == 1 ? " entry" : " entries");
  }
}
