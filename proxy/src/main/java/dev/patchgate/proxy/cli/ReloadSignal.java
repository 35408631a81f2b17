package dev.patchgate.proxy.cli;

import dev.patchgate.proxy.PolicyReload;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP re-reads the allowlist at once: what {@code systemctl reload patchgate} sends ({@code
 * ExecReload=/bin/kill -HUP $MAINPID}). Without this handler the JVM treats SIGHUP like SIGTERM and
 * stops, which is the opposite of what an administrator who asks for a reload wants.
 *
 * <p>{@code sun.misc.Signal} (module {@code jdk.unsupported}) is the only way a Java 17 program can
 * take a signal; JEP 260 keeps it accessible for exactly this until a supported API replaces it.
 * The handler runs on a thread the JVM starts for each signal; the re-read waits for the allowlist
 * watcher's thread, so it is handed to a thread of its own, {@value #THREAD_NAME}. Signals that
 * come while a re-read is queued fold into it: the file is read once, after the last of them.
 *
 * <p>Where there is no SIGHUP (Windows) or the JVM keeps it for itself ({@code -Xrs}), installing
 * logs at debug and does nothing: the allowlist is still polled, an edit is in force within about a
 * second.
 */
final class ReloadSignal {
  static final String THREAD_NAME = "patchgate-reload";
  private static final String SIGNAL = "HUP";
  private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

  private ReloadSignal() {}

  /**
   * Makes SIGHUP call {@link PolicyReload#reloadNow} for {@code policy} from now on; returns
   * whether the handler is in place. Never throws.
   */
  static boolean install(PolicyReload policy) {
    // One thread, one queued re-read at most: a burst of signals costs one read of the file.
    ExecutorService reloads =
        new ThreadPoolExecutor(
            1,
            1,
            0,
            TimeUnit.NANOSECONDS,
            new LinkedBlockingQueue<>(1),
            task -> {
              Thread thread = new Thread(task, THREAD_NAME);
              thread.setDaemon(true);
              return thread;
            },
            new ThreadPoolExecutor.DiscardPolicy());
    SignalHandler previous;
    try {
      previous =
          Signal.handle(
              new Signal(SIGNAL), signal -> reloads.execute(() -> policy.reloadNow("SIGHUP")));
    } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
      // IllegalArgumentException: no such signal here, or the JVM uses it (-Xrs).
      LOG.debug(
          "no SIGHUP reload on this platform ({}); the allowlist is still polled", e.toString());
      reloads.shutdown();
      return false;
    }
    if (previous == SignalHandler.SIG_IGN) {
      // The JVM leaves a signal its parent ignored (nohup) ignored, and installs nothing.
      LOG.info(
          "SIGHUP is ignored in this process (started under nohup?), so it cannot reload the"
              + " allowlist; edits are still picked up within about a second");
      reloads.shutdown();
      return false;
    }
    return true;
  }
}
