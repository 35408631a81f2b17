package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static dev.patchgate.proxy.ConsoleIT.VENDOR_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real headless Chromium, as an administrator and a vendor meet it: the sign-in
 * form typed into and clicked, the Overview's figures against the traffic a real gateway served,
 * sign-out, a vendor refused an admin page, hostile input shown as text, nothing loaded from
 * elsewhere, a 1366-px screen, and TLS with a Secure cookie. Screenshots go to {@code
 * target/screenshots/console-*.png}.
 */
class ConsoleBrowserIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final byte[] PACKAGE =
      "a patch, byte for byte\n".repeat(400).getBytes(StandardCharsets.UTF_8);
  // Named by its SHA-1, as Windows Update names its files: kept and served without revalidation.
  private static final String PACKAGE_NAME =
      "windows10.0-kb5034441-x64_" + AdminIT.sha1(PACKAGE) + ".cab";
  private static final Pattern ONE_MIRROR_OBJECT =
      Pattern.compile("(?m)^patchgate_mirror_objects(\\{[^}]*\\})? 1(\\.0)?$");
  private static final Pattern TWO_MIRROR_OBJECTS =
      Pattern.compile("(?m)^patchgate_mirror_objects(\\{[^}]*\\})? 2(\\.0)?$");

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;
  private Browser browser;
  private AlertHook hook;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put(PACKAGE_NAME, PACKAGE);
    hook = new AlertHook();
    gateway =
        GatewayHarness.with(
                dir,
                "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d], kb-files = true } }"
                    .formatted(origin.port()))
            .mirror()
            .admin()
            .config(
                "patchgate.console { enabled = true, users = \"%s\" }\n"
                        .formatted(ConsoleIT.writeUsers(dir))
                    + hook.config())
            .start();
  }

  @AfterEach
  void stop() throws Exception {
    Closing.all(browser, gateway, origin, hook);
  }

  @Test
  void anAdminSignsInThroughTheFormSeesTheRealFiguresAndSignsOut() throws Exception {
    assertThat(proxiedGet(origin.port(), "/files/" + PACKAGE_NAME)).isEqualTo(200); // a miss
    await().atMost(WAIT).until(() -> ONE_MIRROR_OBJECT.matcher(admin("/metrics")).find());
    assertThat(proxiedGet(origin.port(), "/files/" + PACKAGE_NAME)).isEqualTo(200); // a hit
    assertThat(proxiedGet(18, "/elsewhere")).isEqualTo(403); // denied: port 18 is not allowed
    hook.await("denied");
    browser = Browser.start();

    browser.open(console("/login"));
    assertThat(browser.driver().getTitle()).contains("Sign in");
    assertThat(browser.count("input[name=username]")).isEqualTo(1);
    assertThat(browser.screenshot("console-login")).isNotEmptyFile();
    signIn("alice", ADMIN_PASSWORD);

    assertThat(browser.driver().getCurrentUrl()).isEqualTo(console("/").toString());
    assertThat(browser.texts("h1")).containsExactly("Overview");
    assertThat(browser.texts(".card h2")).contains("Requests since the gateway started");
    Map<String, String> figures = figures();
    assertThat(figures)
        .containsEntry("Allowed", "2")
        .containsEntry("Denied", "1")
        .containsEntry("Errors", "0")
        .containsEntry("Hit ratio", "50 %")
        .containsEntry("Hits / misses", "1 / 1");
    // The one hit: the package and its header, shown in KiB.
    assertThat(figures.get("Served from the mirror")).endsWith(" KiB");
    assertThat(Double.parseDouble(figures.get("Served from the mirror").replace(" KiB", "")))
        .isBetween(PACKAGE.length / 1024.0, (PACKAGE.length + 1024) / 1024.0);
    // The last hour by minute: one line per decision in an inline SVG, and the same in words.
    assertThat(browser.count(".card.chart svg polyline.series")).isEqualTo(3);
    assertThat(browser.texts(".card.chart svg title"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("Requests per minute by decision, ");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              browser.open(console("/"));
              return browser.texts(".card.chart p.summary").toString();
            },
            summary -> summary.contains("last 60 minutes: 2 allowed, 1 denied, 0 errors"));
    assertThat(browser.texts(".card.alerts td.line"))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .contains("denied request from 127.0.0.1 to 127.0.0.1");
    assertNothingFromElsewhereAndFits();
    assertThat(browser.screenshot("console-overview")).isNotEmptyFile();

    browser.driver().findElement(By.cssSelector("form.signout button")).click();
    awaitUrl("/login");
    browser.open(console("/"));

    assertThat(browser.driver().getCurrentUrl()).isEqualTo(console("/login").toString());
    assertThat(browser.texts("h1")).containsExactly("Sign in");
  }

  @Test
  void aVendorSeesTheirSystemsAndIsRefusedAnAdminPageByUrl() throws Exception {
    browser = Browser.start();
    browser.open(console("/login"));
    signIn("victor", VENDOR_PASSWORD);

    assertThat(browser.texts("h1")).containsExactly("Your systems");
    assertThat(browser.texts("header nav a"))
        .containsExactly("Your systems", "Downloads", "Denied", "Audit search");
    assertThat(browser.texts("main dd")).contains("lab");
    assertNothingFromElsewhereAndFits();
    assertThat(browser.screenshot("console-vendor")).isNotEmptyFile();
    browser.open(console("/allowlist"));

    assertThat(browser.texts("main").get(0)).doesNotContain("allowlist.conf");
    assertThat(browser.texts("h1").get(0)).containsIgnoringCase("not allowed");
    // A vendor has no overview: the way back names the page they have.
    assertThat(browser.texts("main a")).containsExactly("Back to your systems");
    assertThat(browser.screenshot("console-vendor-403")).isNotEmptyFile();
    assertThat(gateway.awaitRecordFor("/allowlist"))
        .containsEntry("user", "victor")
        .containsEntry("status", 403L);
  }

  @Test
  void anAdminReadsTheAllowlistExplainsAUrlAndPurgesTheMirrorThroughTheForms() throws Exception {
    String hostilePath = "/files/<script>alert(1)</script>\"'><img/src=x/onerror=alert(2)>.cab";
    byte[] hostileBody = "stored under a hostile URL\n".getBytes(StandardCharsets.UTF_8);
    try (ScriptedOrigin hostileOrigin =
        new ScriptedOrigin(
            c -> {
              RawHttp.readHead(c.getInputStream());
              c.getOutputStream()
                  .write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nCache-Control: max-age=3600\r\n"
                              + "Connection: close\r\n\r\n")
                          .formatted(hostileBody.length)
                          .getBytes(StandardCharsets.US_ASCII));
              c.getOutputStream().write(hostileBody);
              c.getOutputStream().flush();
            })) {
      gateway.editAllowlist(
          """
          clients { lab-pcs = ["127.0.0.0/8"], ward-3 = ["10.30.0.0/24"] }
          entries {
            lab { hosts = ["127.0.0.1"], ports = [%d, %d], kb-files = true, clients = [lab-pcs] }
            wu { profile = windows-update, clients = [ward-3], schedule = ["Mon-Fri 22:00-06:00"] }
          }
          """
              .formatted(origin.port(), hostileOrigin.port()));
      await().atMost(WAIT).until(() -> gateway.reloads("ok") == 1);
      assertThat(proxiedGet(origin.port(), "/files/" + PACKAGE_NAME)).isEqualTo(200);
      assertThat(proxiedGet(hostileOrigin.port(), hostilePath)).isEqualTo(200);
      await().atMost(WAIT).until(() -> TWO_MIRROR_OBJECTS.matcher(admin("/metrics")).find());
      String packageUrl = "http://127.0.0.1:%d/files/%s".formatted(origin.port(), PACKAGE_NAME);
      browser = Browser.start();
      browser.open(console("/login"));
      signIn("alice", ADMIN_PASSWORD);

      browser.open(console("/allowlist"));
      assertThat(browser.texts("h1")).containsExactly("Allowlist");
      assertThat(browser.texts("table.entries td strong")).containsExactly("lab", "wu");
      assertThat(browser.texts("table.groups td")).contains("lab-pcs", "127.0.0.0/8", "ward-3");
      assertThat(browser.texts("details.profile summary strong")).contains("windows-update");
      var driver = browser.driver();
      driver.findElement(By.name("url")).sendKeys(packageUrl);
      driver.findElement(By.name("client")).sendKeys("127.0.0.1");
      var explainForm = driver.findElement(By.cssSelector("form.explain-form"));
      driver.findElement(By.cssSelector("form.explain-form button")).click();
      new WebDriverWait(driver, WAIT).until(d -> gone(explainForm));
      assertThat(browser.texts("p.verdict")).containsExactly("Allowed");
      assertThat(String.join("\n", browser.texts("div.explained li")))
          .contains("client 127.0.0.1 is in group lab-pcs", "allowed by entry 'lab'");
      assertNothingFromElsewhereAndFits();
      assertThat(browser.screenshot("console-allowlist")).isNotEmptyFile();

      browser.open(console("/mirror"));
      assertThat(browser.texts("h1")).containsExactly("Mirror");
      assertThat(browser.attributes("td.url", "title"))
          .containsExactlyInAnyOrder(
              packageUrl, "http://127.0.0.1:%d%s".formatted(hostileOrigin.port(), hostilePath));
      assertHostileIsText();
      assertThat(browser.screenshot("console-mirror")).isNotEmptyFile();
      // A purge whose form carries another token (a forged cross-site form would) is refused and
      // removes nothing.
      driver
          .findElement(By.name("prefix"))
          .sendKeys("http://127.0.0.1:%d/files/".formatted(origin.port()));
      browser.script(
          "document.querySelector(\"form.purge-form input[name=csrf]\").value = \"forged\"");
      var forgedForm = driver.findElement(By.cssSelector("form.purge-form"));
      driver.findElement(By.cssSelector("form.purge-form button")).click();
      new WebDriverWait(driver, WAIT).until(d -> gone(forgedForm));
      assertThat(driver.getPageSource()).doesNotContain("Purged");
      assertThat(
              gateway.awaitRecord(
                  r ->
                      "CONSOLE".equals(r.get("method"))
                          && Long.valueOf(403).equals(r.get("status"))))
          .containsEntry("url", "/mirror/purge");
      browser.open(console("/mirror"));
      assertThat(browser.attributes("td.url", "title")).hasSize(2).contains(packageUrl);

      driver
          .findElement(By.name("prefix"))
          .sendKeys("http://127.0.0.1:%d/files/".formatted(origin.port()));
      var purgeForm = driver.findElement(By.cssSelector("form.purge-form"));
      driver.findElement(By.cssSelector("form.purge-form button")).click();
      new WebDriverWait(driver, WAIT).until(d -> gone(purgeForm));

      assertThat(String.join("\n", browser.texts(".purged p"))).startsWith("Purged 1 object (");
      assertThat(browser.attributes(".purged li.url", "title")).containsExactly(packageUrl);
      assertThat(browser.attributes("td.url", "title"))
          .containsExactly("http://127.0.0.1:%d%s".formatted(hostileOrigin.port(), hostilePath));
      assertHostileIsText();
      assertThat(browser.screenshot("console-mirror-purged")).isNotEmptyFile();
      assertThat(gateway.awaitRecord(r -> String.valueOf(r.get("reason")).startsWith("purged 1 ")))
          .containsEntry("user", "alice")
          .containsEntry("method", "CONSOLE");
    }
  }

  @Test
  void aWrongPasswordAndAHostileUserNameGetTheFormAgainAsText() throws Exception {
    String hostile = "<script>alert(1)</script>\"' onfocus=\"alert(2)";
    browser = Browser.start();
    browser.open(console("/login"));

    signIn(hostile, "not the password at all");

    assertThat(browser.texts("p.problem")).containsExactly("Wrong user name or password.");
    assertThat(browser.count("input[name=password]")).isEqualTo(1);
    assertThat(browser.driver().findElement(By.name("username")).getDomProperty("value"))
        .isEqualTo(hostile);
    assertThat(browser.dialogOpen()).as("an alert fired").isFalse();
    assertThat(browser.script("return document.scripts.length")).isEqualTo(0L);
    assertThat(browser.count("[onfocus]")).isZero();
    assertNothingFromElsewhereAndFits();
    assertThat(browser.screenshot("console-login-refused")).isNotEmptyFile();
  }

  @Test
  void withTlsTheSignInWorksInChromiumAndTheCookieIsSecureHttpOnlyAndStrict() throws Exception {
    Path tls = Files.createDirectories(dir.resolve("tls"));
    try (GatewayProcess process = ConsoleIT.withTls(tls, origin.port())) {
      String base = "https://127.0.0.1:" + process.awaitAdminPort();
      browser = Browser.acceptingInsecureCerts();
      browser.open(URI.create(base + "/login"));

      signIn("alice", ADMIN_PASSWORD);

      assertThat(browser.driver().getCurrentUrl()).as("%s", process.output()).isEqualTo(base + "/");
      assertThat(browser.texts("h1")).containsExactly("Overview");
      Cookie session = browser.driver().manage().getCookieNamed("patchgate_session");
      assertThat(session).isNotNull();
      assertThat(session.isSecure()).isTrue();
      assertThat(session.isHttpOnly()).isTrue();
      assertThat(session.getSameSite()).isEqualTo("Strict");
      assertThat(browser.screenshot("console-overview-tls")).isNotEmptyFile();
    }
  }

  @Test
  void theDownloadsDeniedAndAuditPagesShowRealTrafficAndHostileUrlsAsText() throws Exception {
    String hostile =
        "/files/<script>alert(1)</script>\"'><img src=x onerror=alert(2)>?next=javascript:alert(3)&pad="
            + "x".repeat(300);
    assertThat(proxiedGet(origin.port(), "/files/" + PACKAGE_NAME)).isEqualTo(200);
    assertThat(proxiedGet(18, "/elsewhere")).isEqualTo(403);
    proxiedGet(18, hostile);
    await().atMost(WAIT).until(() -> gateway.records().size() >= 3);
    browser = Browser.start();
    browser.open(console("/login"));
    signIn("alice", ADMIN_PASSWORD);

    browser.open(console("/downloads"));
    assertThat(browser.texts("h1")).containsExactly("Downloads");
    assertThat(browser.texts("table.rows td")).contains("127.0.0.1", "KB5034441", "lab");
    assertThat(browser.driver().findElement(By.cssSelector("td.url")).getAttribute("title"))
        .isEqualTo("http://127.0.0.1:%d/files/%s".formatted(origin.port(), PACKAGE_NAME));
    assertHostileIsText();
    assertThat(browser.screenshot("console-downloads")).isNotEmptyFile();

    browser.open(console("/denied"));
    assertThat(browser.texts("h1")).containsExactly("Denied requests");
    assertThat(String.join("\n", browser.texts("table.rows td")))
        .contains("port not allowed for this host");
    assertThat(browser.texts("pre.snippet")).anySatisfy(t -> assertThat(t).contains("entries {"));
    assertHostileIsText();
    assertThat(browser.screenshot("console-denied")).isNotEmptyFile();

    browser.open(console("/audit"));
    assertThat(browser.texts("h1")).containsExactly("Audit search");
    assertThat(String.join("\n", browser.texts("main p"))).contains("intact");
    assertThat(browser.driver().findElements(By.cssSelector("td.url")))
        .anySatisfy(
            td -> assertThat(td.getAttribute("title")).contains("<script>alert(1)</script>"));
    assertHostileIsText();
    assertThat(browser.screenshot("console-audit")).isNotEmptyFile();
  }

  private void assertHostileIsText() {
    assertHostileIsText(browser);
  }

  /**
   * The page ran no script but the console's own file, opened no dialog, links nowhere by
   * javascript:, and fits 1366 px.
   */
  static void assertHostileIsText(Browser browser) {
    assertThat(browser.dialogOpen()).as("an alert fired").isFalse();
    assertThat(browser.attributes("script", "src"))
        .allSatisfy(src -> assertThat(src).isEqualTo("/console.js"));
    assertThat(browser.count("img, [onerror], a[href^=javascript]")).isZero();
    assertNothingFromElsewhereAndFits(browser);
  }

  private void signIn(String user, String password) {
    signIn(browser, user, password);
  }

  /** Types into the form as a user does and clicks its button, then waits for the next page. */
  static void signIn(Browser browser, String user, String password) {
    var driver = browser.driver();
    var form = driver.findElement(By.cssSelector("form[action='/login']"));
    driver.findElement(By.name("username")).clear();
    driver.findElement(By.name("username")).sendKeys(user);
    driver.findElement(By.name("password")).sendKeys(password);
    driver.findElement(By.cssSelector("form[action='/login'] button")).click();
    new WebDriverWait(driver, WAIT).until(d -> gone(form));
  }

  /**
   * True once {@code element}'s document was replaced. Selenium's {@code stalenessOf} expects a
   * stale-element error; while the next page loads, Chromium may instead answer that the node "does
   * not belong to the document", which says the same.
   */
  private static boolean gone(org.openqa.selenium.WebElement element) {
    try {
      element.isEnabled();
      return false;
    } catch (org.openqa.selenium.StaleElementReferenceException e) {
      return true;
    } catch (org.openqa.selenium.WebDriverException e) {
      if (String.valueOf(e.getMessage()).contains("does not belong to the document")) {
        return true;
      }
      throw e;
    }
  }

  private void awaitUrl(String path) {
    new WebDriverWait(browser.driver(), WAIT)
        .until(ExpectedConditions.urlToBe(console(path).toString()));
  }

  /** Every label of the Overview's cards with its figure, as the page shows them. */
  private Map<String, String> figures() {
    List<String> labels = browser.texts(".card dt");
    List<String> values = browser.texts(".card dd");
    assertThat(labels).hasSameSizeAs(values);
    Map<String, String> figures = new LinkedHashMap<>();
    for (int i = 0; i < labels.size(); i++) {
      figures.put(labels.get(i).strip(), values.get(i).strip());
    }
    return figures;
  }

  private void assertNothingFromElsewhereAndFits() {
    assertNothingFromElsewhereAndFits(browser);
  }

  /**
   * Every resource the page loaded came from the admin listener (the HIS network has no internet),
   * the stylesheet among them, and the page fits a 1366-px screen.
   */
  static void assertNothingFromElsewhereAndFits(Browser browser) {
    String here = (String) browser.script("return location.origin");
    List<?> loaded =
        (List<?>)
            browser.script("return performance.getEntriesByType('resource').map(e => e.name)");
    assertThat(loaded).isNotEmpty();
    assertThat(loaded).allSatisfy(url -> assertThat((String) url).startsWith(here + "/"));
    assertThat(browser.scrollWidth()).isLessThanOrEqualTo(Browser.WIDTH);
  }

  private URI console(String path) {
    return URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path);
  }

  private String admin(String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(console(path)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofString());
    return response.body();
  }

  private int proxiedGet(int port, String path) throws Exception {
    return ConsoleIT.proxiedGet(gateway, port, path);
  }
}
