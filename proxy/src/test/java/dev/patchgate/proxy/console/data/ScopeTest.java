package dev.patchgate.proxy.console.data;

import static dev.patchgate.proxy.console.data.ConsoleFixtures.ADMIN;
import static dev.patchgate.proxy.console.data.ConsoleFixtures.EMR_BY_ENTRY;
import static dev.patchgate.proxy.console.data.ConsoleFixtures.EMR_BY_GROUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.Role;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class ScopeTest {
  private static final String HOST = "download.windowsupdate.com";
  private static final ConsoleUser GONE_GROUP =
      new ConsoleUser("old-vendor", Role.VENDOR, List.of(), List.of("retired-pcs"));

  /**
   * One row of a table: whether {@code user} sees a record of this entry from this client, or is
   * refused a filter on them.
   */
  record Row(String why, ConsoleUser user, String entry, String client, boolean expected) {
    @Override
    public String toString() {
      return why;
    }
  }

  static Stream<Row> records() {
    return Stream.of(
        new Row("admin sees an unregistered client's denial", ADMIN, null, "10.99.0.1", true),
        new Row("vendor sees its entry", EMR_BY_ENTRY, "emr-vendor", "10.10.1.5", true),
        new Row("entry names ignore case", EMR_BY_ENTRY, "EMR-Vendor", "10.10.1.5", true),
        new Row("another entry is hidden", EMR_BY_ENTRY, "windows-update", "10.20.0.7", false),
        new Row("no entry, no groups: hidden", EMR_BY_ENTRY, null, "10.20.0.7", false),
        new Row("vendor sees its group's client", EMR_BY_GROUP, null, "10.20.0.7", true),
        new Row(
            "its group's client through any entry",
            EMR_BY_GROUP,
            "windows-update",
            "10.20.0.9",
            true),
        new Row("a client outside the group", EMR_BY_GROUP, "windows-update", "10.10.1.5", false),
        new Row("a name is no client", EMR_BY_GROUP, null, "download.emr.example", false),
        new Row("hex-looking names are not looked up", EMR_BY_GROUP, null, "cafe.beef", false),
        new Row("a group the allowlist lost covers nobody", GONE_GROUP, null, "10.20.0.7", false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("records")
  void aRecordIsVisibleByEntryOrByClientGroup(Row row) throws Exception {
    Scope scope = Scope.of(row.user(), ConsoleFixtures.allowlist());
    assertThat(scope.sees(row.entry(), HOST, row.client())).isEqualTo(row.expected());
  }

  static Stream<Row> filters() {
    return Stream.of(
        new Row("admin: any entry", ADMIN, "windows-update", null, false),
        new Row("vendor's own entry", EMR_BY_ENTRY, "emr-vendor", null, false),
        new Row("another vendor's entry", EMR_BY_ENTRY, "windows-update", null, true),
        new Row("a client who may have used the entry", EMR_BY_ENTRY, null, "10.10.1.5", false),
        new Row("a client in the vendor's group", EMR_BY_GROUP, null, "10.20.0.7", false),
        new Row("a client outside the vendor's groups", EMR_BY_GROUP, null, "10.10.1.5", true),
        new Row("any entry its clients used", EMR_BY_GROUP, "windows-update", null, false));
  }

  /** A denial names no entry, and counts as the entry's that names its host. */
  static Stream<Row> denials() {
    return Stream.of(
        new Row("a denial to the vendor's host", EMR_BY_ENTRY, null, "download.emr.example", true),
        new Row(
            "a denial to another host", EMR_BY_ENTRY, null, "download.windowsupdate.com", false),
        new Row(
            "an allowed record keeps its entry",
            EMR_BY_ENTRY,
            "windows-update",
            "download.emr.example",
            false),
        new Row("no host", EMR_BY_ENTRY, null, null, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("denials")
  void aDenialIsTheVendorsWhenItsEntryNamesTheHost(Row row) throws Exception {
    Scope scope = Scope.of(row.user(), ConsoleFixtures.allowlist());
    // Here the row's client column holds the record's host; the client is in no vendor group.
    assertThat(scope.sees(row.entry(), row.client(), "10.10.1.5")).isEqualTo(row.expected());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filters")
  void aFilterOutsideTheScopeIsRefusedNotAnsweredEmpty(Row row) throws Exception {
    Scope scope = Scope.of(row.user(), ConsoleFixtures.allowlist());
    Runnable check =
        () -> {
          if (row.entry() != null) {
            scope.checkEntry(row.entry());
          }
          if (row.client() != null) {
            scope.checkClient(row.client());
          }
        };
    if (row.expected()) {
      assertThatThrownBy(check::run)
          .isInstanceOf(OutOfScopeException.class)
          .hasMessageContaining(row.user().name());
    } else {
      assertThatCode(check::run).doesNotThrowAnyException();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("users")
  void onlyAnAdminPassesAnAdminCheck(ConsoleUser user) {
    Scope scope = Scope.of(user, Allowlist.denyAll());
    if (user.role() == Role.ADMIN) {
      assertThatCode(() -> scope.requireAdmin("the mirror page")).doesNotThrowAnyException();
    } else {
      assertThatThrownBy(() -> scope.requireAdmin("the mirror page"))
          .isInstanceOf(OutOfScopeException.class)
          .hasMessageContaining("the mirror page is for administrators");
    }
  }

  static Stream<ConsoleUser> users() {
    return Stream.of(ADMIN, EMR_BY_ENTRY, EMR_BY_GROUP);
  }
}
