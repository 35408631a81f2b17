package dev.patchgate.proxy.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.alert.Alert;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.RecentAlerts;
import dev.patchgate.proxy.FakeClock;
import dev.patchgate.proxy.exchange.RequestsPerMinute;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Overview's active alerts through the real template: a hostile value (an alert's host is
 * whatever a client or a channel's peer sent) is text, shortened in the middle, whole in the title.
 */
class ActiveAlertsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T14:05:20Z");
  private static final String HOSTILE =
      "x\"><script>alert(1)</script>\u202e." + "very-long-label.".repeat(10) + "example";

  @Test
  void aHostileHostInAnAlertIsEscapedTextShortenedInTheMiddleAndWholeInTheTitle() {
    RecentAlerts recent = new RecentAlerts();
    recent.raised(
        new Alert(
            AlertKind.DENIED,
            "10.0.0.5",
            HOSTILE,
            "host not in allowlist",
            NOW.minusSeconds(30),
            1,
            false,
            Duration.ofMinutes(10)));

    String page = overview(ActiveAlerts.rows(ActiveAlerts.read(Optional.of(recent), NOW)));

    assertThat(page)
        .doesNotContain("<script>", "\u202e")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "\\u202e")
        .contains("title=\"patchgate: denied request from 10.0.0.5 to x&quot;&gt;&lt;script&gt;")
        .contains("10.0.0.5 to...l.very-long-label")
        .contains("<td>denied</td>", "<td>2026-11-23 14:04:50</td>", "<td>1</td>");
  }

  @Test
  void anAlertRaisedMoreThanAnHourAgoIsNotActive() {
    RecentAlerts recent = new RecentAlerts();
    recent.raised(
        new Alert(
            AlertKind.DENIED,
            "10.0.0.5",
            "old.example",
            "",
            NOW.minus(Duration.ofMinutes(61)),
            1,
            false,
            Duration.ofMinutes(10)));

    assertThat(ActiveAlerts.read(Optional.of(recent), NOW)).isEmpty();
    assertThat(overview(List.of())).contains("No alert in the last hour.");
  }

  private static String overview(List<Map<String, Object>> alerts) {
    Map<String, Object> model = new HashMap<>();
    model.put("title", "Overview");
    model.put("page", "overview");
    model.put("gateway", "gw");
    model.put("user", "alice");
    model.put("role", "admin");
    model.put("csrf", "token");
    model.put(
        "figures",
        ConsoleRoutes.shown(
            new OverviewFigures(0, 0, 0, 0, 0, 0, 0, 0, 0, true, true, NOW, List.of(), List.of())));
    model.put("problems", List.of());
    model.put("allowlistProblems", List.of());
    model.put(
        "chart", TrafficChart.of(new RequestsPerMinute(new FakeClock(NOW)).lastHour()).model());
    model.put("alerting", true);
    model.put("alerts", alerts);
    return new ConsolePages().render("overview", model);
  }
}
