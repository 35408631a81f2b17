package dev.patchgate.proxy;

import static dev.patchgate.proxy.ConsoleIT.ADMIN_PASSWORD;
import static dev.patchgate.proxy.ConsoleIT.VENDOR_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.query.TestRecords;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The weekly review in the console, through a real gateway: its audit directory holds five weeks of
 * a ward's PCs written by the real writer before it starts, with one PC asking a host its group
 * never asked in the last days (whose name is markup); then real downloads go through the gateway.
 * The Anomalies page and API show the planted finding to the admin and refuse the vendor; the
 * Downloads page with a KB shows the coverage, a vendor's only of the clients it may see.
 */
class ConsoleReviewIT {
  /** The host the planted PC asks for: new for its group, and markup. */
  static final String HOSTILE_HOST = "<script>alert(1)</script>\"'.evil.example";

  static final String KB_FILE = "windows10.0-kb5034441-x64_patch.cab";

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put(KB_FILE, "a patch\n".getBytes(StandardCharsets.UTF_8));
    origin.put("readme.txt", "not a patch\n".getBytes(StandardCharsets.UTF_8));
    gateway = start(dir, origin.port());
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  /**
   * A gateway with the console on (the users of {@link ConsoleIT#writeUsers}: {@code alice}, admin,
   * and {@code victor}, vendor of entry {@code lab}), whose audit directory holds {@link
   * #plantHistory}; {@code lab} allows the origin at {@code port} and names KB files.
   */
  static GatewayHarness start(Path dir, int port) throws Exception {
    plantHistory(dir.resolve("audit"), Instant.now());
    Path users = ConsoleIT.writeUsers(dir);
    return GatewayHarness.with(
            dir,
            """
            time-zone = "UTC"
            clients { wards = ["10.30.1.0/24"], lab = ["127.0.0.0/8"] }
            entries { lab { hosts = ["127.0.0.1"], ports = [%d], kb-files = true } }
            """
                .formatted(port))
        .admin()
        .config("patchgate.console { enabled = true, users = \"%s\" }\n".formatted(users))
        .start();
  }

  /**
   * Five weeks before {@code now}: PCs 10.30.1.1-3 (client group {@code wards}) open a Windows
   * Update tunnel once a day; two days ago 10.30.1.2 was also refused {@link #HOSTILE_HOST} three
   * times, a host nobody of the group asked for before. Written by the real writer, a day file per
   * day, none for today (which the gateway writes).
   */
  static void plantHistory(Path audit, Instant now) {
    Instant hour = now.truncatedTo(ChronoUnit.HOURS);
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(audit, Clock.fixed(now, ZoneOffset.UTC), Duration.ofMillis(50));
    int id = 0;
    try (writer) {
      for (int daysAgo = 35; daysAgo >= 1; daysAgo--) {
        Instant day = hour.minus(Duration.ofDays(daysAgo));
        for (int pc = 1; pc <= 3; pc++) {
          writer.append(
              TestRecords.tunnel("fe2.update.microsoft.com")
                  .client("10.30.1." + pc)
                  .id("h" + ++id)
                  .ts(day.plus(Duration.ofMinutes(pc)).toString())
                  .build());
        }
        if (daysAgo == 2) {
          for (int i = 0; i < 3; i++) {
            writer.append(
                TestRecords.denied(HOSTILE_HOST)
                    .client("10.30.1.2")
                    .id("h" + ++id)
                    .ts(day.plus(Duration.ofMinutes(10 + i)).toString())
                    .build());
          }
        }
      }
    }
  }

  @Test
  void theAdminSeesThePlantedAnomalyOnThePageAndInTheApi() throws Exception {
    ConsoleHttpClient admin = new ConsoleHttpClient(gateway);
    admin.signIn("alice", ADMIN_PASSWORD);

    HttpResponse<String> page = admin.get("/anomalies");
    HttpResponse<String> api = admin.get("/api/anomalies");

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("href=\"/anomalies\" aria-current=\"page\"", "<h1>Anomalies</h1>")
        .contains("1</strong> finding to look at", "<td class=\"bad\">new_destination</td>")
        .contains("<td>10.30.1.2</td>", "3 requests (3 denied)")
        .contains("never asked in the baseline by it or any of the 3 clients of wards")
        .contains("&lt;script&gt;alert(1)&lt;/script&gt;")
        .doesNotContain("<script>");
    assertThat(api.statusCode()).isEqualTo(200);
    JsonArray rows = new JsonObject(api.body()).getJsonArray("rows");
    assertThat(rows).hasSize(1);
    JsonObject row = rows.getJsonObject(0);
    assertThat(row.getString("kind")).isEqualTo("new_destination");
    assertThat(row.getString("client")).isEqualTo("10.30.1.2");
    assertThat(row.getString("subject")).isEqualTo(HOSTILE_HOST);
    assertThat(row.getLong("count")).isEqualTo(3);

    HttpResponse<String> narrowed = admin.get("/api/anomalies?kind=beaconing&client=wards");
    assertThat(new JsonObject(narrowed.body()).getJsonArray("rows")).isEmpty();
    HttpResponse<String> quiet = admin.get("/anomalies?kind=burst");
    assertThat(quiet.body()).contains("Nothing unusual in this period.");
    HttpResponse<String> bad = admin.get("/api/anomalies?client=pcs");
    assertThat(bad.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(bad.body()).getString("error"))
        .startsWith("client: no client group 'pcs' (known groups: lab, wards;");
  }

  @Test
  void aVendorIsRefusedTheAnomaliesWithAnAuditRecord() throws Exception {
    ConsoleHttpClient vendor = new ConsoleHttpClient(gateway);
    vendor.signIn("victor", VENDOR_PASSWORD);

    HttpResponse<String> page = vendor.get("/anomalies");
    HttpResponse<String> api = vendor.get("/api/anomalies");
    HttpResponse<String> home = vendor.get("/");

    assertThat(page.statusCode()).isEqualTo(403);
    assertThat(page.body()).doesNotContain("10.30.1.2", "evil.example");
    assertThat(api.statusCode()).isEqualTo(403);
    assertThat(api.body()).doesNotContain("10.30.1.2");
    assertThat(home.body()).doesNotContain("href=\"/anomalies\"");
    for (String refused : List.of("/anomalies", "/api/anomalies")) {
      assertThat(gateway.awaitRecordFor(refused))
          .as(refused)
          .containsEntry("decision", "deny")
          .containsEntry("user", "victor")
          .containsEntry("status", 403L);
    }
    assertThat(new ConsoleHttpClient(gateway).get("/api/anomalies").statusCode()).isEqualTo(401);
  }

  @Test
  void downloadsOfAKbShowItsCoverageAndAVendorsHoldsOnlyItsClients() throws Exception {
    assertThat(get("127.0.0.1", KB_FILE)).isEqualTo(200);
    assertThat(get("127.0.0.2", "readme.txt")).isEqualTo(200);
    gateway.awaitRecord(r -> String.valueOf(r.get("url")).endsWith("/" + KB_FILE));
    gateway.awaitRecord(r -> String.valueOf(r.get("url")).endsWith("/readme.txt"));
    ConsoleHttpClient admin = new ConsoleHttpClient(gateway);
    admin.signIn("alice", ADMIN_PASSWORD);

    HttpResponse<String> page = admin.get("/downloads?kb=KB5034441");
    JsonObject api = new JsonObject(admin.get("/api/coverage?kb=kb5034441").body());

    // Seen this week: the two loopback PCs and the ward's three; one has the KB.
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.body())
        .contains("Coverage of the clients seen in this period")
        .contains("<strong>KB5034441</strong>: 5 clients seen")
        .contains("<dd>1 (20.0%)</dd>", "<dd>0 (0.0%)</dd>", "<dd>4 (80.0%)</dd>")
        .contains("<td class=\"ok\">complete</td>", "<td>10.30.1.3</td>");
    assertThat(api.getJsonArray("summary").getJsonObject(0).getMap())
        .containsEntry("kb", "KB5034441")
        .containsEntry("clients", 5)
        .containsEntry("complete", 1)
        .containsEntry("incomplete", 0)
        .containsEntry("none", 4);
    assertThat(statuses(api))
        .containsExactly(
            "10.30.1.1 none",
            "10.30.1.2 none",
            "10.30.1.3 none",
            "127.0.0.1 complete",
            "127.0.0.2 none");

    ConsoleHttpClient vendor = new ConsoleHttpClient(gateway);
    vendor.signIn("victor", VENDOR_PASSWORD);
    HttpResponse<String> theirPage = vendor.get("/downloads?kb=KB5034441");
    JsonObject theirs = new JsonObject(vendor.get("/api/coverage?kb=KB5034441").body());

    // The vendor of entry lab sees the clients that used lab, not the ward's PCs.
    assertThat(statuses(theirs)).containsExactly("127.0.0.1 complete", "127.0.0.2 none");
    assertThat(theirs.getJsonArray("summary").getJsonObject(0).getInteger("clients")).isEqualTo(2);
    assertThat(theirPage.body())
        .contains("<strong>KB5034441</strong>: 2 clients seen", "<dd>1 (50.0%)</dd>")
        .doesNotContain("10.30.1.");
    HttpResponse<String> noKb = vendor.get("/api/coverage");
    assertThat(noKb.statusCode()).isEqualTo(400);
    assertThat(new JsonObject(noKb.body()).getString("error")).startsWith("kb:");
  }

  /** A coverage answer's rows as {@code client status}. */
  private static List<String> statuses(JsonObject coverage) {
    return coverage.getJsonArray("rows").stream()
        .map(r -> ((JsonObject) r).getString("client") + " " + ((JsonObject) r).getString("status"))
        .toList();
  }

  /** A GET of the origin's {@code file} through the gateway from {@code client}: the status. */
  private int get(String client, String file) throws Exception {
    try (Socket proxied = gateway.socketFrom(client)) {
      RawHttp.send(
          proxied,
          "GET http://127.0.0.1:%d/files/%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
              .formatted(origin.port(), file, origin.port()));
      return RawHttp.read(proxied, false).status();
    }
  }
}
