package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleBrowserIT.assertHostileIsText;
import static dev.patchgate.proxy.ConsoleBrowserIT.signIn;
import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static dev.patchgate.proxy.ConsoleIT.VENDOR_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Vendor scoping and hostile data in a real headless Chromium, with a real gateway that served two
 * vendors' entries ({@code lab} for the vendor {@code victor}, {@code pacs} for someone else):
 * victor sees only lab's rows on every page and in the API, and is refused pacs's by the filter
 * form; the administrator's pages show URLs, Host headers and user names holding markup, quotes,
 * {@code javascript:} links, bidi controls and 5000 characters as short, one-line text.
 */
class ConsoleScopeBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String LAB = "lab.example.test";
  private static final String PACS = "pacs.example.test";
  private static final String LONG = "x".repeat(5000);

  /** Markup, quotes and javascript: links, percent-encoded. */
  private static final String ENCODED_PATH =
      "/files/%3Cscript%3Ealert(1)%3C/script%3E'%22%3E%3Ca%20href=javascript:alert(2)%3E"
          + "kb5034441.cab?next=javascript:alert(3)&pad="
          + LONG;

  /** Markup, quotes and javascript: links as written. */
  private static final String RAW_PATH =
      "/files/<script>alert(1)</script>\"'><a%20href=javascript:alert(2)>?pad=" + LONG;

  private static final String HOSTILE_HOST = "<script>alert(5)</script>\"'" + "h".repeat(2000);
  private static final String BIDI = "\u202Egnp.exe\u2066<script>alert(4)</script>\u2069";

  @TempDir Path dir;
  private ScriptedOrigin origin;
  private GatewayHarness gateway;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    origin = new ScriptedOrigin(ConsoleScopeBrowserIT::answerOk);
    FakeResolver resolver = new FakeResolver().answer(LAB, "127.0.0.1").answer(PACS, "127.0.0.1");
    gateway =
        GatewayHarness.with(
                dir,
                """
                entries {
                  lab { hosts = ["%s"], ports = [%d], addresses = ["127.0.0.0/8"], kb-files = true }
                  pacs { hosts = ["%s"], ports = [%d], addresses = ["127.0.0.0/8"] }
                }
                """
                    .formatted(LAB, origin.port(), PACS, origin.port()))
            .resolver(resolver)
            .admin()
            .config(
                "patchgate.console { enabled = true, users = \"%s\" }\n"
                    .formatted(ConsoleIT.writeUsers(dir)))
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    Closing.all(browser, gateway, origin);
  }

  @Test
  void aVendorSeesOnlyTheirEntrysRowsOnEveryPageAndInTheApiAndIsRefusedAnother() throws Exception {
    assertThat(get(LAB, origin.port(), "/files/windows10.0-kb5034441-x64.cab")).isEqualTo(200);
    assertThat(get(PACS, origin.port(), "/files/pacs-viewer-7.2.msi")).isEqualTo(200);
    assertThat(get(LAB, 18, "/lab-refused")).isEqualTo(403);
    assertThat(get(PACS, 18, "/pacs-refused")).isEqualTo(403);
    gateway.awaitRecords(4);
    browser = Browser.start();
    browser.open(console("/login"));
    signIn(browser, "victor", VENDOR_PASSWORD);

    browser.open(console("/downloads"));
    assertThat(browser.texts("table.rows tbody td")).contains("lab").doesNotContain("pacs");
    assertThat(page()).contains("windows10.0-kb5034441-x64.cab").doesNotContain("pacs-viewer");
    assertHostileIsText(browser);
    assertThat(browser.screenshot("console-vendor-downloads")).isNotEmptyFile();

    browser.open(console("/denied"));
    assertThat(page()).contains("lab-refused").doesNotContain("pacs-refused", PACS);

    browser.open(console("/audit"));
    assertThat(page()).contains("kb5034441", "lab-refused").doesNotContain("pacs");

    for (String api : List.of("/api/downloads", "/api/denied", "/api/audit")) {
      JsonObject answer = fetch(api);
      assertThat(answer.getInteger("status")).as(api).isEqualTo(200);
      String rows = new JsonObject(answer.getString("body")).getJsonArray("rows").encode();
      assertThat(rows).as(api).contains(LAB).doesNotContain(PACS);
    }
    assertThat(fetch("/api/status").getInteger("status")).isEqualTo(403);

    browser.open(console("/downloads"));
    WebElement entry = browser.driver().findElement(By.name("entry"));
    entry.sendKeys("pacs");
    entry.submit();
    new WebDriverWait(browser.driver(), WAIT).until(d -> d.getCurrentUrl().contains("entry=pacs"));
    assertThat(browser.texts("h1")).containsExactly("Not allowed");
    assertThat(page()).contains("pacs").doesNotContain("pacs-viewer");
    assertThat(gateway.awaitRecordFor("/downloads?client=&kb=&entry=pacs&since=&until="))
        .containsEntry("user", "victor")
        .containsEntry("decision", "deny")
        .containsEntry("status", 403L);
  }

  @Test
  void hostileUrlsHostHeadersAndUserNamesAreShortOneLineTextOnEveryPage() throws Exception {
    assertThat(get(LAB, origin.port(), "/files/windows10.0-kb5034441-x64.cab")).isEqualTo(200);
    // Printable ASCII passes the gateway's strict parser: markup and quotes raw or encoded.
    assertThat(get(LAB, origin.port(), RAW_PATH)).isEqualTo(200);
    assertThat(get(LAB, origin.port(), ENCODED_PATH)).isEqualTo(200);
    assertThat(get(LAB, 18, RAW_PATH)).isEqualTo(403);
    // A Host header other than the URL's is refused; its value is recorded nowhere.
    assertThat(
            send(
                "GET http://%s:%d/files/a.cab HTTP/1.1\r\nHost: %s\r\n\r\n"
                    .formatted(LAB, origin.port(), HOSTILE_HOST)))
        .isEqualTo(400);
    gateway.awaitRecords(5);
    browser = Browser.start();
    browser.open(console("/login"));
    // A user name is the one field where a client's own characters, bidi controls too, arrive.
    signIn(browser, BIDI + LONG, "not the password at all");
    browser.open(console("/login"));
    signIn(browser, "alice", ADMIN_PASSWORD);

    for (String path : List.of("/", "/downloads", "/denied", "/audit")) {
      browser.open(console(path));
      assertHostileIsText(browser);
      // A Denied row is as tall as its explanation and snippet; its request stays one line.
      List<Double> heights = path.equals("/denied") ? heights("div.url") : browser.rowHeights();
      assertThat(heights).as(path).allSatisfy(h -> assertThat(h).isLessThan(80.0));
      assertThat(page()).as(path).doesNotContain("\u202E", "\u2066", "alert(5)", LONG);
      for (WebElement cell : browser.driver().findElements(By.cssSelector("td[title]"))) {
        assertThat(cell.getDomProperty("textContent").strip().length())
            .as("%s: a cell shows %s", path, cell.getDomAttribute("title"))
            .isLessThan(200);
      }
    }
    browser.open(console("/downloads"));
    assertThat(browser.attributes("td.url", "title"))
        .anySatisfy(t -> assertThat(t).contains("<script>alert(1)</script>\"'>", LONG))
        .anySatisfy(t -> assertThat(t).contains("%3Cscript%3E", "javascript:alert(3)", LONG));
    browser.open(console("/denied"));
    assertThat(browser.attributes("[title]", "title"))
        .anySatisfy(t -> assertThat(t).contains("<script>alert(1)</script>\"'>", LONG));
    browser.open(console("/audit"));
    assertThat(browser.attributes("td.url", "title"))
        .anySatisfy(t -> assertThat(t).contains("<script>alert(1)</script>\"'>", LONG));
    assertThat(browser.texts("table.rows td"))
        .contains("Host header differs from the request URL")
        .anySatisfy(t -> assertThat(t).startsWith("\\u202egnp.exe\\u2066").contains("..."));
    assertThat(browser.attributes("td.line", "title"))
        .anySatisfy(t -> assertThat(t).contains("<script>alert(4)</script>", LONG));
    // The picture: the refused sign-in and, below it, the proxied requests before it.
    browser.script(
        "document.querySelector('td.line[title*=\"alert(4)\"]').closest('tr')"
            + ".scrollIntoView({block: 'start'})");
    assertThat(browser.screenshot("console-hostile-audit")).isNotEmptyFile();
  }

  /** The height in CSS pixels of every element {@code css} selects. */
  private List<Double> heights(String css) {
    return ((List<?>)
            browser.script(
                "return Array.from(document.querySelectorAll(arguments[0]))"
                    + ".map(e => e.getBoundingClientRect().height)",
                css))
        .stream().map(h -> ((Number) h).doubleValue()).toList();
  }

  /** The text of the page's main part, as a user reads it. */
  private String page() {
    return browser.texts("main").get(0);
  }

  /**
   * Asks {@code path} from inside the page, with the browser's session, as a hospital's tool in the
   * browser would: {@code {status, body}}.
   */
  private JsonObject fetch(String path) {
    Object answer =
        browser.script(
            "const x = new XMLHttpRequest(); x.open('GET', arguments[0], false); x.send();"
                + " return JSON.stringify({status: x.status, body: x.responseText});",
            path);
    return new JsonObject((String) answer);
  }

  /** A GET through the gateway for {@code host:port path}: the status. */
  private int get(String host, int port, String path) throws Exception {
    return send(
        "GET http://%s:%d%s HTTP/1.1\r\nHost: %s:%d\r\n\r\n"
            .formatted(host, port, path, host, port));
  }

  private int send(String request) throws Exception {
    try (Socket proxied = gateway.socket()) {
      RawHttp.send(proxied, request);
      return RawHttp.read(proxied, false).status();
    }
  }

  /** Answers any request 200 with a small file, as a vendor's download server does. */
  private static void answerOk(Socket connection) throws IOException {
    InputStream in = connection.getInputStream();
    RawHttp.completeHead(in, "request");
    byte[] body = "a patch\n".getBytes(StandardCharsets.UTF_8);
    OutputStream out = connection.getOutputStream();
    out.write(
        ("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + body.length
                + "\r\nConnection: close\r\n\r\n")
            .getBytes(StandardCharsets.ISO_8859_1));
    out.write(body);
    out.flush();
  }

  private URI console(String path) {
    return URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path);
  }
}
