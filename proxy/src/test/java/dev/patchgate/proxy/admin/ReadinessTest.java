package dev.patchgate.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class ReadinessTest {
  private final AtomicBoolean listening = new AtomicBoolean(true);
  private final AtomicBoolean auditHealthy = new AtomicBoolean(true);
  private final Readiness readiness =
      new Readiness(
          List.of(
              () -> listening.get() ? Optional.empty() : Optional.of("listener down"),
              () -> auditHealthy.get() ? Optional.empty() : Optional.of("audit down")));

  @Test
  void readyWhenNoCheckComplains() {
    assertThat(readiness.ready()).isTrue();
    assertThat(readiness.problems()).isEmpty();
  }

  @Test
  void everyProblemIsOneLineInTheOrderOfTheChecksAndEachIsReadAfresh() {
    listening.set(false);
    auditHealthy.set(false);

    assertThat(readiness.problems()).containsExactly("listener down", "audit down");
    assertThat(readiness.ready()).isFalse();

    listening.set(true);

    assertThat(readiness.problems()).containsExactly("audit down");
  }
}
