package dev.patchgate.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.RequestRate;
import java.net.InetAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The per-client token bucket, on a ticker the test moves. */
class ClientRateLimiterTest {
  private static final long SECOND = 1_000_000_000L;
  private static final InetAddress PC = address("10.10.1.5");
  private static final InetAddress OTHER_PC = address("10.10.1.6");

  private final AtomicLong nanos = new AtomicLong(123 * SECOND);
  private final ClientRateLimiter limiter = new ClientRateLimiter(nanos::get, 1000);

  @Test
  void aBurstIsAdmittedAtOnceAndTheNextRequestMustWaitOneInterval() {
    RequestRate rate = new RequestRate(10, 5);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.acquire(PC, rate)).as("request %d", i).isZero();
    }

    assertThat(limiter.acquire(PC, rate)).isEqualTo(SECOND / 10);
    assertThat(limiter.acquire(OTHER_PC, rate)).as("each client has its own bucket").isZero();
  }

  @Test
  void tokensComeBackAtTheRateUpToTheBurst() {
    RequestRate rate = new RequestRate(2, 4);
    drain(rate);

    nanos.addAndGet(SECOND); // two tokens
    assertThat(limiter.acquire(PC, rate)).isZero();
    assertThat(limiter.acquire(PC, rate)).isZero();
    assertThat(limiter.acquire(PC, rate)).isPositive();

    nanos.addAndGet(60 * SECOND); // long idle: the bucket holds the burst, no more
    for (int i = 0; i < 4; i++) {
      assertThat(limiter.acquire(PC, rate)).isZero();
    }
    assertThat(limiter.acquire(PC, rate)).isPositive();
  }

  @Test
  void aSustainedRateIsHeldInTheLongRun() {
    RequestRate rate = new RequestRate(20, 200);
    long admitted = 0;
    // 100 requests every 100 ms for 60 s: 1,000 a second offered.
    for (int tick = 0; tick < 600; tick++) {
      for (int i = 0; i < 100; i++) {
        if (limiter.acquire(PC, rate) == 0) {
          admitted++;
        }
      }
      nanos.addAndGet(SECOND / 10);
    }
    // The burst, then 20 a second for the 59.9 s after the first tick.
    assertThat(admitted).isBetween(200L + 20 * 59, 200L + 20 * 60 + 1);
  }

  @Test
  void retryAfterIsTheWholeSecondsUntilATokenRoundedUp() {
    RequestRate rate = new RequestRate(1, 3);
    drain(rate);

    long wait = limiter.acquire(PC, rate);
    assertThat(wait).isEqualTo(SECOND);
    assertThat(ClientRateLimiter.retryAfterSeconds(wait)).isEqualTo(1);
    assertThat(ClientRateLimiter.retryAfterSeconds(1)).isEqualTo(1);
    assertThat(ClientRateLimiter.retryAfterSeconds(SECOND + 1)).isEqualTo(2);

    nanos.addAndGet(SECOND / 2);
    assertThat(ClientRateLimiter.retryAfterSeconds(limiter.acquire(PC, rate))).isEqualTo(1);
    assertThat(limiter.acquire(PC, rate)).isEqualTo(SECOND / 2);
  }

  @Test
  void aRefusedRequestTakesNoToken() {
    RequestRate rate = new RequestRate(1, 1);
    drain(rate);
    for (int i = 0; i < 100; i++) {
      assertThat(limiter.acquire(PC, rate)).isPositive();
    }

    nanos.addAndGet(SECOND);
    assertThat(limiter.acquire(PC, rate)).isZero();
  }

  @Test
  void rateZeroIsUnlimitedAndKeepsNoBucket() {
    for (int i = 0; i < 10_000; i++) {
      assertThat(limiter.acquire(PC, RequestRate.UNLIMITED)).isZero();
    }
    assertThat(limiter.trackedClients()).isZero();
  }

  @Test
  void aSweepDropsTheBucketsOfClientsGoneQuietAndKeepsTheBusyOnes() {
    RequestRate rate = new RequestRate(10, 10);
    limiter.acquire(OTHER_PC, rate);
    drain(rate);

    nanos.addAndGet(SECOND / 5);
    limiter.sweep();
    assertThat(limiter.trackedClients()).as("OTHER_PC's bucket is full again").isEqualTo(1);

    nanos.addAndGet(SECOND);
    limiter.sweep();
    assertThat(limiter.trackedClients()).isZero();
  }

  @Test
  void beyondMaxClientsNewClientsAreAdmittedUntrackedAndCounted() {
    ClientRateLimiter small = new ClientRateLimiter(nanos::get, 2);
    RequestRate rate = new RequestRate(1, 1);
    small.acquire(address("10.0.0.1"), rate);
    small.acquire(address("10.0.0.2"), rate);

    assertThat(small.acquire(address("10.0.0.3"), rate)).isZero();
    assertThat(small.acquire(address("10.0.0.3"), rate)).isZero();
    assertThat(small.trackedClients()).isEqualTo(2);
    assertThat(small.untracked()).isEqualTo(2);
  }

  @Test
  void aLowerRateAfterAReloadAppliesAtOnce() {
    limiter.acquire(PC, new RequestRate(100, 100));

    assertThat(limiter.acquire(PC, new RequestRate(1, 1))).isPositive();
  }

  private void drain(RequestRate rate) {
    while (limiter.acquire(PC, rate) == 0) {
      // take every token there is
    }
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
