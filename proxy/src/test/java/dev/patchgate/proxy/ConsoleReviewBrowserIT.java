package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleBrowserIT.assertHostileIsText;
import static dev.patchgate.proxy.ConsoleBrowserIT.signIn;
import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Anomalies page and the Downloads page's coverage in a real headless Chromium, on the gateway
 * of {@link ConsoleReviewIT} (five planted weeks, one new destination whose name is markup) after a
 * real download of a KB file: what the admin sees, as text, on a 1366-px screen. Screenshots {@code
 * console-anomalies.png} and {@code console-coverage.png}.
 */
class ConsoleReviewBrowserIT {
  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;
  private Browser browser;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put(ConsoleReviewIT.KB_FILE, "a patch\n".getBytes(StandardCharsets.UTF_8));
    gateway = ConsoleReviewIT.start(dir, origin.port());
  }

  @AfterEach
  void stop() throws Exception {
    Closing.all(browser, gateway, origin);
  }

  @Test
  void theAdminReadsTheWeeksAnomaliesAndAKbsCoverage() throws Exception {
    assertThat(ConsoleIT.proxiedGet(gateway, origin.port(), "/files/" + ConsoleReviewIT.KB_FILE))
        .isEqualTo(200);
    gateway.awaitRecord(r -> String.valueOf(r.get("url")).endsWith(ConsoleReviewIT.KB_FILE));
    browser = Browser.start();
    browser.open(console("/login"));
    signIn(browser, "alice", ADMIN_PASSWORD);

    browser.open(console("/anomalies"));
    assertThat(browser.texts("h1")).containsExactly("Anomalies");
    assertThat(browser.texts("header nav a")).contains("Anomalies");
    assertThat(browser.texts("table.rows th"))
        .containsExactly("Kind", "Client", "Unusual", "Count", "Seen", "Evidence", "Compared with");
    assertThat(browser.texts("table.rows td"))
        .contains("new_destination", "10.30.1.2", ConsoleReviewIT.HOSTILE_HOST, "3");
    assertHostileIsText(browser);
    assertThat(browser.screenshot("console-anomalies")).isNotEmptyFile();

    browser.open(console("/downloads?kb=KB5034441"));
    assertThat(browser.texts("section.coverage .card strong")).containsExactly("KB5034441");
    assertThat(browser.texts("section.coverage .card").get(0)).contains("4 clients seen");
    assertThat(browser.texts("section.coverage dt"))
        .containsExactly("complete", "incomplete", "none");
    assertThat(browser.texts("section.coverage dd"))
        .containsExactly("1 (25.0%)", "0 (0.0%)", "3 (75.0%)");
    assertThat(browser.texts("table.coverage td")).contains("127.0.0.1", "complete", "10.30.1.3");
    assertHostileIsText(browser);
    assertThat(browser.screenshot("console-coverage")).isNotEmptyFile();
  }

  private URI console(String path) {
    return URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path);
  }
}
