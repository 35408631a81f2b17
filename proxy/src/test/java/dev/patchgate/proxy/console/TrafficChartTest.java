package dev.patchgate.proxy.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.proxy.FakeClock;
import dev.patchgate.proxy.exchange.RequestsPerMinute;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TrafficChartTest {
  private static final Instant T0 = Instant.parse("2026-11-23T13:06:30Z");
  private static final int FLOOR = TrafficChart.HEIGHT - TrafficChart.BOTTOM;

  private final FakeClock clock = new FakeClock(T0);
  private final RequestsPerMinute ring = new RequestsPerMinute(clock);

  @Test
  void anEmptyHourIsFlatLinesOnTheFloorAndSaysSo() {
    clock.set(T0.plus(Duration.ofMinutes(59)));

    TrafficChart chart = TrafficChart.of(ring.lastHour());

    assertThat(chart.max()).isEqualTo(1);
    assertThat(chart.allow().split(" ")).hasSize(60).allMatch(p -> p.endsWith("," + FLOOR + ".0"));
    assertThat(chart.summary())
        .isEqualTo("last 60 minutes: 0 allowed, 0 denied, 0 errors; no requests");
    assertThat(chart.title()).isEqualTo("Requests per minute by decision, 13:06 to 14:05 UTC");
    assertThat(chart.xLabels())
        .extracting(l -> l.get("text"))
        .containsExactly("13:06", "13:21", "13:36", "13:51", "14:05");
  }

  @Test
  void oneBusyMinuteReachesTheRoundedTopAndIsNamedTheBusiest() {
    ring.count(AuditDecision.ALLOW, 1_200);
    clock.set(T0.plus(Duration.ofMinutes(59)));
    ring.count(AuditDecision.ALLOW, 4);
    ring.count(AuditDecision.DENY, 3);

    TrafficChart chart = TrafficChart.of(ring.lastHour());

    assertThat(chart.max()).isEqualTo(2_000);
    String[] allow = chart.allow().split(" ");
    assertThat(allow[0]).isEqualTo("48,60.4");
    assertThat(allow[59]).startsWith((TrafficChart.WIDTH - TrafficChart.RIGHT) + ",");
    assertThat(chart.summary())
        .isEqualTo(
            "last 60 minutes: 1,204 allowed, 3 denied, 0 errors; busiest minute 13:06 with"
                + " 1,200");
    assertThat(chart.model()).containsEntry("max", "2,000").containsEntry("half", "1,000");
  }

  @Test
  void aQuietMinuteInTheMiddleDrawsAtZeroBetweenBusyOnes() {
    ring.count(AuditDecision.DENY, 5);
    clock.set(T0.plus(Duration.ofMinutes(2)));
    ring.count(AuditDecision.DENY, 5);
    clock.set(T0.plus(Duration.ofMinutes(59)));

    TrafficChart chart = TrafficChart.of(ring.lastHour());

    String[] deny = chart.deny().split(" ");
    double top = TrafficChart.TOP;
    assertThat(deny[0]).endsWith("," + top);
    assertThat(deny[1]).endsWith("," + FLOOR + ".0");
    assertThat(deny[2]).endsWith("," + top);
    assertThat(chart.summary()).contains("10 denied").contains("busiest minute 13:06 with 5");
  }

  @Test
  void minutesOlderThanAnHourLeaveTheChartWhenTheRingWraps() {
    ring.count(AuditDecision.ERROR, 1);
    clock.set(T0.plus(Duration.ofMinutes(61)));
    ring.count(AuditDecision.ERROR, 2);

    TrafficChart chart = TrafficChart.of(ring.lastHour());

    assertThat(chart.summary())
        .isEqualTo("last 60 minutes: 0 allowed, 0 denied, 2 errors; busiest minute 14:07 with 2");
    assertThat(TrafficChart.json(ring.lastHour()).getJsonObject(59).encode())
        .isEqualTo("{\"minute\":\"2026-11-23T14:07:00Z\",\"allow\":0,\"deny\":0,\"error\":2}");
  }

  @Test
  void theAxisTopIsOneTwoOrFiveTimesAPowerOfTen() {
    assertThat(TrafficChart.roundUp(0)).isEqualTo(1);
    assertThat(TrafficChart.roundUp(3)).isEqualTo(5);
    assertThat(TrafficChart.roundUp(88)).isEqualTo(100);
    assertThat(TrafficChart.roundUp(101)).isEqualTo(200);
  }
}
