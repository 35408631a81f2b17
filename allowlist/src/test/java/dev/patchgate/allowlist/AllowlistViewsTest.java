package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What the console reads back from an allowlist: entries, groups, and whom a host concerns. */
class AllowlistViewsTest {
  private static final String FILE =
      """
      clients {
        his-pcs = ["10.10.1.0/24", "fd00:10::/64"]
        emr     = ["10.20.0.10"]
      }
      entries {
        windows { hosts = ["*.windowsupdate.com"], schemes = [http], clients = [his-pcs] }
        emr-vendor {
          hosts    = ["download.emr.example", "10.30.0.5"]
          ports    = [8080]
          schemes  = [http]
          paths    = ["/pkg/"]
          schedule = ["Mon-Fri 22:00-06:00"]
          mode     = report
        }
        mirror-of-windows { hosts = ["dl.windowsupdate.com"], schemes = [http] }
      }
      """;

  @Test
  void entryViewsSayEachEntrysRulesInWords() throws Exception {
    List<EntryView> views = Allowlist.parse(FILE, "test.conf").entryViews();

    assertThat(views)
        .extracting(EntryView::name)
        .containsExactly("windows", "emr-vendor", "mirror-of-windows");
    assertThat(views.get(0).hosts()).containsExactly("*.windowsupdate.com http:80");
    assertThat(views.get(0).clients()).containsExactly("his-pcs");
    EntryView emr = views.get(1);
    assertThat(emr.line()).isEqualTo(7);
    assertThat(emr.hosts())
        .containsExactly("download.emr.example http:8080", "10.30.0.5 http:8080");
    assertThat(emr.clients()).as("every registered client").isEmpty();
    assertThat(emr.paths()).isEqualTo("[/pkg/]");
    assertThat(emr.schedule()).isEqualTo("Mon-Fri 22:00-06:00");
    assertThat(emr.report()).isTrue();
  }

  @Test
  void clientGroupsKeepFileOrderAndTheirRanges() throws Exception {
    assertThat(Allowlist.parse(FILE, "test.conf").clientGroups())
        .containsExactly(
            java.util.Map.entry("his-pcs", List.of("10.10.1.0/24", "fd00:10::/64")),
            java.util.Map.entry("emr", List.of("10.20.0.10")));
    assertThat(
            Allowlist.parse("entries { a { hosts = [\"a.example\"] } }", "t.conf").clientGroups())
        .isEmpty();
  }

  @Test
  void entriesNamingAHostFollowExactNamesWildcardsAndFileOrder() throws Exception {
    Allowlist allowlist = Allowlist.parse(FILE, "test.conf");

    assertThat(allowlist.entriesNaming("dl.windowsupdate.com"))
        .containsExactly("windows", "mirror-of-windows");
    assertThat(allowlist.entriesNaming("a.b.windowsupdate.com")).containsExactly("windows");
    assertThat(allowlist.entriesNaming("windowsupdate.com")).as("*.x is not x itself").isEmpty();
    assertThat(allowlist.entriesNaming("download.emr.example")).containsExactly("emr-vendor");
    assertThat(allowlist.entriesNaming("10.30.0.5")).containsExactly("emr-vendor");
    assertThat(allowlist.entriesNaming("evil.example")).isEmpty();
  }
}
