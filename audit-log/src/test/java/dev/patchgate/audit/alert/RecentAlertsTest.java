package dev.patchgate.audit.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecentAlertsTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final Duration HOUR = Duration.ofHours(1);
  private static final Duration WINDOW = Duration.ofMinutes(10);

  private final RecentAlerts recent = new RecentAlerts();

  @Test
  void aFirstAlertAndItsSummaryAreOneEntryCountingBoth() {
    recent.raised(first(AlertKind.DENIED, "10.0.0.5", "evil.example", T0));
    recent.raised(
        new Alert(
            AlertKind.DENIED, "10.0.0.5", "evil.example", "x", T0.plus(WINDOW), 9, true, WINDOW));

    List<RecentAlerts.Entry> active = recent.active(T0.plus(WINDOW), HOUR, 20);

    assertThat(active).hasSize(1);
    RecentAlerts.Entry e = active.get(0);
    assertThat(e.count()).isEqualTo(10);
    assertThat(e.first()).isEqualTo(T0);
    assertThat(e.last()).isEqualTo(T0.plus(WINDOW));
    assertThat(e.text()).contains("9 more denied requests from 10.0.0.5 to evil.example");
  }

  @Test
  void onlyAlertsRaisedWithinTheHourAreActiveNewestFirstAtMostTheLimit() {
    recent.raised(first(AlertKind.DENIED, "10.0.0.1", "old.example", T0));
    for (int i = 1; i <= 30; i++) {
      recent.raised(
          first(
              AlertKind.UNREGISTERED_CLIENT, "10.0.1." + i, "a.example", T0.plusSeconds(60L * i)));
    }

    Instant now = T0.plus(HOUR).plusSeconds(30);
    List<RecentAlerts.Entry> active = recent.active(now, HOUR, 20);

    assertThat(active).hasSize(20);
    assertThat(active.get(0).client()).isEqualTo("10.0.1.30");
    assertThat(active.get(19).client()).isEqualTo("10.0.1.11");
    assertThat(recent.active(now, HOUR, 100))
        .extracting(RecentAlerts.Entry::host)
        .doesNotContain("old.example");
  }

  @Test
  void memoryIsBoundedByDroppingTheEntryRaisedLongestAgo() {
    for (int i = 0; i < RecentAlerts.MAX_KEPT + 50; i++) {
      recent.raised(first(AlertKind.DENIED, "10.0.0.1", "h" + i + ".example", T0.plusSeconds(i)));
    }

    List<RecentAlerts.Entry> all = recent.active(T0.plusSeconds(1000), HOUR, Integer.MAX_VALUE);

    assertThat(all).hasSize(RecentAlerts.MAX_KEPT);
    assertThat(all).extracting(RecentAlerts.Entry::host).doesNotContain("h0.example");
    assertThat(all.get(0).host()).isEqualTo("h" + (RecentAlerts.MAX_KEPT + 49) + ".example");
  }

  private static Alert first(AlertKind kind, String client, String host, Instant at) {
    return new Alert(kind, client, host, "host not in allowlist", at, 1, false, WINDOW);
  }
}
