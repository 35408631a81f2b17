package dev.patchgate.proxy.console.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AnomalyHistory;
import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.proxy.cli.ReportClientGroups;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Anomalies page's data on five weeks of a generated fleet ({@link AnomalyHistory}, written by
 * the real writer), with the client groups of a real allowlist: the weekly review by default finds
 * what was planted, as {@code audit report anomalies} does.
 */
class AnomalyDataTest {
  private static final Clock AT_END = Clock.fixed(AnomalyHistory.END, ZoneOffset.UTC);

  @TempDir static Path dir;
  private static Allowlist allowlist;

  @BeforeAll
  static void writeHistory() throws Exception {
    AnomalyHistory.write(dir);
    allowlist =
        Allowlist.parse(
            """
            time-zone = "UTC"
            clients {
              workstations = ["10.20.1.0/24"]
              servers      = ["10.20.2.0/24"]
              vendor       = ["10.20.9.0/24"]
            }
            entries {
              vendor-remote {
                hosts    = ["update.example-vendor.jp"]
                clients  = [vendor]
                schedule = ["Tue,Thu 13:00-16:00"]
              }
            }
            """,
            "allowlist.conf");
  }

  private static AnomalyData data(AnomalySettings settings) {
    return new AnomalyData(dir, () -> ReportClientGroups.of(allowlist), settings, AT_END);
  }

  private static List<String> found(AnomalyPage page) {
    return page.findings().stream()
        .map(f -> f.kind().wireName() + " " + f.client() + " " + f.subject())
        .toList();
  }

  @Test
  void theDefaultIsTheWeeklyReviewAndFindsWhatWasPlanted() {
    AnomalyPage page = data(AnomalySettings.defaults()).review(Map.of(), Scope.admin());

    assertThat(found(page)).containsExactlyInAnyOrderElementsOf(AnomalyHistory.PLANTED);
    assertThat(page.period().since()).isEqualTo(AnomalyHistory.PERIOD_START);
    assertThat(page.period().until()).isEqualTo(AnomalyHistory.END);
    assertThat(page.baselineStart()).isEqualTo(Instant.parse("2026-11-02T00:00:00Z"));
    assertThat(page.period().files()).isEqualTo(35);
    assertThat(page.turnedOff()).isEmpty();
    for (String client : AnomalyHistory.LOOK_ALIKES) {
      assertThat(page.findings()).noneMatch(f -> f.client().equals(client));
    }
  }

  @Test
  void kindAndClientGroupNarrowTheFindings() {
    AnomalyPage servers =
        data(AnomalySettings.defaults())
            .review(Map.of("kind", "burst,beaconing", "client", "servers"), Scope.admin());
    assertThat(found(servers)).containsExactly("burst 10.20.2.5 2026-12-03 Thu 14:00-15:00");

    AnomalyPage block =
        data(AnomalySettings.defaults()).review(Map.of("client", "10.20.1.23/32"), Scope.admin());
    assertThat(found(block))
        .containsExactlyInAnyOrder(
            "new_destination 10.20.1.23 cdn.update-check.example.net",
            "beaconing 10.20.1.23 cdn.update-check.example.net");
  }

  @Test
  void aPeriodWithNothingUnusualHasNoFindings() {
    // The first baseline week has no baseline of its own: nobody is judged.
    AnomalyPage quiet =
        data(AnomalySettings.defaults())
            .review(Map.of("since", "2026-11-02", "until", "2026-11-09"), Scope.admin());
    assertThat(quiet.findings()).isEmpty();
  }

  @Test
  void aKindTurnedOffInTheSettingsIsNotLookedForAndSaidSo() {
    Set<AnomalyKind> on = EnumSet.allOf(AnomalyKind.class);
    on.remove(AnomalyKind.BEACONING);
    AnomalySettings quiet = AnomalySettings.defaults().withEnabled(on);

    AnomalyPage page = data(quiet).review(Map.of("client", "10.20.1.23"), Scope.admin());

    assertThat(found(page))
        .containsExactly("new_destination 10.20.1.23 cdn.update-check.example.net");
    assertThat(page.turnedOff()).containsExactly("beaconing");
  }

  @Test
  void aVendorIsRefused() throws Exception {
    Scope vendor = Scope.of(ConsoleFixtures.EMR_BY_GROUP, ConsoleFixtures.allowlist());
    assertThatThrownBy(() -> data(AnomalySettings.defaults()).review(Map.of(), vendor))
        .isInstanceOf(OutOfScopeException.class)
        .hasMessageContaining("the anomaly report is for administrators");
  }

  @Test
  void filtersThatAreNotValidSayWhatIsExpected() {
    AnomalyData data = data(AnomalySettings.defaults());
    assertThatThrownBy(() -> data.review(Map.of("client", "pcs"), Scope.admin()))
        .isInstanceOf(BadFilterException.class)
        .hasMessage(
            "client: no client group 'pcs' (known groups: workstations, servers, vendor; or give"
                + " an address block such as 10.10.1.0/24)");
    assertThatThrownBy(() -> data.review(Map.of("kind", "spam"), Scope.admin()))
        .isInstanceOf(BadFilterException.class)
        .hasMessageStartingWith("kind: 'spam' (expected: new_destination, unusual_hours");
    assertThatThrownBy(() -> data.review(Map.of("entry", "vendor-remote"), Scope.admin()))
        .isInstanceOf(BadFilterException.class)
        .hasMessage("unknown filter 'entry' (expected: since, until, kind, client)");
    assertThatThrownBy(
            () -> data.review(Map.of("since", "2026-12-06", "until", "2026-12-01"), Scope.admin()))
        .isInstanceOf(BadFilterException.class)
        .hasMessageStartingWith("until must be after since");
  }
}
