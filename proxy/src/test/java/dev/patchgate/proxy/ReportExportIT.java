package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.text.DisplayText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: the HTML exports of {@code patchgate audit report}, made by the packaged CLI from an
 * audit log the gateway's own writer wrote, opened in a real Chromium at 1366x768: they fit the
 * screen, rows stay a few lines tall, they print on A4, and values an attacker chose stay text.
 * Screenshots and PDFs land in {@code proxy/target/screenshots/}.
 */
class ReportExportIT {
  /** Values whoever sends a request controls: the URL, the Host header, and so the host. */
  static final String SCRIPT = "<script>alert(1)</script>";

  /** Breaks out of an attribute or a cell, with both kinds of quote. */
  static final String QUOTES = "\"><img src=x onerror=alert(1)> 'it''s'";

  /** A link that runs script when clicked, were it ever rendered as one. */
  static final String JS_LINK = "javascript:alert(1)";

  /** A right-to-left override: "invoice<RLO>gpj.exe" reads as "invoiceexe.jpg". */
  static final String BIDI = "invoice\u202Egpj.exe";

  /** A 10,000-character value, as a crafted URL can be. */
  static final String LONG = "http://update.example-vendor.jp/" + "A".repeat(10_000) + "/kb.cab";

  private static final String VENDOR = "update.example-vendor.jp";
  private static final String HOSTILE_CLIENT = "10.10.1.66";

  /** The hostile URLs one client downloaded (allowed by the vendor's entry). */
  static final List<String> HOSTILE_URLS =
      List.of(
          "http://" + VENDOR + "/" + SCRIPT + "/setup.cab",
          "http://" + VENDOR + "/q?" + QUOTES,
          JS_LINK,
          "http://" + VENDOR + "/" + BIDI,
          LONG);

  /** The hostile hosts and reasons of denied requests. */
  static final List<String> HOSTILE_VALUES = List.of(SCRIPT, QUOTES, JS_LINK, BIDI, LONG);

  @TempDir static Path dir;
  private static Browser browser;

  @BeforeAll
  static void writeAuditLogAndStartTheBrowser() throws Exception {
    writeAuditLog(dir.resolve("audit"));
    Files.writeString(
        dir.resolve("allowlist.conf"),
        """
        entries {
          windows-update { profile = windows-update }
          emr-vendor { hosts = ["%s"] }
        }
        """
            .formatted(VENDOR));
    Files.writeString(
        dir.resolve("patchgate.conf"),
        "patchgate.allowlist = \"allowlist.conf\"\npatchgate.audit.dir = \"audit\"\n");
    browser = Browser.start();
  }

  @AfterAll
  static void closeTheBrowser() {
    if (browser != null) {
      browser.close();
    }
  }

  @Test
  void patchesPageFitsTheScreenAndPrintsOnA4() throws Exception {
    assertFitsAndPrints("patches", report("report-patches", "patches"));
  }

  @Test
  void deniedPageFitsTheScreenAndPrintsOnA4() throws Exception {
    assertFitsAndPrints("denied", report("report-denied", "denied"));
  }

  @Test
  void coveragePageFitsTheScreenAndPrintsOnA4() throws Exception {
    Path page =
        report(
            "report-coverage",
            "coverage",
            "--kb",
            "KB5034441",
            "--kb",
            "KB5035845",
            "--clients",
            "10.10.1.0/24");
    assertFitsAndPrints("coverage", page);
    assertThat(browser.texts("td")).contains("KB5034441", "KB5035845");
  }

  @Test
  void hostileUrlsInThePatchesPageStayText() throws Exception {
    openTheHostileClientsPage("patches");

    List<String> cells = browser.texts("td.u");
    for (String url : HOSTILE_URLS) {
      assertThat(cells).as(url).contains(DisplayText.clean(url));
    }
    assertThat(browser.htmls("td.u"))
        .as("the markup is escaped, so it is text, not an element")
        .contains(
            "http://update.example-vendor.jp/&lt;script&gt;alert(1)&lt;/script&gt;/setup.cab");
    assertThat(browser.attributes("td.u[title]", "title")).contains(LONG);
    int longCell = browser.texts("td.u").indexOf(LONG);
    assertThat(browser.copiedText("td.u", longCell))
        .as("selecting the shortened cell copies the whole URL")
        .isEqualTo(LONG);
  }

  @Test
  void hostileHostsAndReasonsInTheDeniedPageStayText() throws Exception {
    openTheHostileClientsPage("denied");

    List<String> cells = browser.texts("td");
    for (String value : HOSTILE_VALUES) {
      assertThat(cells)
          .as("as a host and as a reason: %s", value)
          .contains(DisplayText.clean(value))
          .filteredOn(DisplayText.clean(value)::equals)
          .hasSize(2);
    }
    assertThat(String.join("", cells))
        .as("the override is shown escaped, so it cannot reorder the row")
        .contains("invoice\\u202egpj.exe")
        .doesNotContain("\u202E");
  }

  /** Opens the page at 1366x768 and checks what its reader sees on screen and on paper. */
  private static void assertFitsAndPrints(String name, Path page) throws Exception {
    browser.open(page.toUri());

    assertThat(browser.viewportWidth()).isEqualTo(Browser.WIDTH);
    assertThat(browser.scrollWidth())
        .as("%s: scrolls sideways at %d px", name, Browser.WIDTH)
        .isLessThanOrEqualTo(Browser.WIDTH);
    List<Double> rows = browser.rowHeights();
    assertThat(rows).as("%s: rows", name).hasSizeGreaterThan(10);
    double threeLines = 3 * browser.lineHeight("tbody td") + 8;
    assertThat(rows)
        .as("%s: every row at most three lines (%.0f px) tall", name, threeLines)
        .allSatisfy(h -> assertThat(h).isLessThanOrEqualTo(threeLines));
    assertInert();
    assertThat(browser.screenshot("report-" + name)).isNotEmptyFile();

    assertThat(browser.printScrollWidth())
        .as("%s: wider than A4 landscape, so printing would cut it", name)
        .isLessThanOrEqualTo(Math.round(277 / 25.4 * 96));
    int pages = browser.printA4("report-" + name);
    assertThat(pages).as("%s: A4 pages for %d rows", name, rows.size()).isBetween(1, 12);
  }

  /** Opens {@code report} for the hostile client only, saves its screenshot, checks it is inert. */
  private static void openTheHostileClientsPage(String report) throws Exception {
    String name = "report-" + report + "-hostile";
    browser.open(report(name, report, "--client", HOSTILE_CLIENT).toUri());
    browser.screenshot(name);
    assertInert();
  }

  /** Nothing in the page runs, links or loads. */
  private static void assertInert() {
    assertThat(browser.dialogOpen()).as("an alert fired").isFalse();
    assertThat(browser.script("return document.scripts.length")).isEqualTo(0L);
    assertThat(browser.count("a, img, iframe, object, embed, form, link")).isZero();
    assertThat(
            browser.script(
                "return Array.from(document.querySelectorAll('*')).filter(e =>"
                    + " Array.from(e.attributes).some(a => a.name.startsWith('on'))).length"))
        .as("elements with event handler attributes")
        .isEqualTo(0L);
  }

  /** Runs {@code patchgate audit report ARGS --format html} and saves its page as NAME.html. */
  private static Path report(String name, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("audit", "report"));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", "patchgate.conf", "--format", "html"));
    try (GatewayProcess cli =
        GatewayProcess.start(dir, List.of(), command.toArray(String[]::new))) {
      int exit = cli.awaitExit();
      String html = String.join("\n", cli.output());
      assertThat(exit).as(html).isZero();
      assertThat(html).startsWith("<!DOCTYPE html>");
      Path page = dir.resolve(name + ".html");
      Files.writeString(page, html, StandardCharsets.UTF_8);
      return page;
    }
  }

  /**
   * A hospital's week of Windows Update traffic as the gateway's writer records it: eight PCs
   * fetching cumulative updates in ranges from the mirror and upstream, Delivery Optimization files
   * with long query strings, denied telemetry and browsing; and one client whose requests carry the
   * hostile values above.
   */
  private static void writeAuditLog(Path audit) throws Exception {
    Instant start = Instant.parse("2026-11-16T08:00:00Z");
    List<AuditRecord> records = new ArrayList<>();
    String[] kbs = {"kb5034441", "kb5035845", "kb5036893"};
    String[] denied = {
      "v10.events.data.microsoft.com",
      "www.google.com",
      "login.live.com",
      "ctldl.windowsupdate.com.evil.example",
      "192.0.2.44"
    };
    int n = 0;
    for (int pc = 5; pc <= 12; pc++) {
      String client = "10.10.1." + pc;
      for (int k = 0; k < kbs.length; k++) {
        String url =
            "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/0"
                + (k + 1)
                + "/windows10.0-"
                + kbs[k]
                + "-x64_"
                + sha1(kbs[k])
                + ".cab";
        for (int range = 0; range < 3; range++) {
          records.add(
              download(
                  start.plusSeconds(3600L * n++),
                  client,
                  url,
                  "download.windowsupdate.com",
                  "windows-update",
                  range == 1 ? CacheOutcome.MISS : CacheOutcome.HIT));
        }
      }
      String doUrl =
          "http://7.tlu.dl.delivery.mp.microsoft.com/filestreamingservice/files/"
              + UUID.nameUUIDFromBytes(client.getBytes(StandardCharsets.US_ASCII))
              + "?P1=1700000003&P2=404&P3=2&P4="
              + "Zm9vYmFyYmF6cXV4".repeat(8);
      records.add(
          download(
              start.plusSeconds(3600L * n++),
              client,
              doUrl,
              "7.tlu.dl.delivery.mp.microsoft.com",
              "windows-update",
              CacheOutcome.MISS));
      for (String host : denied) {
        records.add(denied(start.plusSeconds(3600L * n++), client, host, "host not in allowlist"));
      }
    }
    for (String url : HOSTILE_URLS) {
      records.add(
          download(
              start.plusSeconds(3600L * n++),
              HOSTILE_CLIENT,
              url,
              VENDOR,
              "emr-vendor",
              CacheOutcome.MISS));
    }
    for (String value : HOSTILE_VALUES) {
      records.add(
          denied(start.plusSeconds(3600L * n++), HOSTILE_CLIENT, value, "host not in allowlist"));
      records.add(denied(start.plusSeconds(3600L * n++), HOSTILE_CLIENT, "evil.example", value));
    }
    Instant last = records.get(records.size() - 1).ts();
    try (JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(audit, Clock.fixed(last, ZoneOffset.UTC), Duration.ofMillis(50))) {
      records.forEach(writer::append);
    }
  }

  static AuditRecord download(
      Instant ts, String client, String url, String host, String entry, CacheOutcome cache) {
    return new AuditRecord(
        ts,
        "r" + ts.getEpochSecond(),
        client,
        null,
        "GET",
        url,
        host,
        80,
        AuditDecision.ALLOW,
        entry,
        null,
        false,
        200,
        48_000_300L,
        300,
        5_200,
        "application/vnd.ms-cab-compressed",
        48_000_000L,
        cache,
        cache == CacheOutcome.HIT ? null : "203.0.113.7",
        null,
        null);
  }

  static AuditRecord denied(Instant ts, String client, String host, String reason) {
    return new AuditRecord(
        ts,
        "d" + ts.getEpochSecond(),
        client,
        null,
        "GET",
        "http://" + host + "/",
        host,
        80,
        AuditDecision.DENY,
        null,
        reason,
        false,
        403,
        512,
        300,
        1,
        "text/html",
        null,
        CacheOutcome.NONE,
        null,
        null,
        null);
  }

  private static String sha1(String seed) throws Exception {
    return HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-1")
                .digest(seed.getBytes(StandardCharsets.US_ASCII)))
        .toLowerCase(Locale.ROOT);
  }
}
