package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditWriterSettings;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.JsonLinesAuditWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live anomaly watch in a running gateway: its alerts reach a real webhook receiver,
 * deduplicated like every other alert, and its baseline comes from real audit files.
 */
class AnomalyAlertsIT {
  private static final String ALLOWLIST =
      """
      clients { his-pcs = ["127.0.0.0/29"] }
      entries { updates { hosts = ["updates.example.test"] } }
      """;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private AlertHook hook;
  private GatewayHarness gateway;

  @BeforeEach
  void startHook() throws IOException {
    hook = new AlertHook();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    hook.close();
  }

  @Test
  void aClientHittingADeniedHostEveryFiveSecondsRaisesOneBeaconingAlert() throws Exception {
    FakeClock clock = new FakeClock(Instant.now().truncatedTo(ChronoUnit.SECONDS));
    gateway = GatewayHarness.with(dir, ALLOWLIST).clock(clock).config(hook.config()).start();

    // Three runs' worth of attempts: the watch raises at least twice, and the channels still get
    // one alert. Not exactly twice for 16: a record is observed when its exchange finishes, which
    // may be just after the next request's (a denied exchange on another event loop), so a run's
    // window can start one attempt late and the second run come up one short.
    for (int i = 0; i < 24; i++) {
      assertThat(getFrom("127.0.0.1", "c2.example.net")).isEqualTo(403);
      clock.set(clock.instant().plusSeconds(5));
    }
    await().atMost(WAIT).until(() -> raised("beaconing"), n -> n >= 2.0);
    // Alerts go out in order: once this later one is in, both beacon alerts were dispatched.
    assertThat(getFrom("127.0.0.1", "marker.example.net")).isEqualTo(403);
    await()
        .atMost(WAIT)
        .until(
            () -> hook.ofKind("denied"),
            denied -> denied.stream().anyMatch(p -> p.contains("marker.example.net")));

    assertThat(hook.ofKind("anomaly_beaconing"))
        .singleElement()
        .satisfies(
            alert ->
                assertThat(alert)
                    .contains("127.0.0.1")
                    .contains("c2.example.net")
                    .contains("8 denied requests 5.0 s apart (spread 0.00)"));
    assertThat(hook.ofKind("anomaly_burst")).isEmpty();
  }

  @Test
  void aHostNeitherTheClientNorItsGroupAskedForInTheAuditFilesRaisesANewDestinationAlert()
      throws Exception {
    // A week of history: this PC fetches updates daily; a colleague in its group uses the vendor.
    Instant now = Instant.now();
    try (JsonLinesAuditWriter history =
        new JsonLinesAuditWriter(
            AuditWriterSettings.defaults(dir.resolve("audit")), Clock.systemUTC())) {
      for (int day = 8; day >= 1; day--) {
        Instant at = now.minus(Duration.ofDays(day));
        history.append(record("h" + day, at, "127.0.0.1", "updates.example.test"));
        history.append(record("v" + day, at.plusSeconds(1), "127.0.0.2", "vendor.example.test"));
      }
      history.sync().join();
    }
    gateway = GatewayHarness.with(dir, ALLOWLIST).admin().config(hook.config()).start();
    await()
        .atMost(WAIT)
        .until(() -> gateway.registry.get(LiveAnomalies.BASELINE_READ).gauge().value() == 1.0);

    assertThat(getFrom("127.0.0.1", "updates.example.test")).isNotEqualTo(403);
    assertThat(getFrom("127.0.0.1", "vendor.example.test")).isEqualTo(403);
    assertThat(getFrom("127.0.0.1", "c2.example.net")).isEqualTo(403);

    String alert = hook.await("anomaly_new_destination");
    assertThat(alert)
        .contains("127.0.0.1")
        .contains("c2.example.net")
        .contains("never asked for before by this client nor its groups his-pcs");
    await().atMost(WAIT).until(() -> raised("new_destination"), n -> n == 1.0);
    assertThat(hook.ofKind("anomaly_new_destination")).hasSize(1);
    // What an operator's Prometheus sees.
    String metrics = adminGet("/metrics");
    assertThat(metrics)
        .contains("patchgate_anomaly_alerts_total{kind=\"new_destination\"} 1.0")
        .contains("patchgate_anomaly_alerts_total{kind=\"beaconing\"} 0.0")
        .contains("patchgate_anomaly_baseline_read 1.0")
        .containsPattern("patchgate_anomaly_tracked [1-9]");
  }

  private String adminGet(String path) throws Exception {
    InetSocketAddress admin = gateway.adminAddress();
    URI uri = URI.create("http://127.0.0.1:%d%s".formatted(admin.getPort(), path));
    return HttpClient.newHttpClient()
        .send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString())
        .body();
  }

  private double raised(String kind) {
    return gateway.registry.get(LiveAnomalies.ALERTS).tag("kind", kind).functionCounter().count();
  }

  private static AuditRecord record(String id, Instant ts, String client, String host) {
    return new AuditRecord(
        ts,
        id,
        client,
        null,
        "GET",
        "http://" + host + "/x.cab",
        host,
        80,
        AuditDecision.ALLOW,
        "updates",
        null,
        false,
        200,
        1000,
        100,
        5,
        null,
        1000L,
        CacheOutcome.MISS,
        "203.0.113.7",
        null,
        null);
  }

  /** One GET for {@code host} from a client bound to {@code clientAddress}; returns the status. */
  private int getFrom(String clientAddress, String host) throws IOException {
    try (Socket socket = gateway.socketFrom(clientAddress)) {
      RawHttp.send(socket, "GET http://%s/x.cab HTTP/1.1\r\n\r\n".formatted(host));
      return RawHttp.read(socket, false).status();
    }
  }
}
