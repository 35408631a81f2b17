package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.ConsoleUsers;
import dev.patchgate.proxy.console.users.Role;
import dev.patchgate.proxy.console.users.UsersFile;
import io.vertx.core.json.JsonObject;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console as its users meet it, through a real gateway's admin listener and the JDK's HTTP
 * client with a cookie store: sign-in as admin and as vendor, sessions that change id at sign-in
 * and end at sign-out, nothing without a session, CSRF, brute force slowed and alerted, and TLS.
 */
class ConsoleIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  static final String ADMIN_PASSWORD = "correct horse battery staple";
  static final String VENDOR_PASSWORD = "vendor's own long password";

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;
  private AlertHook hook;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", "a patch\n".getBytes(StandardCharsets.UTF_8));
    hook = new AlertHook();
    Path users = writeUsers(dir);
    gateway =
        GatewayHarness.with(
                dir,
                "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }"
                    .formatted(origin.port()))
            .admin()
            .config(
                "patchgate.console { enabled = true, users = \"%s\" }\n".formatted(users)
                    + hook.config())
            .start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
    hook.close();
  }

  static Path writeUsers(Path dir) throws Exception {
    Path users = dir.resolve("console-users.conf");
    UsersFile.write(
        users,
        ConsoleUsers.empty()
            .with(
                new ConsoleUser("alice", Role.ADMIN, List.of(), List.of()),
                ADMIN_PASSWORD.toCharArray())
            .with(
                new ConsoleUser("victor", Role.VENDOR, List.of("lab"), List.of()),
                VENDOR_PASSWORD.toCharArray()));
    return users;
  }

  /**
   * Starts a gateway in {@code dir} with {@code allowlist}, its admin listener, and the console on
   * with the users of {@link #writeUsers}.
   */
  static GatewayHarness withConsole(Path dir, String allowlist) throws Exception {
    return withConsole(dir, allowlist, "");
  }

  /** As {@link #withConsole(Path, String)}, with {@code config} appended (e.g. alert channels). */
  static GatewayHarness withConsole(Path dir, String allowlist, String config) throws Exception {
    return GatewayHarness.with(dir, allowlist)
        .admin()
        .config(
            "patchgate.console { enabled = true, users = \"%s\" }\n".formatted(writeUsers(dir))
                + config)
        .start();
  }

  @Test
  void anAdminSignsInGetsANewSessionIdAndSeesTheGatewaysRealFigures() throws Exception {
    try (Socket proxied = gateway.socket()) {
      RawHttp.send(
          proxied,
          "GET http://127.0.0.1:%d/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
              .formatted(origin.port(), origin.port()));
      assertThat(RawHttp.read(proxied, false).status()).isEqualTo(200);
    }
    ConsoleClient browser = new ConsoleClient();
    HttpResponse<String> form = browser.get("/login");
    assertThat(form.statusCode()).isEqualTo(200);
    assertThat(form.body()).contains("name=\"username\"", "name=\"password\"", "name=\"csrf\"");
    String before = browser.cookie("patchgate_session");

    HttpResponse<String> signedIn = browser.signIn("alice", ADMIN_PASSWORD);

    assertThat(signedIn.statusCode()).isEqualTo(303);
    assertThat(signedIn.headers().firstValue("Location")).hasValue("/");
    String after = browser.cookie("patchgate_session");
    assertThat(after).isNotNull().isNotEqualTo(before);
    // The id a visitor had before signing in (one an attacker could have planted) grants nothing.
    assertThat(withCookie(browser.uri("/api/status"), before).statusCode()).isEqualTo(401);
    assertThat(signedIn.headers().allValues("Set-Cookie"))
        .anySatisfy(
            c ->
                assertThat(c)
                    .startsWith("patchgate_session=")
                    .containsIgnoringCase("HttpOnly")
                    .containsIgnoringCase("SameSite=Strict")
                    .doesNotContainIgnoringCase("Secure;"));
    HttpResponse<String> overview = browser.get("/");
    assertThat(overview.statusCode()).isEqualTo(200);
    assertThat(overview.body()).contains("alice", "admin", "Overview", "Allowlist", "Sign out");
    assertThat(overview.headers().firstValue("Content-Security-Policy"))
        .hasValueSatisfying(v -> assertThat(v).contains("default-src 'self'"));
    assertThat(overview.headers().firstValue("X-Frame-Options")).hasValue("DENY");
    assertThat(overview.headers().firstValue("Cache-Control")).hasValue("no-store");
    assertThat(overview.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(overview.body()).doesNotContain("<script");
    HttpResponse<String> status = browser.get("/api/status");
    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(status.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(status.body())
        .contains("\"requests\":{\"allow\":1,\"deny\":0,\"error\":0}")
        .contains("\"audit_healthy\":true")
        .contains("\"ready\":true");
    assertThat(browser.get("/console.css").statusCode()).isEqualTo(200);
    assertThat(browser.get("/allowlist").body()).contains("allowlist.conf", "valid");
    Map<String, Object> record =
        gateway.awaitRecord(
            r -> "CONSOLE".equals(r.get("method")) && "/login".equals(r.get("url")));
    assertThat(record)
        .containsEntry("user", "alice")
        .containsEntry("decision", "allow")
        .containsEntry("reason", "signed in as admin")
        .containsEntry("status", 303L);
    assertThat((Long) record.get("bytes_from_client")).isPositive();
  }

  @Test
  void aVendorSignsInAndIsRefusedAnAdminPageWithAnAuditRecord() throws Exception {
    ConsoleClient browser = new ConsoleClient();
    assertThat(browser.signIn("victor", VENDOR_PASSWORD).statusCode()).isEqualTo(303);

    HttpResponse<String> home = browser.get("/");
    HttpResponse<String> adminPage = browser.get("/allowlist");
    HttpResponse<String> gatewayStatus = browser.get("/api/status");

    assertThat(home.statusCode()).isEqualTo(200);
    assertThat(home.body())
        .contains("victor", "vendor", "Your systems", "lab")
        .doesNotContain("href=\"/allowlist\"", "Hit ratio", "Open connections");
    assertThat(adminPage.statusCode()).isEqualTo(403);
    assertThat(adminPage.body()).doesNotContain("allowlist.conf");
    assertThat(gatewayStatus.statusCode()).isEqualTo(403);
    assertThat(gatewayStatus.body()).doesNotContain("requests");
    for (String refused : List.of("/allowlist", "/api/status")) {
      assertThat(gateway.awaitRecordFor(refused))
          .as(refused)
          .containsEntry("decision", "deny")
          .containsEntry("user", "victor")
          .containsEntry("status", 403L);
    }
  }

  @Test
  void aWrongPasswordGetsTheFormAgainWith401AndAnAuditRecord() throws Exception {
    ConsoleClient browser = new ConsoleClient();

    HttpResponse<String> refused = browser.signIn("alice", "not the password at all");

    assertThat(refused.statusCode()).isEqualTo(401);
    assertThat(refused.body()).contains("Wrong user name or password", "name=\"password\"");
    assertThat(browser.get("/").statusCode()).isEqualTo(303);
    assertThat(
            gateway.awaitRecord(
                r ->
                    "CONSOLE".equals(r.get("method")) && Long.valueOf(401).equals(r.get("status"))))
        .containsEntry("user", "alice")
        .containsEntry("decision", "deny")
        .containsEntry("reason", "wrong user name or password");
  }

  @Test
  void aUsersFileBrokenWhileRunningRefusesSignInsAndOnceMendedNeedsNoRestart() throws Exception {
    Path users = dir.resolve("console-users.conf");
    Files.writeString(users, "users = [ { name = \"alice\", role = \n");

    HttpResponse<String> broken = new ConsoleClient().signIn("alice", ADMIN_PASSWORD);
    writeUsers(dir);
    HttpResponse<String> mended = new ConsoleClient().signIn("alice", ADMIN_PASSWORD);

    assertThat(broken.statusCode()).isEqualTo(401);
    assertThat(broken.body()).contains("Wrong user name or password", "name=\"password\"");
    assertThat(mended.statusCode()).isEqualTo(303);
    assertThat(mended.headers().firstValue("Location")).hasValue("/");
  }

  @Test
  void unknownOrOutOfRangeFiltersGet400NamingTheParameterOnPagesAndApi() throws Exception {
    ConsoleClient admin = new ConsoleClient();
    admin.signIn("alice", ADMIN_PASSWORD);

    HttpResponse<String> unknown = admin.get("/api/downloads?client_ip=10.0.0.1");
    HttpResponse<String> hugeLimit = admin.get("/api/audit?limit=99999999999");
    HttpResponse<String> hugePage = admin.get("/api/audit?page=2147483647");
    HttpResponse<String> page = admin.get("/denied?limit=0&nonsense=1");

    assertThat(unknown.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(unknown.body()).getString("error"))
        .startsWith("unknown filter 'client_ip'");
    assertThat(hugeLimit.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(hugeLimit.body()).getString("error"))
        .startsWith("limit: '99999999999'");
    assertThat(hugePage.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(hugePage.body()).getString("error")).startsWith("page:");
    assertThat(page.statusCode()).isEqualTo(400);
    assertThat(page.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
    assertThat(page.body()).contains("Filter not valid", "nonsense");
  }

  @Test
  void noPageAndNoApiAnswersWithoutASession() throws Exception {
    ConsoleClient browser = new ConsoleClient();

    for (String page : List.of("/", "/allowlist", "/no-such-page")) {
      HttpResponse<String> response = browser.get(page);
      assertThat(response.statusCode()).as(page).isEqualTo(303);
      assertThat(response.headers().firstValue("Location")).as(page).hasValue("/login");
    }
    HttpResponse<String> api = browser.get("/api/status");
    assertThat(api.statusCode()).isEqualTo(401);
    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(api.body()).contains("\"error\"").doesNotContain("requests");
  }

  @Test
  void signingOutEndsTheSessionAndItsCookieIsRefusedAfter() throws Exception {
    ConsoleClient browser = new ConsoleClient();
    browser.signIn("alice", ADMIN_PASSWORD);
    String session = browser.cookie("patchgate_session");
    String csrf = browser.csrfFrom(browser.get("/").body());

    HttpResponse<String> out = browser.post("/logout", Map.of("csrf", csrf));

    assertThat(out.statusCode()).isEqualTo(303);
    assertThat(out.headers().firstValue("Location")).hasValue("/login");
    assertThat(withCookie(browser.uri("/api/status"), session).statusCode()).isEqualTo(401);
    assertThat(
            gateway.awaitRecord(
                r -> "CONSOLE".equals(r.get("method")) && "/logout".equals(r.get("url"))))
        .containsEntry("user", "alice")
        .containsEntry("reason", "signed out");
  }

  @Test
  void aSessionEndsWhenIdleAndAtItsMaximumAgeEvenWhenUsed() throws Exception {
    gateway.close();
    Path short_ = Files.createDirectories(dir.resolve("short"));
    gateway =
        GatewayHarness.with(short_, "entries { lab { hosts = [\"127.0.0.1\"], ports = [9] } }")
            .admin()
            .config(
                "patchgate.console { enabled = true, users = \"%s\", session-idle = 2s, session-max = 8s }\n"
                    .formatted(writeUsers(short_)))
            .start();
    ConsoleClient busy = new ConsoleClient();
    long before = System.nanoTime();
    assertThat(busy.signIn("victor", VENDOR_PASSWORD).statusCode()).isEqualTo(303);

    // Used every half second, well within session-idle, it still ends at session-max.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .until(() -> busy.get("/").statusCode() == 303);

    assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThan(Duration.ofSeconds(8));
    ConsoleClient idle = new ConsoleClient();
    assertThat(idle.signIn("alice", ADMIN_PASSWORD).statusCode()).isEqualTo(303);
    assertThat(idle.get("/").statusCode()).isEqualTo(200);
    // Asked again only after more than session-idle (and well before session-max): it has ended.
    int after =
        await()
            .atMost(WAIT)
            .pollDelay(Duration.ofMillis(3000))
            .until(() -> idle.get("/").statusCode(), status -> true);
    assertThat(after).isEqualTo(303);
  }

  @Test
  void aPostWithoutTheCsrfTokenIsRefused() throws Exception {
    ConsoleClient browser = new ConsoleClient();
    browser.get("/login");

    HttpResponse<String> forged =
        browser.post("/login", Map.of("username", "alice", "password", ADMIN_PASSWORD));
    HttpResponse<String> wrong =
        browser.post(
            "/login", Map.of("username", "alice", "password", ADMIN_PASSWORD, "csrf", "forged"));

    assertThat(forged.statusCode()).isEqualTo(403);
    assertThat(wrong.statusCode()).isEqualTo(403);
    assertThat(browser.get("/").statusCode()).isEqualTo(303);
    assertThat(awaitRecords(r -> "CONSOLE".equals(r.get("method")), 2))
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsEntry("decision", "deny")
                    .containsEntry("reason", "CSRF token missing or wrong"));
  }

  @Test
  void bruteForceIsAnswered429AndRaisesOneAlert() throws Exception {
    ConsoleClient browser = new ConsoleClient();
    for (int i = 1; i <= 5; i++) {
      assertThat(browser.signIn("alice", "guess number " + i + " wrong").statusCode())
          .as("failure %d", i)
          .isEqualTo(401);
    }

    HttpResponse<String> slowed = browser.signIn("alice", ADMIN_PASSWORD);

    assertThat(slowed.statusCode()).isEqualTo(429);
    assertThat(slowed.body()).contains("Too many failed sign-ins");
    assertThat(browser.get("/").statusCode()).isEqualTo(303);
    assertThat(hook.await("console_sign_in")).contains("127.0.0.1");
    assertThat(
            gateway.awaitRecord(
                r ->
                    "CONSOLE".equals(r.get("method")) && Long.valueOf(429).equals(r.get("status"))))
        .containsEntry("decision", "deny")
        .containsEntry("user", "alice");
    // Another name from another browser on the same address is slowed too.
    assertThat(new ConsoleClient().signIn("victor", VENDOR_PASSWORD).statusCode()).isEqualTo(429);
  }

  @Test
  void withAKeystoreTheWholeAdminListenerSpeaksTlsAndTheCookieIsSecure() throws Exception {
    Path tls = Files.createDirectories(dir.resolve("tls"));
    Path keystore = tls.resolve("admin.p12");

    try (GatewayProcess process = withTls(tls, origin.port())) {
      int port = process.awaitAdminPort();
      ConsoleClient browser =
          new ConsoleClient(
              HttpClient.newBuilder()
                  .version(HttpClient.Version.HTTP_1_1)
                  .sslContext(trusting(keystore, "keystore-pass")),
              "https://127.0.0.1:" + port);

      HttpResponse<String> signedIn = browser.signIn("alice", ADMIN_PASSWORD);

      assertThat(signedIn.statusCode()).as("%s", process.output()).isEqualTo(303);
      assertThat(signedIn.headers().allValues("Set-Cookie"))
          .anySatisfy(
              c -> assertThat(c).startsWith("patchgate_session=").containsIgnoringCase("Secure"));
      assertThat(browser.get("/").body()).contains("alice");
      assertThat(browser.get("/healthz").body()).isEqualTo("ok\n");
      HttpClient plain = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
      org.assertj.core.api.Assertions.assertThatThrownBy(
              () ->
                  plain.send(
                      HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/healthz"))
                          .timeout(WAIT)
                          .build(),
                      HttpResponse.BodyHandlers.ofString()))
          .isInstanceOf(java.io.IOException.class);
    }
  }

  @Test
  void malformedAndOversizedRequestsGetClearAnswersAndRecords() throws Exception {
    int port = gateway.adminAddress().getPort();

    String garbage = raw(port, "GARBAGE\r\n\r\n");
    String bigHeader =
        raw(
            port,
            "GET /login HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");
    String bigForm =
        raw(
            port,
            "POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 40000\r\n\r\n"
                + "username="
                + "a".repeat(39_991));

    assertThat(garbage).matches("(?s)HTTP/1\\.[01] 400 .*");
    assertThat(bigHeader).startsWith("HTTP/1.1 400 ");
    assertThat(bigForm).startsWith("HTTP/1.1 413 ");
    assertThat(awaitRecords(r -> Long.valueOf(400).equals(r.get("status")), 2))
        .allSatisfy(r -> assertThat(r).containsEntry("decision", "error"));
    assertThat(gateway.awaitRecord(r -> Long.valueOf(413).equals(r.get("status"))))
        .containsEntry("method", "CONSOLE")
        .containsEntry("url", "/login");
  }

  /**
   * Makes {@code dir/admin.p12}, a PKCS#12 keystore (password {@code keystore-pass}) with a
   * self-signed certificate for 127.0.0.1, with the JDK's keytool, and returns it.
   */
  static Path keystore(Path tls) throws Exception {
    Path keystore = tls.resolve("admin.p12");
    Process keytool =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair",
                "-alias",
                "admin",
                "-keyalg",
                "EC",
                "-groupname",
                "secp256r1",
                "-dname",
                "CN=127.0.0.1",
                "-ext",
                "SAN=ip:127.0.0.1",
                "-validity",
                "2",
                "-storetype",
                "PKCS12",
                "-keystore",
                keystore.toString(),
                "-storepass",
                "keystore-pass",
                "-keypass",
                "keystore-pass")
            .redirectErrorStream(true)
            .start();
    String said = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).as(said).isZero();
    return keystore;
  }

  /**
   * Starts a gateway process in {@code tls} with the console on and its admin listener on TLS from
   * a fresh {@link #keystore}, the users of {@link #writeUsers}, and {@code originPort} allowed.
   */
  static GatewayProcess withTls(Path tls, int originPort) throws Exception {
    return withTls(tls, originPort, "keystore-pass");
  }

  /** As {@link #withTls(Path, int)}, with {@code password} in the keystore's variable. */
  private static GatewayProcess withTls(Path tls, int originPort, String password)
      throws Exception {
    keystore(tls);
    writeUsers(tls);
    return GatewayProcess.runAllowingLoopbackPort(
        tls,
        originPort,
        List.of("env", "PG_ADMIN_KEYSTORE_PASSWORD=" + password),
        List.of(),
        """
        patchgate.console {
          enabled = true
          users = "console-users.conf"
          tls { keystore = "admin.p12", password-env = "PG_ADMIN_KEYSTORE_PASSWORD" }
        }
        """);
  }

  @Test
  void aWrongKeystorePasswordIsOneLineNamingTheConsoleSettingsAndTheGatewayDoesNotStart()
      throws Exception {
    Path tls = Files.createDirectories(dir.resolve("wrong-password"));
    try (GatewayProcess process = withTls(tls, origin.port(), "not-the-password")) {
      assertThat(process.awaitExit()).as("%s", process.output()).isEqualTo(3);
      assertThat(process.output())
          .anyMatch(
              l ->
                  l.contains("patchgate.console.tls.keystore: cannot open")
                      && l.contains("patchgate.console.tls.password-env"))
          .noneMatch(l -> l.contains("patchgate.admin.listen"))
          .noneMatch(l -> l.contains("\tat "));
    }
  }

  /** Waits for exactly {@code n} records that {@code match}. */
  private List<Map<String, Object>> awaitRecords(Predicate<Map<String, Object>> match, int n) {
    return await()
        .atMost(WAIT)
        .until(() -> gateway.records().stream().filter(match).toList(), r -> r.size() == n);
  }

  @Test
  void downloadsShowTheServedFileToTheAdminAndTheVendorWhoseEntryItIs() throws Exception {
    assertThat(proxiedGet(origin.port(), "/files/kb.cab")).isEqualTo(200);
    gateway.awaitRecord(r -> "allow".equals(r.get("decision")));
    ConsoleClient admin = new ConsoleClient();
    admin.signIn("alice", ADMIN_PASSWORD);

    HttpResponse<String> page = admin.get("/downloads");
    JsonObject api = new JsonObject(admin.get("/api/downloads?client=127.0.0.1").body());

    assertThat(page.statusCode()).isEqualTo(200);
    String url = "http://127.0.0.1:%d/files/kb.cab".formatted(origin.port());
    assertThat(page.body())
        .contains("href=\"/downloads\"", "href=\"/denied\"", "href=\"/audit\"")
        .contains("<td>127.0.0.1</td>", "kb.cab", "title=\"" + url + "\"", "<td>lab</td>")
        .contains("complete", "name=\"kb\"", "name=\"since\"");
    assertThat(api.getJsonArray("rows")).hasSize(1);
    JsonObject row = api.getJsonArray("rows").getJsonObject(0);
    assertThat(row.getString("url")).isEqualTo(url);
    assertThat(row.getString("entry")).isEqualTo("lab");
    assertThat(row.getString("completeness")).isEqualTo("complete");

    ConsoleClient vendor = new ConsoleClient();
    vendor.signIn("victor", VENDOR_PASSWORD);
    JsonObject theirs = new JsonObject(vendor.get("/api/downloads?entry=lab").body());
    assertThat(theirs.getJsonArray("rows")).hasSize(1);
  }

  @Test
  void aVendorAskingForAnotherEntryGets403AndAnAuditRecordAndABadFilterGets400() throws Exception {
    ConsoleClient vendor = new ConsoleClient();
    vendor.signIn("victor", VENDOR_PASSWORD);

    HttpResponse<String> api = vendor.get("/api/downloads?entry=other");
    HttpResponse<String> page = vendor.get("/denied?entry=other");
    HttpResponse<String> bad = vendor.get("/api/audit?since=not-a-date");
    HttpResponse<String> anonymous = new ConsoleClient().get("/api/downloads");

    assertThat(api.statusCode()).isEqualTo(403);
    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new JsonObject(api.body()).getString("error")).contains("'other'", "victor");
    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).contains("Not allowed", "other").doesNotContain("'other'");
    assertThat(
            gateway.awaitRecord(
                r -> String.valueOf(r.get("url")).startsWith("/api/downloads?entry=other")))
        .containsEntry("decision", "deny")
        .containsEntry("user", "victor")
        .containsEntry("status", 403L);
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getString("error")).startsWith("since");
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(anonymous.body()).getString("error")).contains("sign in");
  }

  @Test
  void deniedExplainsEachRefusalAndOffersTheAdminASnippetButNotTheVendor() throws Exception {
    int refusedPort = origin.port() == 65535 ? 65534 : origin.port() + 1;
    assertThat(proxiedGet(refusedPort, "/files/other.msi")).isEqualTo(403);
    gateway.awaitRecord(r -> "deny".equals(r.get("decision")));
    ConsoleClient admin = new ConsoleClient();
    admin.signIn("alice", ADMIN_PASSWORD);
    ConsoleClient vendor = new ConsoleClient();
    vendor.signIn("victor", VENDOR_PASSWORD);

    HttpResponse<String> page = admin.get("/denied");
    JsonObject api = new JsonObject(admin.get("/api/denied").body());
    HttpResponse<String> vendorPage = vendor.get("/denied");
    JsonObject vendorApi = new JsonObject(vendor.get("/api/denied").body());

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("port not allowed for this host", "port " + refusedPort)
        .contains("<pre class=\"snippet\">entries {", "ports   = [" + refusedPort + "]");
    JsonObject row = api.getJsonArray("rows").getJsonObject(0);
    assertThat(row.getString("reason")).isEqualTo("port not allowed for this host");
    assertThat(row.getString("snippet")).contains("ports   = [" + refusedPort + "]");
    assertThat(row.getJsonArray("explain").encode()).contains("port " + refusedPort);
    assertThat(vendorPage.body()).contains("port not allowed for this host").doesNotContain("<pre");
    assertThat(vendorApi.getJsonArray("rows")).hasSize(1);
    assertThat(vendorApi.getJsonArray("rows").getJsonObject(0).getString("snippet")).isNull();
  }

  @Test
  void theAuditSearchPagesNewestFirstShowsTheChainAndHostileUrlsAsText() throws Exception {
    String hostile = "/files/<script>alert(1)</script>?q=\"x'&u=javascript:alert(1)";
    assertThat(proxiedGet(origin.port(), "/files/kb.cab")).isEqualTo(200);
    proxiedGet(origin.port(), hostile);
    await()
        .atMost(WAIT)
        .until(
            () -> gateway.records().stream().filter(r -> r.get("decision") != null).count() >= 2);
    ConsoleClient admin = new ConsoleClient();
    admin.signIn("alice", ADMIN_PASSWORD);

    HttpResponse<String> first = admin.get("/audit?limit=1");
    HttpResponse<String> second = admin.get("/audit?limit=1&page=2");
    JsonObject api = new JsonObject(admin.get("/api/audit?host=127.0.0.1").body());

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.body())
        .contains("intact", "1 to 1 of", "href=\"/audit?limit=1&amp;page=2\"", "Older records")
        .doesNotContain("Newer records");
    assertThat(second.body()).contains("href=\"/audit?limit=1&amp;page=1\"", "Newer records");
    assertThat(api.getJsonObject("chain").getString("state")).isEqualTo("ok");
    assertThat(api.getJsonArray("rows").encode()).contains("<script>alert(1)</script>");
    String all = admin.get("/audit").body();
    assertThat(all)
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;", "javascript:alert(1)")
        .doesNotContain("<script", "href=\"javascript", "\"x'");
  }

  /** A GET through the gateway's proxy port to the origin's {@code port}: the status. */
  private int proxiedGet(int port, String path) throws Exception {
    return proxiedGet(gateway, port, path);
  }

  /** A GET through {@code gateway}'s proxy port to the origin at {@code port}: the status. */
  static int proxiedGet(GatewayHarness gateway, int port, String path) throws Exception {
    try (Socket proxied = gateway.socket()) {
      RawHttp.send(
          proxied,
          "GET http://127.0.0.1:%d%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
              .formatted(port, path, port));
      return RawHttp.read(proxied, false).status();
    }
  }

  /** Sends {@code request} to {@code port} as raw bytes and returns all it answers. */
  private static String raw(int port, String request) throws Exception {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(RawHttp.readToEnd(socket), StandardCharsets.ISO_8859_1);
    }
  }

  /** A request with {@code session} as the session cookie, from a client without a cookie store. */
  private static HttpResponse<String> withCookie(URI uri, String session) throws Exception {
    return HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .build()
        .send(
            HttpRequest.newBuilder(uri)
                .header("Cookie", "patchgate_session=" + session)
                .timeout(WAIT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private static SSLContext trusting(Path keystore, String password) throws Exception {
    KeyStore store = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(keystore)) {
      store.load(in, password.toCharArray());
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }

  /** A {@link ConsoleHttpClient} for this test's gateway. */
  private final class ConsoleClient extends ConsoleHttpClient {
    ConsoleClient() {
      super(gateway);
    }

    ConsoleClient(HttpClient.Builder builder, String base) {
      super(builder, base);
    }
  }
}
