package dev.patchgate.proxy.console.data;

import static dev.patchgate.proxy.console.data.ConsoleFixtures.EMR_BY_ENTRY;
import static dev.patchgate.proxy.console.data.ConsoleFixtures.EMR_BY_GROUP;
import static dev.patchgate.proxy.console.data.ConsoleFixtures.HOSTILE_URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.report.CoverageRow;
import dev.patchgate.audit.report.CoverageSummary;
import dev.patchgate.audit.report.DeniedRow;
import dev.patchgate.proxy.FakeClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Downloads, Denied and Audit search data, read from a real audit directory. */
class AuditDataTest {
  private static final Clock CLOCK = Clock.fixed(ConsoleFixtures.NOW, ZoneOffset.UTC);

  @TempDir static Path dir;
  private static Path audit;
  private static Allowlist allowlist;

  @BeforeAll
  static void writeTheWeek() throws Exception {
    audit = ConsoleFixtures.auditDir(dir);
    allowlist = ConsoleFixtures.allowlist();
  }

  private static AuditData data() {
    return new AuditData(audit, () -> ConsoleFixtures.KB_SOURCES, CLOCK);
  }

  private static Filters filters(Map<String, String> params) {
    return Filters.parse(params, CLOCK);
  }

  private static Scope scope(dev.patchgate.proxy.console.users.ConsoleUser user) {
    return Scope.of(user, allowlist);
  }

  @Test
  void downloadsAreThePatchReportsRowsOfTheLastWeek() {
    DownloadsPage page = data().downloads(filters(Map.of()), Scope.admin(), 100);

    assertThat(page.rows())
        .extracting(
            d ->
                d.row().client()
                    + " "
                    + d.row().fileName()
                    + " "
                    + d.row().completeness().label()
                    + " "
                    + d.row().source())
        .containsExactly(
            "10.10.1.5 windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab complete mirror",
            "10.10.1.6 windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab incomplete upstream",
            "10.20.0.7 emr-client-5.2.msi complete upstream");
    assertThat(page.rows().get(0).row().kb()).isEqualTo("KB5034441");
    assertThat(page.rows().get(0).row().entry()).isEqualTo("windows-update");
    assertThat(page.rows().get(0).row().firstSeen())
        .as("the download ten days ago is outside the default period")
        .isEqualTo("2026-11-23T12:00:00.000Z");
    assertThat(page.more()).isFalse();
    assertThat(page.coverage()).isEmpty();
    assertThat(page.period().complete()).isTrue();
  }

  @Test
  void aRowLimitCutsTheRowsAndSaysThereAreMore() {
    DownloadsPage page = data().downloads(filters(Map.of()), Scope.admin(), 2);

    assertThat(page.rows()).hasSize(2);
    assertThat(page.more()).isTrue();
  }

  @Test
  void askingForAKbAddsTheCoverageReport() {
    DownloadsPage page = data().downloads(filters(Map.of("kb", "KB5034441")), Scope.admin(), 100);

    assertThat(page.rows())
        .extracting(d -> d.row().client())
        .containsExactly("10.10.1.5", "10.10.1.6");
    Coverage coverage = page.coverage().orElseThrow();
    assertThat(coverage.rows())
        .extracting(CoverageRow::client, CoverageRow::status)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("10.10.1.5", "complete"),
            org.assertj.core.groups.Tuple.tuple("10.10.1.6", "incomplete"),
            org.assertj.core.groups.Tuple.tuple("10.20.0.7", "none"),
            org.assertj.core.groups.Tuple.tuple("10.99.0.1", "none"));
    assertThat(coverage.summaries())
        .extracting(CoverageSummary::line)
        .containsExactly(
            "KB5034441: 4 clients, 1 complete (25.0%), 1 incomplete (25.0%), 2 none (50.0%)");
  }

  @Test
  void theCoverageSummaryCountsEveryClientWhenTheRowsAreCut() {
    Coverage coverage = data().coverage(filters(Map.of("kb", "KB5034441")), Scope.admin(), 1);

    assertThat(coverage.rows()).extracting(CoverageRow::client).containsExactly("10.10.1.5");
    assertThat(coverage.more()).isTrue();
    CoverageSummary summary = coverage.summaries().get(0);
    assertThat(summary.clients()).isEqualTo(4);
    assertThat(summary.percent(summary.none())).isEqualTo("50.0%");
  }

  @Test
  void aVendorsCoverageHoldsOnlyTheClientsItMaySee() {
    Filters kb = filters(Map.of("kb", "KB5034441"));
    // By entry: the clients that used emr-vendor (or were refused its host); by group: emr's.
    for (var vendor : List.of(EMR_BY_ENTRY, EMR_BY_GROUP)) {
      Coverage coverage = data().coverage(kb, scope(vendor), 100);
      assertThat(coverage.rows())
          .as(vendor.name())
          .extracting(CoverageRow::client, CoverageRow::status)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("10.20.0.7", "none"));
      assertThat(coverage.summaries())
          .extracting(CoverageSummary::line)
          .containsExactly(
              "KB5034441: 1 client, 0 complete (0.0%), 0 incomplete (0.0%), 1 none (100.0%)");
    }
    assertThatThrownBy(
            () ->
                data()
                    .coverage(
                        filters(Map.of("kb", "KB5034441", "client", "10.10.1.5")),
                        scope(EMR_BY_GROUP),
                        100))
        .isInstanceOf(OutOfScopeException.class);
  }

  @Test
  void coverageNeedsAKbNumber() {
    assertThatThrownBy(() -> data().coverage(filters(Map.of()), Scope.admin(), 100))
        .isInstanceOf(BadFilterException.class)
        .hasMessage("kb: give one or more KB numbers, such as KB5034441");
  }

  @Test
  void aVendorSeesDownloadsOfItsEntryOrItsGroupOnly() {
    assertThat(data().downloads(filters(Map.of()), scope(EMR_BY_ENTRY), 100).rows())
        .extracting(d -> d.row().url())
        .containsExactly(ConsoleFixtures.EMR_MSI);
    assertThat(data().downloads(filters(Map.of()), scope(EMR_BY_GROUP), 100).rows())
        .extracting(d -> d.row().client())
        .containsExactly("10.20.0.7");
  }

  @Test
  void aVendorFilteringOnAnotherEntryOrClientIsRefused() {
    assertThatThrownBy(
            () ->
                data()
                    .downloads(
                        filters(Map.of("entry", "windows-update")), scope(EMR_BY_ENTRY), 100))
        .isInstanceOf(OutOfScopeException.class);
    assertThatThrownBy(
            () -> data().search(filters(Map.of("client", "10.10.1.5")), scope(EMR_BY_GROUP)))
        .isInstanceOf(OutOfScopeException.class);
    assertThatThrownBy(
            () ->
                data()
                    .denied(
                        filters(Map.of("client", "10.10.1.5")),
                        scope(EMR_BY_GROUP),
                        allowlist,
                        100))
        .isInstanceOf(OutOfScopeException.class);
  }

  @Test
  void eachDeniedRowCarriesTheExplanationAndForAnAdminASnippet() {
    DeniedPage page = data().denied(filters(Map.of()), Scope.admin(), allowlist, 100);

    assertThat(page.rows())
        .extracting(i -> i.row().client() + " " + i.row().target() + " " + i.row().count())
        .containsExactly(
            "10.10.1.5 evil.example 2",
            "10.20.0.7 download.emr.example 1",
            "10.99.0.1 download.windowsupdate.com 1");
    DeniedItem port = page.rows().get(1);
    assertThat(port.url()).isEqualTo("http://download.emr.example:8080/pkg/emr-client-5.3.msi");
    assertThat(port.explained().orElseThrow().lines())
        .anySatisfy(
            line ->
                assertThat(line).startsWith("closest entry 'emr-vendor'").contains("port 8080"));
    assertThat(port.snippet().orElseThrow())
        .contains("hosts   = [\"download.emr.example\"]")
        .contains("ports   = [8080]")
        .contains("clients = [emr]");
    DeniedItem unregistered = page.rows().get(2);
    assertThat(unregistered.snippet().orElseThrow())
        .contains("clients {")
        .contains("\"10.99.0.1\"");
  }

  @Test
  void aVendorByEntrySeesTheDenialsOfItsEntrysHosts() {
    DeniedPage page = data().denied(filters(Map.of()), scope(EMR_BY_ENTRY), allowlist, 100);

    assertThat(page.rows())
        .extracting(i -> i.row().client() + " " + i.row().target())
        .containsExactly("10.20.0.7 download.emr.example");
  }

  @Test
  void aVendorGetsTheExplanationButNoSnippet() {
    DeniedPage page = data().denied(filters(Map.of()), scope(EMR_BY_GROUP), allowlist, 100);

    assertThat(page.rows()).extracting(i -> i.row().client()).containsExactly("10.20.0.7");
    assertThat(page.rows().get(0).explained()).isPresent();
    assertThat(page.rows().get(0).snippet()).isEmpty();
  }

  @Test
  void aHostileUrlStaysRawInTheRowAndIsShortAndVisibleInItsDisplayForm() {
    DeniedPage page = data().denied(filters(Map.of()), Scope.admin(), allowlist, 100);
    DeniedItem hostile = page.rows().get(0);

    assertThat(hostile.url()).as("the latest request of the row").isEqualTo(HOSTILE_URL);
    assertThat(hostile.shortUrl()).hasSizeLessThanOrEqualTo(DisplayUrl.WIDTH);
    assertThat(hostile.shortUrl()).startsWith("http://evil.example/").endsWith("a.cab");
    assertThat(hostile.shortUrl()).doesNotContain("\u202e");
  }

  @Test
  void theAuditSearchPagesNewestFirstWithTheTotal() {
    AuditPage first = data().search(filters(Map.of("limit", "3")), Scope.admin());

    assertThat(first.total()).isEqualTo(7);
    assertThat(first.rows())
        .extracting(r -> r.fields().get("id"))
        .containsExactly("x4", "x3", "x2");
    assertThat(first.more()).isTrue();
    assertThat(first.rows().get(0).file().getFileName().toString())
        .isEqualTo("audit-2026-11-24.jsonl");

    AuditPage last = data().search(filters(Map.of("limit", "3", "page", "3")), Scope.admin());
    assertThat(last.rows()).extracting(r -> r.fields().get("id")).containsExactly("d1");
    assertThat(last.more()).isFalse();
  }

  @Test
  void theAuditSearchCountsOnlyWhatTheVendorSees() {
    AuditPage page = data().search(filters(Map.of("decision", "deny")), scope(EMR_BY_GROUP));

    assertThat(page.total()).isEqualTo(1);
    assertThat(page.rows()).extracting(r -> r.fields().get("id")).containsExactly("x2");
  }

  @Test
  void tooDeepAPageIsRefused() {
    assertThatThrownBy(
            () -> data().search(filters(Map.of("limit", "1000", "page", "11")), Scope.admin()))
        .isInstanceOf(BadFilterException.class)
        .hasMessageContaining("beyond the newest 10000 records");
  }

  @Test
  void aSlowChainVerificationDoesNotHoldThePageAndItsAnswerComesLater(@TempDir Path own)
      throws Exception {
    Path copy = ConsoleFixtures.auditDir(own);
    // A day "file" that is a pipe: the verification blocks reading it until a writer closes it, as
    // it would take minutes over a month of a large hospital's log.
    Path pipe = copy.resolve("audit-2026-11-25.jsonl");
    Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).inheritIO().start();
    assertThat(mkfifo.waitFor()).isZero();
    AuditData data = new AuditData(copy, () -> ConsoleFixtures.KB_SOURCES, CLOCK);

    long start = System.nanoTime();
    ChainStatus meanwhile = data.chain();

    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isLessThan(AuditData.CHAIN_WAIT.plusSeconds(5));
    assertThat(meanwhile.state()).isEqualTo(ChainStatus.State.UNKNOWN);
    assertThat(meanwhile.message()).contains("being verified");
    try (var writer = Files.newOutputStream(pipe)) {
      writer.flush(); // an empty day: the verification reads to its end and finishes
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> data.chain().state(), state -> state != ChainStatus.State.UNKNOWN);
  }

  @Test
  void theChainStatusIsOkThenBrokenAtFileAndLineOnceTheCacheExpires(@TempDir Path own)
      throws Exception {
    Path copy = ConsoleFixtures.auditDir(own);
    FakeClock clock = new FakeClock(ConsoleFixtures.NOW);
    AuditData data = new AuditData(copy, () -> ConsoleFixtures.KB_SOURCES, clock);

    assertThat(data.search(filters(Map.of()), Scope.admin()).chain().state())
        .isEqualTo(ChainStatus.State.OK);

    Path today = copy.resolve("audit-2026-11-24.jsonl");
    String text = Files.readString(today, StandardCharsets.UTF_8);
    Files.writeString(
        today, text.replace("\"10.10.1.6\"", "\"10.10.1.66\""), StandardCharsets.UTF_8);
    assertThat(data.chain().state()).as("cached").isEqualTo(ChainStatus.State.OK);

    clock.set(ConsoleFixtures.NOW.plus(AuditData.CHAIN_TTL).plus(Duration.ofSeconds(1)));
    ChainStatus broken = data.chain();
    assertThat(broken.state()).isEqualTo(ChainStatus.State.BROKEN);
    assertThat(broken.file()).endsWith("audit-2026-11-24.jsonl");
    List<String> lines = text.lines().toList();
    int tampered = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains("\"10.10.1.6\"")) {
        tampered = i + 1;
      }
    }
    assertThat(broken.line()).isEqualTo(tampered);
  }

  @Test
  void deniedRowsAreTheReportsOwn() {
    DeniedPage page =
        data().denied(filters(Map.of("client", "10.10.1.5")), Scope.admin(), allowlist, 100);

    assertThat(page.rows())
        .extracting(DeniedItem::row)
        .extracting(DeniedRow::reason)
        .containsExactly("host not in allowlist");
    assertThat(page.rows().get(0).row().firstSeen()).isEqualTo("2026-11-24T11:00:00.000Z");
  }
}
