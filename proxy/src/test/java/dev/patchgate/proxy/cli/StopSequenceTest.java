package dev.patchgate.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class StopSequenceTest {
  private final List<String> ran = new CopyOnWriteArrayList<>();

  @Test
  void stepsRunInTheOrderGiven() {
    boolean clean =
        new StopSequence()
            .then("first", Duration.ofSeconds(5), () -> ran.add("first"))
            .then("second", Duration.ofSeconds(5), () -> ran.add("second"))
            .run();

    assertThat(clean).isTrue();
    assertThat(ran).containsExactly("first", "second");
  }

  @Test
  void aStepThatOverrunsItsLimitIsLeftBehindAndTheNextStepStillRuns() {
    CountDownLatch never = new CountDownLatch(1);
    try {
      boolean clean =
          new StopSequence()
              .then(
                  "stuck",
                  Duration.ofMillis(100),
                  () -> {
                    ran.add("stuck");
                    awaitUninterruptibly(never);
                  })
              .then("audit log", Duration.ofSeconds(5), () -> ran.add("audit log"))
              .run();

      assertThat(clean).isFalse();
      assertThat(ran).containsExactly("stuck", "audit log");
    } finally {
      never.countDown();
    }
  }

  @Test
  void aStepThatThrowsDoesNotKeepTheNextFromRunning() {
    boolean clean =
        new StopSequence()
            .then(
                "broken",
                Duration.ofSeconds(5),
                () -> {
                  throw new IllegalStateException("broken on purpose");
                })
            .then("audit log", Duration.ofSeconds(5), () -> ran.add("audit log"))
            .run();

    assertThat(clean).isFalse();
    assertThat(ran).containsExactly("audit log");
  }

  @Test
  void theHookCountsTheLatchDownWhenTheStepsAreDone() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    Thread hook =
        new StopSequence().then("only", Duration.ofSeconds(5), () -> ran.add("only")).hook(stopped);

    hook.start();
    hook.join(10_000);

    assertThat(stopped.getCount()).isZero();
    assertThat(ran).containsExactly("only");
    assertThat(hook.getName()).isEqualTo("patchgate-shutdown");
  }

  private static void awaitUninterruptibly(CountDownLatch latch) {
    while (true) {
      try {
        latch.await();
        return;
      } catch (InterruptedException e) {
        // a stop step that ignores interrupts, as a hung write does
      }
    }
  }
}
