package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.proxy.console.users.ApiTokens;
import dev.patchgate.proxy.console.users.ConsoleUsers;
import dev.patchgate.proxy.console.users.UsersFile;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
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
 * The JSON API with per-user API tokens, as a hospital's own tool uses it ({@code Authorization:
 * Bearer}), and HEAD on the console's pages, through a real gateway that served traffic for two
 * vendors' entries.
 */
class ConsoleTokenIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private HttpOrigin lab;
  private HttpOrigin pacs;
  private GatewayHarness gateway;
  private Path users;
  private HttpClient http;

  @BeforeEach
  void start() throws Exception {
    lab = HttpOrigin.plain();
    lab.put("kb.cab", "a patch\n".getBytes(StandardCharsets.UTF_8));
    pacs = HttpOrigin.plain();
    pacs.put("pacs.msi", "another vendor's patch\n".getBytes(StandardCharsets.UTF_8));
    users = ConsoleIT.writeUsers(dir);
    gateway =
        GatewayHarness.with(
                dir,
                """
                entries {
                  lab { hosts = ["127.0.0.1"], ports = [%d] }
                  pacs { hosts = ["127.0.0.1"], ports = [%d] }
                }
                """
                    .formatted(lab.port(), pacs.port()))
            .admin()
            .config("patchgate.console { enabled = true, users = \"%s\" }\n".formatted(users))
            .start();
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    lab.close();
    pacs.close();
  }

  @Test
  void anAdminsTokenReadsTheStatusAndEveryEntrysDownloads() throws Exception {
    servedBothEntries();
    String token = token("alice");

    HttpResponse<String> status = get("/api/status", token);
    HttpResponse<String> downloads = get("/api/downloads", token);

    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(new JsonObject(status.body()).getJsonObject("requests").getLong("allow"))
        .isEqualTo(2L);
    assertThat(entries(downloads)).containsExactlyInAnyOrder("lab", "pacs");
    assertThat(gateway.awaitRecordFor("/api/status"))
        .containsEntry("user", "alice")
        .containsEntry("decision", "allow")
        .containsEntry("reason", "API token")
        .containsEntry("status", 200L);
  }

  @Test
  void aVendorsTokenSeesOnlyItsEntryAndIsRefusedTheStatusAndAnotherEntry() throws Exception {
    servedBothEntries();
    String token = token("victor");

    HttpResponse<String> downloads = get("/api/downloads", token);
    HttpResponse<String> audit = get("/api/audit", token);
    HttpResponse<String> status = get("/api/status", token);
    HttpResponse<String> other = get("/api/downloads?entry=pacs", token);

    assertThat(downloads.statusCode()).isEqualTo(200);
    assertThat(entries(downloads)).containsExactly("lab");
    assertThat(audit.body()).contains("kb.cab").doesNotContain("pacs.msi");
    assertThat(status.statusCode()).isEqualTo(403);
    assertThat(status.body()).doesNotContain("requests");
    assertThat(other.statusCode()).isEqualTo(403);
    assertThat(new JsonObject(other.body()).getString("error")).contains("'pacs'");
    for (String refused : List.of("/api/status", "/api/downloads?entry=pacs")) {
      assertThat(gateway.awaitRecordFor(refused))
          .as(refused)
          .containsEntry("user", "victor")
          .containsEntry("decision", "deny")
          .containsEntry("status", 403L);
    }
  }

  @Test
  void aWrongTokenIs401WithADenyRecordAndAfterFiveTheAddressIsThrottled() throws Exception {
    String right = token("alice");
    String wrong = ApiTokens.create();

    for (int i = 1; i <= 5; i++) {
      HttpResponse<String> refused = get("/api/downloads", wrong);
      assertThat(refused.statusCode()).as("attempt %d", i).isEqualTo(401);
      assertThat(refused.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
      assertThat(refused.body()).doesNotContain("rows");
    }
    HttpResponse<String> sixth = get("/api/downloads", wrong);
    HttpResponse<String> evenTheRightOne = get("/api/downloads", right);

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(evenTheRightOne.statusCode()).isEqualTo(429);
    List<Map<String, Object>> records =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    gateway.records().stream()
                        .filter(r -> "/api/downloads".equals(r.get("url")))
                        .toList(),
                r -> r.size() == 7);
    assertThat(records)
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsEntry("method", "CONSOLE")
                    .containsEntry("decision", "deny")
                    .doesNotContainKey("user"));
    assertThat(records.get(0)).containsEntry("reason", "API token not valid");
    // The fifth failure fills the window: its record is the one the sign-in alert reads.
    assertThat(records.get(4).get("reason").toString()).startsWith("too many failed sign-ins");
    assertThat(records.get(6)).containsEntry("status", 429L);
  }

  @Test
  void aRevokedOrReplacedTokenIs401AndTheNewOneWorksWithoutARestart() throws Exception {
    String first = token("alice");
    assertThat(get("/api/audit", first).statusCode()).isEqualTo(200);

    String second = token("alice");
    HttpResponse<String> replaced = get("/api/audit", first);
    HttpResponse<String> current = get("/api/audit", second);
    UsersFile.write(users, ConsoleUsers.load(users).withTokenHash("alice", null));
    HttpResponse<String> revoked = get("/api/audit", second);

    assertThat(replaced.statusCode()).isEqualTo(401);
    assertThat(current.statusCode()).isEqualTo(200);
    assertThat(revoked.statusCode()).isEqualTo(401);
  }

  @Test
  void aTokenNeverOpensAPageAndTheUsersFileHoldsOnlyItsHash() throws Exception {
    String token = token("alice");

    for (String page : List.of("/", "/downloads", "/audit", "/allowlist")) {
      HttpResponse<String> answer = get(page, token);
      assertThat(answer.statusCode()).as(page).isEqualTo(303);
      assertThat(answer.headers().firstValue("Location")).as(page).hasValue("/login");
    }
    String file = Files.readString(users);
    assertThat(token).startsWith("pgt_").hasSize(4 + 43);
    assertThat(file)
        .doesNotContain(token, token.substring(4))
        .contains("token = \"" + ApiTokens.hash(token) + "\"");
    assertThat(ApiTokens.hash(token)).matches("sha256:[0-9a-f]{64}");
  }

  @Test
  void withoutATokenOrWithAnotherSchemeTheApiIs401() throws Exception {
    token("alice");

    HttpResponse<String> none = get("/api/audit", null);
    HttpResponse<String> basic =
        http.send(
            request("/api/audit").header("Authorization", "Basic YWxpY2U6cGFzc3dvcmQ=").build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(basic.statusCode()).isEqualTo(401);
    assertThat(new JsonObject(basic.body()).getString("error")).contains("sign in");
  }

  @Test
  void headOnThePagesAnswersLikeGetWithoutABody() throws Exception {
    String token = token("alice");
    for (String path : List.of("/login", "/console.css", "/healthz", "/")) {
      HttpResponse<String> get = http.send(request(path).build(), ofString());
      HttpResponse<String> head =
          http.send(
              request(path).method("HEAD", HttpRequest.BodyPublishers.noBody()).build(),
              ofString());

      assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode()).isNotEqualTo(404);
      assertThat(head.body()).as(path).isEmpty();
      assertThat(head.headers().firstValue("Content-Type"))
          .as(path)
          .isEqualTo(get.headers().firstValue("Content-Type"));
    }
    HttpResponse<String> api =
        http.send(
            request("/api/status")
                .header("Authorization", "Bearer " + token)
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            ofString());
    assertThat(api.statusCode()).isEqualTo(200);
    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(api.body()).isEmpty();
    assertThat(
            gateway.awaitRecord(
                r -> "HEAD".equals(r.get("method")) && "/api/status".equals(r.get("url"))))
        .containsEntry("user", "alice")
        .containsEntry("status", 200L);
  }

  /** One download through the gateway from each vendor's origin, both recorded. */
  private void servedBothEntries() throws Exception {
    assertThat(ConsoleIT.proxiedGet(gateway, lab.port(), "/files/kb.cab")).isEqualTo(200);
    assertThat(ConsoleIT.proxiedGet(gateway, pacs.port(), "/files/pacs.msi")).isEqualTo(200);
    gateway.awaitRecords(2);
  }

  /** Makes {@code user} a new token as {@code patchgate user token} does, and returns it. */
  private String token(String user) throws Exception {
    String token = ApiTokens.create();
    UsersFile.write(users, ConsoleUsers.load(users).withTokenHash(user, ApiTokens.hash(token)));
    return token;
  }

  private static List<String> entries(HttpResponse<String> answer) {
    return new JsonObject(answer.body())
        .getJsonArray("rows").stream().map(r -> ((JsonObject) r).getString("entry")).toList();
  }

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder request = request(path);
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), ofString());
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + path))
        .timeout(WAIT);
  }

  private static HttpResponse.BodyHandler<String> ofString() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
