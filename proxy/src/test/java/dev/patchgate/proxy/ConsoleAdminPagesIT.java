package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static dev.patchgate.proxy.ConsoleIT.VENDOR_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The administrator's Allowlist and Mirror pages over HTTP, against a real gateway that served real
 * downloads: the entries and groups in force, a broken edit's problems with file and line, the
 * explain form, the mirror's objects and a purge that makes the next download a miss again, the
 * CSRF check on the purge, and a vendor refused all of it with a {@code deny} record.
 */
class ConsoleAdminPagesIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final byte[] PACKAGE =
      "a patch, byte for byte\n".repeat(300).getBytes(StandardCharsets.UTF_8);
  // Named by its SHA-1, as Windows Update names its files: kept without revalidation.
  private static final String PACKAGE_NAME =
      "windows10.0-kb5034441-x64_" + AdminIT.sha1(PACKAGE) + ".cab";

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put(PACKAGE_NAME, PACKAGE);
    gateway = GatewayHarness.with(dir, allowlist("")).mirror().admin().config(console(dir)).start();
  }

  /** The console on, with the users of {@link ConsoleIT#writeUsers} written to {@code dir}. */
  private static String console(Path dir) throws Exception {
    return "patchgate.console { enabled = true, users = \"%s\" }\n"
        .formatted(ConsoleIT.writeUsers(dir));
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  /**
   * The lab entry (line 5) for the origin's port and Windows Update, for the group of loopback PCs,
   * then {@code more} from line 11.
   */
  private String allowlist(String more) {
    return """
        clients {
          lab-pcs = ["127.0.0.0/8"]
        }
        entries {
          lab {
            hosts = ["127.0.0.1"]
            ports = [%d]
            clients = [lab-pcs]
          }
          wu { profile = windows-update, clients = [lab-pcs] }
        %s}
        """
        .formatted(origin.port(), more);
  }

  @Test
  void theAllowlistPageListsTheEntriesGroupsAndProfilesInForce() throws Exception {
    ConsoleHttpClient admin = signedIn("alice", ADMIN_PASSWORD);

    HttpResponse<String> page = admin.get("/allowlist");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<strong>lab</strong>", "line 5", "127.0.0.1 http:" + origin.port())
        .contains("<td>lab-pcs</td><td>127.0.0.0/8</td>", "<td>lab-pcs</td>")
        .contains("valid: what it says is in force", "allowlist.conf")
        .contains("<summary><strong>windows-update</strong>", "windowsupdate.com")
        // The profile's many hosts in the wu entry fold away.
        .containsPattern(
            "<td><strong>wu</strong>.*\\s*<td><details><summary>\\d+ host rules</summary>")
        .contains("href=\"/mirror\"");
  }

  @Test
  void aBrokenEditShowsItsProblemWithFileAndLineWhileThePreviousEntriesStillAnswer()
      throws Exception {
    ConsoleHttpClient admin = signedIn("alice", ADMIN_PASSWORD);

    gateway.editAllowlist(
        allowlist(
            """
              broken {
                hosts = ["*.com"]
              }
            """));
    await().atMost(WAIT).until(() -> gateway.reloads("rejected") >= 1);
    HttpResponse<String> page = admin.get("/allowlist");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("edit rejected: the previous policy answers")
        .contains("allowlist.conf:12</code>", "*.com")
        .contains("<strong>lab</strong>")
        .doesNotContain("<strong>broken</strong>");
  }

  @Test
  void explainAllowsAnAllowedUrlAndNamesTheClosestEntryForAnother() throws Exception {
    ConsoleHttpClient admin = signedIn("alice", ADMIN_PASSWORD);
    int otherPort = origin.port() == 65535 ? 65534 : origin.port() + 1;

    HttpResponse<String> allowed =
        admin.get(explain("GET", "http://127.0.0.1:%d/files/x.cab".formatted(origin.port())));
    HttpResponse<String> denied =
        admin.get(explain("GET", "http://127.0.0.1:%d/files/x.cab".formatted(otherPort)));
    HttpResponse<String> noClient =
        admin.get("/allowlist/explain?method=GET&url=http://a/&client=");

    assertThat(allowed.statusCode()).isEqualTo(200);
    assertThat(allowed.body())
        .contains(
            "<p class=\"verdict ok\">Allowed</p>",
            "allowed by entry &#39;lab&#39; (",
            "allowlist.conf:5)");
    assertThat(denied.statusCode()).isEqualTo(200);
    assertThat(denied.body())
        .contains("<p class=\"verdict bad\">Denied</p>")
        .contains("denied: port not allowed for this host", "closest entry &#39;lab&#39;")
        .contains("port " + otherPort)
        // The form keeps what was asked, and the page still lists the entries.
        .contains("value=\"http://127.0.0.1:%d/files/x.cab\"".formatted(otherPort))
        .contains("<strong>lab</strong>");
    assertThat(noClient.statusCode()).isEqualTo(400);
    assertThat(noClient.body()).contains("expected: an IP address", "name=\"url\"");
  }

  @Test
  void theMirrorPageListsADownloadAndAPurgeWithTheTokenMakesTheNextDownloadAMiss()
      throws Exception {
    String url = packageUrl();
    ConsoleHttpClient admin = signedIn("alice", ADMIN_PASSWORD);
    String listed = downloadedAndListed(url, admin);
    assertThat(download(url)).isEqualTo(PACKAGE);
    assertThat(downloadRecords(url, 2))
        .extracting(r -> r.get("cache"))
        .containsExactly("miss", "hit");

    assertThat(listed)
        .contains("title=\"" + url + "\"", "KiB", "Free on disk", "Maximum")
        .contains("action=\"/mirror/purge\"", "name=\"prefix\"");
    String prefix = "http://127.0.0.1:%d/files/".formatted(origin.port());
    HttpResponse<String> forged = admin.post("/mirror/purge", Map.of("prefix", prefix));
    HttpResponse<String> wrongToken =
        admin.post("/mirror/purge", Map.of("prefix", prefix, "csrf", "forged"));
    HttpResponse<String> notHttp =
        admin.post(
            "/mirror/purge",
            Map.of(
                "prefix",
                "https://127.0.0.1/",
                "csrf",
                admin.csrfFrom(admin.get("/mirror").body())));
    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(wrongToken.statusCode()).isEqualTo(403);
    assertThat(notHttp.statusCode()).isEqualTo(400);
    assertThat(notHttp.body()).contains("is not an http:// URL prefix");
    assertThat(admin.get("/mirror").body()).contains("title=\"" + url + "\"");

    HttpResponse<String> purged =
        admin.post(
            "/mirror/purge",
            Map.of("prefix", prefix, "csrf", admin.csrfFrom(admin.get("/mirror").body())));

    assertThat(purged.statusCode()).isEqualTo(200);
    assertThat(purged.body())
        .contains("Purged 1 object (", "under " + prefix, "title=\"" + url + "\"")
        .contains("Nothing stored yet.");
    Map<String, Object> record =
        gateway.awaitRecord(r -> String.valueOf(r.get("reason")).startsWith("purged"));
    assertThat(record)
        .containsEntry("method", "CONSOLE")
        .containsEntry("url", "/mirror/purge")
        .containsEntry("user", "alice")
        .containsEntry("decision", "allow");
    assertThat((String) record.get("reason"))
        .matches("purged 1 object \\(.* KiB\\) under \\Q" + prefix + "\\E");
    assertThat(download(url)).isEqualTo(PACKAGE);
    assertThat(downloadRecords(url, 3).get(2)).containsEntry("cache", "miss");
  }

  @Test
  void aVendorIsRefusedBothPagesAndThePurgeWith403AndADenyRecordAndNothingIsRemoved()
      throws Exception {
    String url = packageUrl();
    ConsoleHttpClient admin = signedIn("alice", ADMIN_PASSWORD);
    downloadedAndListed(url, admin);
    ConsoleHttpClient vendor = signedIn("victor", VENDOR_PASSWORD);
    String csrf = vendor.csrfFrom(vendor.get("/").body());

    HttpResponse<String> mirror = vendor.get("/mirror");
    HttpResponse<String> allowlist = vendor.get("/allowlist");
    HttpResponse<String> explain = vendor.get(explain("GET", url));
    HttpResponse<String> purge =
        vendor.post("/mirror/purge", Map.of("prefix", "http://127.0.0.1", "csrf", csrf));

    for (HttpResponse<String> refused : List.of(mirror, allowlist, explain, purge)) {
      assertThat(refused.statusCode()).as("%s", refused.uri()).isEqualTo(403);
      assertThat(refused.body())
          .as("%s", refused.uri())
          .contains("Not allowed")
          .doesNotContain(url);
    }
    assertThat(vendor.get("/").body()).doesNotContain("href=\"/mirror\"");
    for (String path : List.of("/mirror", "/allowlist", "/mirror/purge")) {
      assertThat(
              gateway.awaitRecord(r -> path.equals(r.get("url")) && "victor".equals(r.get("user"))))
          .as(path)
          .containsEntry("decision", "deny")
          .containsEntry("user", "victor")
          .containsEntry("status", 403L);
    }
    assertThat(gateway.awaitRecordFor("/mirror/purge")).containsEntry("method", "CONSOLE");
    assertThat(admin.get("/mirror").body()).contains("title=\"" + url + "\"");
  }

  @Test
  void withTheMirrorOffThePageSaysSoAndAPurgeIs400() throws Exception {
    gateway.close();
    Path off = Files.createDirectories(dir.resolve("off"));
    gateway = GatewayHarness.with(off, allowlist("")).admin().config(console(off)).start();
    ConsoleHttpClient admin = signedIn("alice", ADMIN_PASSWORD);

    HttpResponse<String> page = admin.get("/mirror");
    HttpResponse<String> purge =
        admin.post(
            "/mirror/purge",
            Map.of("prefix", "http://127.0.0.1/", "csrf", admin.csrfFrom(page.body())));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("The mirror is off")
        .doesNotContain("action=\"/mirror/purge\"");
    assertThat(purge.statusCode()).isEqualTo(400);
    assertThat(purge.body()).contains("The mirror is off");
  }

  private ConsoleHttpClient signedIn(String user, String password) throws Exception {
    ConsoleHttpClient client = new ConsoleHttpClient(gateway);
    assertThat(client.signIn(user, password).statusCode()).isEqualTo(303);
    return client;
  }

  private static String explain(String method, String url) {
    return "/allowlist/explain?method="
        + method
        + "&url="
        + URLEncoder.encode(url, StandardCharsets.UTF_8)
        + "&client=127.0.0.1";
  }

  private String packageUrl() {
    return "http://127.0.0.1:%d/files/%s".formatted(origin.port(), PACKAGE_NAME);
  }

  /**
   * Downloads {@code url} through the gateway and waits until {@code admin}'s Mirror page lists it
   * (the mirror commits just after the download ends); returns that page.
   */
  private String downloadedAndListed(String url, ConsoleHttpClient admin) throws Exception {
    assertThat(download(url)).isEqualTo(PACKAGE);
    return await().atMost(WAIT).until(() -> admin.get("/mirror").body(), b -> b.contains(url));
  }

  /** Waits for exactly {@code n} records of downloads of {@code url}, in order. */
  private List<Map<String, Object>> downloadRecords(String url, int n) {
    return await()
        .atMost(WAIT)
        .until(
            () -> gateway.records().stream().filter(r -> url.equals(r.get("url"))).toList(),
            l -> l.size() == n);
  }

  /** A download through the gateway with the JDK's client, as a patch agent makes it. */
  private byte[] download(String url) throws Exception {
    HttpResponse<byte[]> response =
        gateway
            .client()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }
}
