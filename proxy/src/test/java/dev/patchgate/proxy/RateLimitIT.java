package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditJsonReader;
import dev.patchgate.proxy.cli.Cli;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13: one client sending requests as fast as it can gets 429s with Retry-After beyond its
 * rate, and the audit log still accounts for every request, in own records and summaries.
 */
class RateLimitIT {
  private static final byte[] FILE = "an update".getBytes(StandardCharsets.US_ASCII);
  private static final int REQUESTS = 300;

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", FILE);
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  @Test
  void aBurstOverTheRateGets429sAndTheAuditLogAccountsForEveryRequestSent() throws Exception {
    gateway =
        GatewayHarness.with(dir, allowingOrigin(""))
            .config("patchgate.limits.requests-per-client { rate = 1, burst = 5 }")
            .start();

    int allowed = 0;
    int refused = 0;
    try (Socket socket = gateway.socket()) {
      for (int i = 0; i < REQUESTS; i++) {
        RawHttp.Response response = get(socket);
        if (response.status() == 200) {
          allowed++;
        } else {
          assertThat(response.status()).isEqualTo(429);
          assertThat(response.headers()).containsEntry("retry-after", "1");
          assertThat(response.bodyText()).contains(Exchange.RATE_LIMIT);
          refused++;
        }
      }
    }
    // A CONNECT over the rate is refused the same way, before any policy.
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.status()).isEqualTo(429);
      assertThat(response.headers()).containsKey("retry-after");
      refused++;
    }
    assertThat(allowed).as("the burst, and about one a second after it").isBetween(5, 30);
    assertThat(origin.seen()).hasSize(allowed);
    int refusedTotal = refused;
    await().atMost(Duration.ofSeconds(10)).until(() -> rateLimitedMeter() == refusedTotal);

    // Closing writes what the summaries still hold before the audit log closes.
    io.micrometer.core.instrument.MeterRegistry registry = gateway.registry;
    gateway.close();
    gateway = null;
    List<Map<String, Object>> records = recordsOnDisk();
    List<Map<String, Object>> limited =
        records.stream().filter(r -> Exchange.RATE_LIMIT.equals(r.get("reason"))).toList();
    List<Map<String, Object>> summaries =
        limited.stream().filter(r -> r.containsKey("count")).toList();
    assertThat(summaries).as("a flood costs a few summary lines").isNotEmpty();
    assertThat(limited.size() - summaries.size())
        .as("own records: at most 10 a second")
        .isLessThan(refused / 2);
    for (Map<String, Object> summary : summaries) {
      assertThat(summary)
          .containsEntry("decision", "deny")
          .containsEntry("status", 429L)
          .containsEntry("client", "127.0.0.1")
          .containsEntry("hosts", "127.0.0.1")
          .containsKey("last_ts");
    }
    assertThat(limited.stream().mapToLong(RateLimitIT::count).sum())
        .as("own records plus the summaries' counts: exactly the requests refused")
        .isEqualTo(refused);
    assertThat(records.stream().mapToLong(RateLimitIT::count).sum())
        .as("and with the allowed ones: exactly the requests sent")
        .isEqualTo(REQUESTS + 1);
    assertThat(records).filteredOn(r -> "allow".equals(r.get("decision"))).hasSize(allowed);

    assertThat(registry.get(GatewayMetrics.REQUESTS).tag("decision", "deny").counter().count())
        .as("a summary counts as its count")
        .isEqualTo(refused);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(
                new String[] {
                  "audit",
                  "report",
                  "denied",
                  "--format",
                  "csv",
                  "--config",
                  dir.resolve("patchgate.conf").toString(),
                  "--dir",
                  dir.resolve("audit").toString()
                });
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .as("audit report denied, as an operator runs it")
        .contains("127.0.0.1,false,127.0.0.1,rate limit," + refused + ",");
  }

  @Test
  void aGroupWithRateZeroInTheAllowlistsLimitsIsNotLimitedWhileOtherClientsAre() throws Exception {
    gateway =
        GatewayHarness.with(
                dir,
                allowingOrigin(
                    """
                    clients { wsus = ["127.0.0.1"], pcs = ["127.0.0.2"] }
                    limits { wsus { requests-per-client { rate = 0 } } }
                    """))
            .config("patchgate.limits.requests-per-client { rate = 1, burst = 2 }")
            .start();

    try (Socket wsus = gateway.socket()) {
      for (int i = 0; i < 50; i++) {
        assertThat(get(wsus).status()).as("request %d of the WSUS server", i).isEqualTo(200);
      }
    }
    List<Integer> pc = new ArrayList<>();
    try (Socket socket = new Socket()) {
      socket.setSoTimeout(15_000);
      socket.bind(new InetSocketAddress("127.0.0.2", 0));
      socket.connect(gateway.address());
      for (int i = 0; i < 10; i++) {
        pc.add(get(socket).status());
      }
    }
    assertThat(pc.subList(0, 2)).containsOnly(200);
    assertThat(pc).contains(429);
  }

  private double rateLimitedMeter() {
    return gateway.registry.get(GatewayMetrics.RATE_LIMITED).counter().count();
  }

  private static long count(Map<String, Object> record) {
    return record.get("count") instanceof Long n ? n : 1;
  }

  private List<Map<String, Object>> recordsOnDisk() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith(".jsonl"))
          .sorted()
          .flatMap(RateLimitIT::lines)
          .map(AuditJsonReader::readObject)
          .filter(r -> !r.containsKey("type"))
          .toList();
    }
  }

  private static Stream<String> lines(Path file) {
    try {
      return Files.readAllLines(file, StandardCharsets.UTF_8).stream();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private RawHttp.Response get(Socket socket) throws IOException {
    RawHttp.send(
        socket,
        "GET http://127.0.0.1:%d/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
            .formatted(origin.port(), origin.port()));
    return RawHttp.read(socket, false);
  }

  private String allowingOrigin(String clientsAndLimits) {
    return clientsAndLimits
        + "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }".formatted(origin.port());
  }
}
