package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static dev.patchgate.proxy.ConsoleIT.VENDOR_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.query.CsvReader;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's CSV and HTML exports of the Downloads, Denied and Audit search pages, through a
 * real gateway's admin listener: they hold the page's rows, a vendor's hold only the vendor's
 * entries, each is an audit record naming the export, and values an attacker chose (a formula, a
 * script, quotes, a bidi override, a 10,000-character URL) come out as inert text.
 */
class ConsoleExportIT {
  /** A cell a spreadsheet would run: a link that sends the sheet's data elsewhere when clicked. */
  static final String FORMULA = "=HYPERLINK(\"http://x\")";

  private static final String HOSTILE_CLIENT = "10.10.1.66";
  private static final String TODAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC).format(Instant.now());

  @TempDir Path dir;
  private HttpOrigin origin;
  private HttpOrigin elsewhere;
  private GatewayHarness gateway;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", "a patch\n".getBytes(StandardCharsets.UTF_8));
    elsewhere = HttpOrigin.plain();
    elsewhere.put("other.cab", "another vendor's patch\n".getBytes(StandardCharsets.UTF_8));
    writeHostileRecords(dir.resolve("audit"));
    gateway =
        ConsoleIT.withConsole(
            dir,
            ("entries {\n  lab { hosts = [\"127.0.0.1\"], ports = [%d] }\n"
                    + "  other { hosts = [\"127.0.0.1\"], ports = [%d] }\n}")
                .formatted(origin.port(), elsewhere.port()));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
    elsewhere.close();
  }

  @Test
  void eachPagesCsvAndHtmlHoldThePagesRowsAndEachExportIsAnAuditRecordNamingIt() throws Exception {
    servedTraffic();
    ConsoleHttpClient admin = new ConsoleHttpClient(gateway);
    admin.signIn("alice", ADMIN_PASSWORD);
    String kb = "http://127.0.0.1:%d/files/kb.cab".formatted(origin.port());
    String other = "http://127.0.0.1:%d/files/other.cab".formatted(elsewhere.port());

    HttpResponse<String> page = admin.get("/downloads?client=127.0.0.1");
    HttpResponse<String> csv = admin.get("/downloads.csv?client=127.0.0.1");
    HttpResponse<String> html = admin.get("/downloads.html?client=127.0.0.1");

    assertThat(page.body())
        .contains("href=\"/downloads.csv?client=127.0.0.1\"")
        .contains("href=\"/downloads.html?client=127.0.0.1\"");
    assertThat(csv.statusCode()).isEqualTo(200);
    assertThat(csv.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("text/csv; charset=utf-8"));
    assertThat(csv.headers().firstValue("Content-Disposition"))
        .hasValue("attachment; filename=\"patchgate-downloads-" + TODAY + ".csv\"");
    List<List<String>> rows = CsvReader.parse(csv.body());
    assertThat(rows.get(0)).startsWith("client", "first_seen", "last_seen", "kb", "file");
    assertThat(rows.subList(1, rows.size()))
        .extracting(r -> r.get(r.size() - 1))
        .containsExactlyInAnyOrder(kb, other);
    assertThat(rows.subList(1, rows.size()))
        .allSatisfy(r -> assertThat(r.get(0)).isEqualTo("127.0.0.1"));
    assertThat(html.statusCode()).isEqualTo(200);
    assertThat(html.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(html.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("default-src 'none'"));
    assertThat(html.body())
        .startsWith("<!DOCTYPE html>")
        .contains("<h1>Patch downloads</h1>", "kb.cab", "other.cab", "Filters: client = 127.0.0.1")
        .contains("Exported from the console by alice (admin)")
        .doesNotContain(HOSTILE_CLIENT, "<script");

    List<List<String>> denied = CsvReader.parse(admin.get("/denied.csv").body());
    assertThat(denied.get(0))
        .containsExactly(
            "client", "unregistered", "target", "reason", "count", "first_seen", "last_seen");
    assertThat(denied)
        .anySatisfy(
            r ->
                assertThat(r)
                    .startsWith(
                        "127.0.0.1", "false", "127.0.0.1", "port not allowed for this host", "1"));
    assertThat(admin.get("/denied.html").body())
        .contains("<h1>Denied requests</h1>", "port not allowed for this host");

    List<List<String>> audit =
        CsvReader.parse(admin.get("/audit.csv?client=127.0.0.1&limit=2").body());
    assertThat(audit).hasSize(3);
    assertThat(audit.get(0)).startsWith("ts", "client", "method", "url", "decision", "status");
    assertThat(admin.get("/audit.html?client=127.0.0.1").body())
        .contains("<h1>Audit records</h1>", "kb.cab");

    assertThat(gateway.awaitRecordFor("/downloads.csv?client=127.0.0.1"))
        .containsEntry("user", "alice")
        .containsEntry("decision", "allow")
        .containsEntry("status", 200L)
        .containsEntry("reason", "export patchgate-downloads-" + TODAY + ".csv: 2 rows");
    assertThat(gateway.awaitRecordFor("/audit.csv?client=127.0.0.1&limit=2"))
        .containsEntry("reason", "export patchgate-audit-" + TODAY + ".csv: 2 rows");
  }

  @Test
  void aVendorsExportsHoldOnlyTheirEntriesAndAnotherEntryIsRefusedWithADenyRecord()
      throws Exception {
    servedTraffic();
    ConsoleHttpClient vendor = new ConsoleHttpClient(gateway);
    vendor.signIn("victor", VENDOR_PASSWORD);

    String downloads = vendor.get("/downloads.csv").body();
    String downloadsHtml = vendor.get("/downloads.html").body();
    String audit = vendor.get("/audit.csv?limit=1000").body();
    HttpResponse<String> refused = vendor.get("/downloads.csv?entry=other");
    HttpResponse<String> refusedHtml = vendor.get("/audit.html?entry=other");

    assertThat(downloads).contains("/files/kb.cab").doesNotContain("other.cab");
    assertThat(downloadsHtml)
        .contains("kb.cab", "Exported from the console by victor (vendor; entries: lab)")
        .doesNotContain("other.cab");
    assertThat(audit).contains("/files/kb.cab").doesNotContain("other.cab", ",other,");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.headers().firstValue("Content-Disposition")).isEmpty();
    assertThat(refused.body()).contains("Not allowed").doesNotContain("other.cab");
    assertThat(refusedHtml.statusCode()).isEqualTo(403);
    assertThat(gateway.awaitRecordFor("/downloads.csv?entry=other"))
        .containsEntry("decision", "deny")
        .containsEntry("user", "victor")
        .containsEntry("status", 403L);
  }

  @Test
  void hostileValuesComeOutAsInertTextInCsvAndHtml() throws Exception {
    ConsoleHttpClient admin = new ConsoleHttpClient(gateway);
    admin.signIn("alice", ADMIN_PASSWORD);

    for (String page : List.of("downloads", "denied", "audit")) {
      String query =
          page.equals("audit")
              ? "?client=" + HOSTILE_CLIENT + "&limit=1000"
              : "?client=" + HOSTILE_CLIENT;
      String csv = admin.get("/" + page + ".csv" + query).body();
      String html = admin.get("/" + page + ".html" + query).body();

      List<List<String>> rows = CsvReader.parse(csv);
      assertThat(rows).as(page).hasSizeGreaterThan(4);
      assertThat(rows)
          .as("%s: no cell a spreadsheet would run as a formula", page)
          .allSatisfy(
              r ->
                  assertThat(r)
                      .allSatisfy(
                          cell ->
                              assertThat(cell)
                                  .doesNotStartWith("=")
                                  .doesNotStartWith("@")
                                  .doesNotStartWith("+")));
      String cells = String.join("\n", rows.stream().map(r -> String.join("\t", r)).toList());
      assertThat(cells).as(page).contains(FORMULA, "\\u202e").doesNotContain("\u202E");
      if (page.equals("denied")) {
        // A denied host is a cell of its own, so it begins with the formula; URLs do not.
        assertThat(cells).as(page).contains("'" + FORMULA);
      }
      assertThat(html)
          .as(page)
          .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
          .contains("=HYPERLINK(&quot;http://x&quot;)")
          .contains("\\u202e")
          .doesNotContain("<script", "<img", "\u202E", "href=");
    }
    String downloads = admin.get("/downloads.csv?client=" + HOSTILE_CLIENT).body();
    assertThat(downloads).as("the CSV keeps the long URL whole").contains(ReportExportIT.LONG);
    String page = admin.get("/downloads.html?client=" + HOSTILE_CLIENT).body();
    assertThat(page)
        .as("the HTML page shortens the long URL in the middle, the whole in its title")
        .contains("title=\"" + ReportExportIT.LONG + "\"")
        .contains("<span class=\"cut\">");
  }

  /**
   * Through the gateway: a download from each entry's origin, and a request to a port no entry
   * allows.
   */
  private void servedTraffic() throws Exception {
    assertThat(ConsoleIT.proxiedGet(gateway, origin.port(), "/files/kb.cab")).isEqualTo(200);
    assertThat(ConsoleIT.proxiedGet(gateway, elsewhere.port(), "/files/other.cab")).isEqualTo(200);
    int refusedPort = 18;
    assertThat(ConsoleIT.proxiedGet(gateway, refusedPort, "/files/nothing.msi")).isEqualTo(403);
    gateway.awaitRecords(3);
  }

  /**
   * What one client's requests carrying hostile values look like in the audit log, as the gateway's
   * own writer records them, a minute ago: downloads allowed by the {@code lab} entry whose URLs
   * hold a formula, a script, quotes, a bidi override and a 10,000-character path; and denied
   * requests whose host is each of them.
   */
  static void writeHostileRecords(Path audit) throws Exception {
    Instant start = Instant.now().minus(Duration.ofMinutes(2)).truncatedTo(ChronoUnit.SECONDS);
    List<String> urls = new ArrayList<>(List.of("http://127.0.0.1/files/" + FORMULA));
    urls.addAll(ReportExportIT.HOSTILE_URLS);
    List<String> hosts = new ArrayList<>(List.of(FORMULA));
    hosts.addAll(ReportExportIT.HOSTILE_VALUES);
    List<AuditRecord> records = new ArrayList<>();
    int n = 0;
    for (String url : urls) {
      records.add(
          ReportExportIT.download(
              start.plusSeconds(n++), HOSTILE_CLIENT, url, "127.0.0.1", "lab", CacheOutcome.MISS));
    }
    for (String host : hosts) {
      records.add(
          ReportExportIT.denied(
              start.plusSeconds(n++), HOSTILE_CLIENT, host, "host not in allowlist"));
    }
    try (JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            audit, Clock.fixed(start, ZoneOffset.UTC), Duration.ofMillis(50))) {
      records.forEach(writer::append);
    }
  }
}
