package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live Denied page and the HTML export in a real headless Chromium: a refusal made after the
 * page loaded appears without a reload and as text, an ended session stops the refresh with a way
 * to sign in, and the Downloads export fits a 1366-px screen and prints on A4. Screenshots: {@code
 * target/screenshots/console-denied-live.png}, {@code console-export-downloads.png}.
 */
class ConsoleLiveIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String HOSTILE =
      "/files/<script>alert(1)</script>\"'><img/src=x/onerror=alert(2)>";

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", "a patch\n".getBytes(StandardCharsets.UTF_8));
    ConsoleExportIT.writeHostileRecords(dir.resolve("audit"));
    gateway =
        ConsoleIT.withConsole(
            dir,
            "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }".formatted(origin.port()));
    browser = Browser.start();
    browser.open(console("/login"));
    var driver = browser.driver();
    driver.findElement(By.name("username")).sendKeys("alice");
    driver.findElement(By.name("password")).sendKeys(ADMIN_PASSWORD);
    driver.findElement(By.cssSelector("form[action='/login'] button")).click();
    new WebDriverWait(driver, WAIT).until(ExpectedConditions.urlToBe(console("/").toString()));
  }

  @AfterEach
  void stop() throws Exception {
    Closing.all(browser, gateway, origin);
  }

  @Test
  void theDeniedPageShowsARefusalMadeAfterItLoadedWithoutReloadingAndAsText() throws Exception {
    browser.open(console("/denied?client=127.0.0.1"));
    assertThat(browser.texts("#denied-none").get(0)).contains("No denied requests");
    browser.script("window.loadedOnce = true");

    assertThat(ConsoleIT.proxiedGet(gateway, 18, HOSTILE)).isEqualTo(403);

    await()
        .atMost(WAIT)
        .until(
            () -> String.join("\n", browser.texts("#denied-rows tbody td")),
            rows -> rows.contains("port not allowed for this host"));
    assertThat(browser.script("return window.loadedOnce === true")).as("reloaded").isEqualTo(true);
    // The refresh kept the page's filter: the other client's refusals are not in it.
    assertThat(browser.texts("#denied-rows tbody td")).doesNotContain("10.10.1.66");
    assertThat(browser.driver().findElement(By.id("denied-rows")).isDisplayed()).isTrue();
    assertThat(browser.driver().findElement(By.id("denied-none")).isDisplayed()).isFalse();
    assertThat(browser.texts("#live").get(0)).matches("Live: updated \\d\\d:\\d\\d:\\d\\d.*");
    assertThat(browser.attributes("#denied-rows div.url", "title"))
        .anySatisfy(t -> assertThat(t).contains("<script>alert(1)</script>\"'><img"));
    assertThat(browser.dialogOpen()).as("an alert fired").isFalse();
    assertThat(browser.count("main img, [onerror]")).isZero();
    assertThat(browser.attributes("script", "src")).containsExactly("/console.js");
    assertThat(browser.scrollWidth()).isLessThanOrEqualTo(Browser.WIDTH);
    assertThat(browser.screenshot("console-denied-live")).isNotEmptyFile();

    // The session ends (as after session-idle elsewhere): the page says so and stops asking.
    browser.driver().manage().deleteCookieNamed("patchgate_session");
    await()
        .atMost(WAIT)
        .until(() -> browser.texts("#live").get(0), t -> t.contains("Your session has ended"));
    assertThat(browser.attributes("#live a", "href")).containsExactly("/login");
    assertThat(browser.texts("#denied-rows tbody td")).contains("port not allowed for this host");
  }

  @Test
  void theDownloadsHtmlExportFitsTheScreenAndPrintsOnA4() throws Exception {
    assertThat(ConsoleIT.proxiedGet(gateway, origin.port(), "/files/kb.cab")).isEqualTo(200);
    gateway.awaitRecordFor("http://127.0.0.1:%d/files/kb.cab".formatted(origin.port()));
    browser.open(console("/downloads"));
    browser.driver().findElement(By.linkText("HTML")).click();
    new WebDriverWait(browser.driver(), WAIT)
        .until(ExpectedConditions.urlToBe(console("/downloads.html").toString()));

    assertThat(browser.texts("h1")).containsExactly("Patch downloads");
    assertThat(browser.texts("h2")).contains("127.0.0.1", "10.10.1.66");
    assertThat(browser.texts("td")).contains("complete", "lab");
    assertThat(browser.scrollWidth()).isLessThanOrEqualTo(Browser.WIDTH);
    List<Double> rows = browser.rowHeights();
    double threeLines = 3 * browser.lineHeight("tbody td") + 8;
    assertThat(rows)
        .hasSizeGreaterThan(5)
        .allSatisfy(h -> assertThat(h).isLessThanOrEqualTo(threeLines));
    assertThat(browser.dialogOpen()).as("an alert fired").isFalse();
    assertThat(browser.script("return document.scripts.length")).isEqualTo(0L);
    assertThat(browser.count("a, img, iframe, object, embed, form, link")).isZero();
    assertThat(browser.screenshot("console-export-downloads")).isNotEmptyFile();
    assertThat(browser.printScrollWidth()).isLessThanOrEqualTo(Math.round(277 / 25.4 * 96));
    assertThat(browser.printA4("console-export-downloads")).isBetween(1, 3);
  }

  private URI console(String path) {
    return URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path);
  }
}
