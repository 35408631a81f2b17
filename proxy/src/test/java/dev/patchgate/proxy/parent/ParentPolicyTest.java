package dev.patchgate.proxy.parent;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ParentPolicy}: order, failures in a row, skip and retry, on a clock the test sets. */
class ParentPolicyTest {
  private static final long RETRY = TimeUnit.SECONDS.toNanos(30);

  private final ParentPolicy policy = new ParentPolicy(3, 3, RETRY);
  private long now = 1_000;

  @Test
  void parentsAreTriedInTheConfiguredOrder() {
    assertThat(policy.order(now)).containsExactly(0, 1, 2);
  }

  @Test
  void aParentIsSkippedOnlyAfterConnectFailLimitFailuresInARow() {
    assertThat(policy.failed(0, now)).isFalse();
    assertThat(policy.failed(0, now)).isFalse();
    assertThat(policy.order(now)).containsExactly(0, 1, 2);

    assertThat(policy.failed(0, now)).as("the third failure in a row").isTrue();

    assertThat(policy.order(now)).containsExactly(1, 2);
    assertThat(policy.skipped(0, now)).isTrue();
  }

  @Test
  void aSuccessfulConnectionStartsTheCountAgain() {
    policy.failed(1, now);
    policy.failed(1, now);
    policy.connected(1);
    policy.failed(1, now);
    policy.failed(1, now);

    assertThat(policy.order(now)).containsExactly(0, 1, 2);
  }

  @Test
  void aSkippedParentIsTriedAgainWhenParentRetryHasPassed() {
    skip(0);

    now += RETRY - 1;
    assertThat(policy.order(now)).containsExactly(1, 2);
    now += 1;
    assertThat(policy.order(now)).containsExactly(0, 1, 2);
    assertThat(policy.skipped(0, now)).isFalse();
  }

  @Test
  void aParentTriedAgainThatFailsOnceMoreIsSkippedForAnotherPeriodAtOnce() {
    skip(0);
    now += RETRY;

    assertThat(policy.failed(0, now)).as("one failure is enough after a skip").isTrue();
    assertThat(policy.order(now)).containsExactly(1, 2);
    now += RETRY;
    assertThat(policy.order(now)).containsExactly(0, 1, 2);
  }

  @Test
  void aParentTriedAgainThatConnectsIsUpForTheFullLimitAgain() {
    skip(0);
    now += RETRY;
    policy.connected(0);

    assertThat(policy.failed(0, now)).isFalse();
    assertThat(policy.failed(0, now)).isFalse();
    assertThat(policy.order(now)).containsExactly(0, 1, 2);
  }

  @Test
  void failuresOfConnectionsBegunBeforeASkipDoNotLengthenIt() {
    skip(0);
    long until = now + RETRY;
    now += RETRY / 2;

    assertThat(policy.failed(0, now)).isFalse();
    assertThat(policy.skipped(0, until - 1)).isTrue();
    assertThat(policy.skipped(0, until)).isFalse();
  }

  @Test
  void aConnectionMadeDuringASkipEndsItAndTheNextLimitStartsAFullOne() {
    skip(0);
    now += RETRY / 2;
    policy.connected(0); // a connection begun before the skip, made during it

    assertThat(policy.order(now)).containsExactly(0, 1, 2);
    now += 1;
    assertThat(policy.failed(0, now)).isFalse();
    assertThat(policy.failed(0, now)).isFalse();
    assertThat(policy.failed(0, now)).as("a new skip, not the rest of the old one").isTrue();
    assertThat(policy.skipped(0, now + RETRY - 1)).isTrue();
    assertThat(policy.skipped(0, now + RETRY)).isFalse();
  }

  @Test
  void withEveryParentSkippedThereIsNothingToTry() {
    for (int i = 0; i < 3; i++) {
      skip(i);
    }

    assertThat(policy.order(now)).isEqualTo(List.of());
  }

  @Test
  void theClockMayStartNegativeAndWrap() {
    now = Long.MAX_VALUE - RETRY / 2;
    skip(2);

    now += RETRY; // overflows, as System.nanoTime may
    assertThat(policy.order(now)).containsExactly(0, 1, 2);
  }

  private void skip(int parent) {
    for (int i = 0; i < 3; i++) {
      policy.failed(parent, now);
    }
    assertThat(policy.skipped(parent, now)).isTrue();
  }
}
