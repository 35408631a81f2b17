package dev.patchgate.proxy.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The shutdown hook of {@code patchgate run}: closes the gateway's parts in order, each within a
 * time limit of its own, and logs how long the stop took.
 *
 * <p>systemd kills a service that has not stopped {@code TimeoutStopSec} (30 s in the shipped unit)
 * after SIGTERM, and a kill loses what the audit writer still holds. Each part bounds its own close
 * (the audit writer gives a failing disk 5 s, the alert channels an unreachable webhook 5 s), but
 * some bounds add up to more than a stop may take (LittleProxy waits 10 s for its channels, then
 * the gateway 10 s for its event loops), and a part may hang where it has no bound (a hung file
 * system). One part must not take the others' time: a step that overruns its limit is left running
 * on its daemon thread, logged by name with where it is stuck, and the next step starts. So the
 * audit log is still closed, with its stop marker, after a gateway that would not stop; records
 * that arrive after it are counted as dropped. The whole stop takes at most the sum of the limits,
 * which {@code run} keeps well under 30 s.
 *
 * <p>Steps run one at a time, in the order given, each on a thread named {@code
 * patchgate-stop-<step>}; a step that throws is logged and the next one runs.
 */
final class StopSequence {
  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate");

  private record Step(String name, Duration limit, Runnable action) {}

  private final List<Step> steps = new ArrayList<>();

  /** Adds a step that is given at most {@code limit} before the sequence moves on. */
  StopSequence then(String name, Duration limit, Runnable action) {
    steps.add(new Step(name, limit, action));
    return this;
  }

  /** A shutdown hook that runs the steps and then counts {@code stopped} down. */
  Thread hook(CountDownLatch stopped) {
    return new Thread(
        () -> {
          try {
            run();
          } finally {
            stopped.countDown();
          }
        },
        "patchgate-shutdown");
  }

  /** Runs the steps; returns whether every one finished in time without throwing. */
  boolean run() {
    long start = System.nanoTime();
    List<String> unfinished = new ArrayList<>();
    for (Step step : steps) {
      if (!runStep(step)) {
        unfinished.add(step.name());
      }
    }
    String took = seconds(System.nanoTime() - start);
    if (unfinished.isEmpty()) {
      LOG.info("patchgate stopped in {} s; audit log flushed", took);
      return true;
    }
    LOG.warn(
        "patchgate stopped in {} s; did not finish cleanly: {}",
        took,
        String.join(", ", unfinished));
    return false;
  }

  private static boolean runStep(Step step) {
    Throwable[] failure = new Throwable[1];
    Thread thread =
        new Thread(
            () -> {
              try {
                step.action().run();
              } catch (RuntimeException | Error e) {
                failure[0] = e;
              }
            },
            "patchgate-stop-" + step.name().replace(' ', '-'));
    thread.setDaemon(true); // one that overruns must not keep the JVM alive
    thread.start();
    try {
      thread.join(Math.max(1, step.limit().toMillis()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (thread.isAlive()) {
      LOG.error(
          "stopping the {} takes longer than {} s; going on without it. It is at: {}",
          step.name(),
          seconds(step.limit().toNanos()),
          where(thread));
      return false;
    }
    // join() orders the step's writes before this read.
    if (failure[0] != null) {
      LOG.error("stopping the {} failed", step.name(), failure[0]);
      return false;
    }
    return true;
  }

  /** The top of a thread's stack, for the log: enough to tell which wait it is stuck in. */
  private static String where(Thread thread) {
    return Arrays.stream(thread.getStackTrace())
        .limit(8)
        .map(StackTraceElement::toString)
        .collect(Collectors.joining(" < "));
  }

  private static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f", nanos / 1e9);
  }
}
