package dev.patchgate.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.proxy.FakeClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestsPerMinuteTest {
  private static final Instant T0 = Instant.parse("2026-11-23T14:05:20Z");

  private final FakeClock clock = new FakeClock(T0);
  private final RequestsPerMinute ring = new RequestsPerMinute(clock);

  @Test
  void anEmptyHourIsSixtyQuietMinutesEndingWithTheCurrentOne() {
    List<RequestsPerMinute.Minute> hour = ring.lastHour();

    assertThat(hour).hasSize(60);
    assertThat(hour).allMatch(m -> m.total() == 0);
    assertThat(hour.get(59).minute()).isEqualTo(Instant.parse("2026-11-23T14:05:00Z"));
    assertThat(hour.get(0).minute()).isEqualTo(Instant.parse("2026-11-23T13:06:00Z"));
  }

  @Test
  void requestsCountInTheirMinuteByDecision() {
    ring.count(AuditDecision.ALLOW, 3);
    ring.count(AuditDecision.DENY, 1);
    ring.count(AuditDecision.DENY, 500);
    clock.set(T0.plusSeconds(60));
    ring.count(AuditDecision.ERROR, 1);

    List<RequestsPerMinute.Minute> hour = ring.lastHour();

    assertThat(hour.get(58)).isEqualTo(new RequestsPerMinute.Minute(minute("14:05"), 3, 501, 0));
    assertThat(hour.get(59)).isEqualTo(new RequestsPerMinute.Minute(minute("14:06"), 0, 0, 1));
  }

  @Test
  void aMinuteOlderThanAnHourIsForgottenWhenTheRingWrapsOverIt() {
    ring.count(AuditDecision.ALLOW, 7);
    clock.set(T0.plus(Duration.ofMinutes(59)));
    assertThat(ring.lastHour().get(0).allow()).isEqualTo(7);

    clock.set(T0.plus(Duration.ofMinutes(60)));
    assertThat(ring.lastHour()).allMatch(m -> m.total() == 0);

    // The same slot, a new minute: counted from zero, not on top of the old one.
    ring.count(AuditDecision.ALLOW, 2);
    assertThat(ring.lastHour().get(59).allow()).isEqualTo(2);
  }

  @Test
  void aClockSteppingBackDoesNotCountIntoANewerMinutesSlot() {
    clock.set(T0.plus(Duration.ofMinutes(60)));
    ring.count(AuditDecision.ALLOW, 4);
    clock.set(T0);
    ring.count(AuditDecision.ALLOW, 1);
    clock.set(T0.plus(Duration.ofMinutes(60)));

    assertThat(ring.lastHour().get(59).allow()).isEqualTo(4);
  }

  private static Instant minute(String hhmm) {
    return Instant.parse("2026-11-23T" + hhmm + ":00Z");
  }
}
