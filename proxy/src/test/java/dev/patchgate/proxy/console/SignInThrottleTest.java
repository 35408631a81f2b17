package dev.patchgate.proxy.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SignInThrottleTest {
  private long now = 1_000_000_000L;
  private final SignInThrottle throttle = new SignInThrottle(() -> now);

  @Test
  void theFifthFailureForANameStartsTheRefusalsUntilTheOldestLeavesTheWindow() {
    for (int i = 1; i < SignInThrottle.LIMIT; i++) {
      assertThat(throttle.failed("alice", "10.0.0." + i)).as("failure %d", i).isEmpty();
      advance(Duration.ofMinutes(1));
    }
    assertThat(throttle.failed("alice", "10.0.0.9")).contains(SignInThrottle.reason("user name"));
    assertThat(throttle.refusal("alice", "10.0.0.10")).isPresent();
    assertThat(throttle.refusal("bob", "10.0.0.10")).isEmpty();

    // The first failure was 4 minutes before the fifth: 11 more minutes and it is out.
    advance(Duration.ofMinutes(11));

    assertThat(throttle.refusal("alice", "10.0.0.10")).isEmpty();
  }

  @Test
  void oneAddressTryingManyNamesIsRefusedToo() {
    for (int i = 1; i <= SignInThrottle.LIMIT; i++) {
      throttle.failed("user" + i, "192.0.2.7");
    }

    assertThat(throttle.refusal("someone-else", "192.0.2.7"))
        .contains(SignInThrottle.reason("address"));
    assertThat(throttle.refusal("someone-else", "192.0.2.8")).isEmpty();
  }

  @Test
  void memoryStaysBoundedUnderManyNames() {
    for (int i = 0; i < SignInThrottle.MAX_KEYS * 2; i++) {
      throttle.failed("name" + i, "198.51.100.1");
      now++;
    }

    assertThat(throttle.tracked()).isLessThanOrEqualTo(SignInThrottle.MAX_KEYS + 1);
    // The least recently failed go: the address that keeps failing is still refused.
    assertThat(throttle.refusal("fresh", "198.51.100.1"))
        .contains(SignInThrottle.reason("address"));
  }

  private void advance(Duration d) {
    now += d.toNanos();
  }
}
