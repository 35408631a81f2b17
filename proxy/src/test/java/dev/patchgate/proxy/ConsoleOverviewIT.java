package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Overview's chart of the last hour and its active alerts over HTTP, against a real gateway
 * that served real requests and raised real alerts to a webhook: the chart's summary line and
 * {@code /api/status} count exactly the requests served, and the alerts show on the page and in the
 * API.
 */
class ConsoleOverviewIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String HOSTILE = "x<script>alert(1)</script>.example";

  @TempDir Path dir;
  private HttpOrigin origin;
  private AlertHook hook;
  private GatewayHarness gateway;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("patch.cab", "a patch\n".getBytes(StandardCharsets.UTF_8));
    hook = new AlertHook();
    gateway = ConsoleIT.withConsole(dir, allowlist(), hook.config());
  }

  @AfterEach
  void stop() throws Exception {
    Closing.all(gateway, origin, hook);
  }

  private String allowlist() {
    return """
        clients { lab-pcs = ["127.0.0.0/8"] }
        entries {
          lab { hosts = ["127.0.0.1"], ports = [%d], clients = [lab-pcs] }
        }
        """
        .formatted(origin.port());
  }

  @Test
  void theChartCountsTheHoursRequestsByDecisionAndTheAlertsTheyRaisedAreActive() throws Exception {
    HttpClient proxied = gateway.client();
    for (int i = 0; i < 3; i++) {
      assertThat(status(proxied, "http://127.0.0.1:%d/files/patch.cab".formatted(origin.port())))
          .isEqualTo(200);
    }
    assertThat(status(proxied, "http://denied.example/patch.cab")).isEqualTo(403);
    assertThat(status(proxied, "http://denied-too.example/patch.cab")).isEqualTo(403);
    // A host no parser should take: refused as malformed (an error, before any decision), so it
    // raises no alert and shows on the page only as a count.
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, "GET http://" + HOSTILE + "/ HTTP/1.1\r\nHost: " + HOSTILE + "\r\n\r\n");
      assertThat(RawHttp.read(socket, false).status()).isBetween(400, 499);
    }
    await().atMost(WAIT).until(() -> hook.ofKind("denied").size() == 2);

    ConsoleHttpClient admin = new ConsoleHttpClient(gateway);
    assertThat(admin.signIn("alice", ADMIN_PASSWORD).statusCode()).isEqualTo(303);
    // Records finish just after their responses: wait for the sixth to be counted.
    JsonObject status =
        await()
            .atMost(WAIT)
            .until(
                () -> new JsonObject(admin.get("/api/status").body()),
                s ->
                    sum(s, "allow") == 3
                        && sum(s, "deny") == 2
                        && sum(s, "error") == 1
                        && alerts(s).size() == 2);
    HttpResponse<String> page = admin.get("/");

    JsonArray perMinute = status.getJsonArray("per_minute");
    assertThat(perMinute).hasSize(60);
    assertThat(perMinute.getJsonObject(59).getString("minute")).endsWith(":00Z");
    assertThat(alerts(status))
        .extracting(a -> ((JsonObject) a).getString("kind"))
        .containsOnly("denied");
    assertThat(alerts(status))
        .extracting(a -> ((JsonObject) a).getString("host"))
        .containsExactlyInAnyOrder("denied.example", "denied-too.example");
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("<svg role=\"img\"", "<title id=\"chart-title\">Requests per minute by decision")
        .contains("last 60 minutes: 3 allowed, 2 denied, 1 error; busiest minute ")
        .contains("Active alerts: raised in the last hour, newest first")
        .contains("denied request from 127.0.0.1 to denied.example (host not in allowlist)")
        .contains("denied request from 127.0.0.1 to denied-too.example")
        .doesNotContain("<script>");
  }

  @Test
  void withoutTrafficTheChartSaysNoRequestsAndNoAlertIsActive() throws Exception {
    ConsoleHttpClient admin = new ConsoleHttpClient(gateway);
    assertThat(admin.signIn("alice", ADMIN_PASSWORD).statusCode()).isEqualTo(303);

    HttpResponse<String> page = admin.get("/");
    JsonObject status = new JsonObject(admin.get("/api/status").body());

    assertThat(page.body())
        .contains("last 60 minutes: 0 allowed, 0 denied, 0 errors; no requests")
        .contains("No alert in the last hour.");
    assertThat(status.getJsonArray("per_minute")).hasSize(60);
    assertThat(alerts(status)).isEmpty();
  }

  private static int status(HttpClient client, String url) throws Exception {
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url)).timeout(WAIT).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static long sum(JsonObject status, String decision) {
    long sum = 0;
    for (Object minute : status.getJsonArray("per_minute")) {
      sum += ((JsonObject) minute).getLong(decision);
    }
    return sum;
  }

  private static JsonArray alerts(JsonObject status) {
    return status.getJsonArray("alerts");
  }
}
