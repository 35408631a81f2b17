package dev.patchgate.proxy.console.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.EntryView;
import dev.patchgate.allowlist.Problem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Allowlist page's data from a real allowlist file. */
class AllowlistDataTest {
  private static final Instant RELOADED = Instant.parse("2026-11-24T08:00:00Z");

  @TempDir Path dir;

  private AllowlistData data(Path file, Allowlist inForce) {
    return new AllowlistData(
        () -> inForce,
        file,
        () -> Optional.of(RELOADED),
        Clock.fixed(ConsoleFixtures.NOW, ZoneOffset.UTC));
  }

  @Test
  void theViewListsEntriesGroupsProfilesAndNoProblemsForAValidFile() throws Exception {
    Path file = ConsoleFixtures.allowlistFile(dir);
    AllowlistView view = data(file, Allowlist.load(file)).view(Scope.admin());

    assertThat(view.entries())
        .extracting(EntryView::name)
        .containsExactly("windows-update", "emr-vendor");
    EntryView windows = view.entries().get(0);
    assertThat(windows.hosts()).containsExactly("download.windowsupdate.com http:80");
    assertThat(windows.clients()).containsExactly("his-pcs");
    assertThat(windows.line()).isEqualTo(6);
    assertThat(view.clientGroups())
        .containsExactly(
            Map.entry("his-pcs", List.of("10.10.1.0/24")),
            Map.entry("emr", List.of("10.20.0.0/24")));
    assertThat(view.profiles()).isNotEmpty();
    assertThat(view.profiles()).anySatisfy(p -> assertThat(p.name()).isEqualTo("windows-update"));
    assertThat(view.valid()).isTrue();
    assertThat(view.lastReload()).contains(RELOADED);
  }

  @Test
  void aBrokenFileShowsItsProblemsWithLineWhileThePreviousPolicyStaysInForce() throws Exception {
    Path file = ConsoleFixtures.allowlistFile(dir);
    Allowlist previous = Allowlist.load(file);
    Files.writeString(
        file,
        """
        entries {
          broad { hosts = ["*.com"] }
        }
        """);

    AllowlistView view = data(file, previous).view(Scope.admin());

    assertThat(view.valid()).isFalse();
    assertThat(view.problems()).isNotEmpty();
    Problem first = view.problems().get(0);
    assertThat(first.file()).isEqualTo(file.toString());
    assertThat(first.line()).isEqualTo(2);
    assertThat(first.message()).contains("*.com");
    assertThat(view.entries())
        .as("what decides is the previous policy")
        .extracting(EntryView::name)
        .containsExactly("windows-update", "emr-vendor");
  }

  @Test
  void explainSaysWhatTheCommandSays() throws Exception {
    Path file = ConsoleFixtures.allowlistFile(dir);
    AllowlistData data = data(file, Allowlist.load(file));

    Explained allowed = data.explain(null, ConsoleFixtures.EMR_MSI, "10.20.0.7", Scope.admin());
    assertThat(allowed.allowed()).isTrue();
    assertThat(allowed.lines())
        .anySatisfy(l -> assertThat(l).startsWith("allowed by entry 'emr-vendor'"));

    Explained denied =
        data.explain("get", "http://download.windowsupdate.com/x.cab", "10.20.0.7", Scope.admin());
    assertThat(denied.allowed()).isFalse();
    assertThat(denied.lines()).contains("denied: client not allowed for this host");

    Explained post = data.explain("POST", ConsoleFixtures.EMR_MSI, "10.20.0.7", Scope.admin());
    assertThat(post.lines())
        .contains("the gateway answers 405: it forwards only GET, HEAD and CONNECT");
  }

  @Test
  void aVendorMayNotSeeTheAllowlistAndABadClientIsRefused() throws Exception {
    Path file = ConsoleFixtures.allowlistFile(dir);
    AllowlistData data = data(file, Allowlist.load(file));
    Scope vendor = Scope.of(ConsoleFixtures.EMR_BY_GROUP, Allowlist.load(file));

    assertThatThrownBy(() -> data.view(vendor)).isInstanceOf(OutOfScopeException.class);
    assertThatThrownBy(() -> data.explain(null, ConsoleFixtures.EMR_MSI, "10.20.0.7", vendor))
        .isInstanceOf(OutOfScopeException.class);
    assertThatThrownBy(() -> data.explain(null, ConsoleFixtures.EMR_MSI, "his-pc", Scope.admin()))
        .isInstanceOf(BadFilterException.class)
        .hasMessageContaining("client: 'his-pc'");
  }
}
