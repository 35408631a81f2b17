package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.proxy.exchange.GatewayMetrics;
import dev.patchgate.proxy.limits.ConnectionLimits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connection limits on the running gateway, with real sockets from several loopback addresses: a
 * flood of idle connections from one client is cut at its limit, and the gateway goes on serving
 * everyone else; the refusals are in the audit log, an alert and the metrics.
 */
class ConnectionLimitsIT {
  @TempDir Path dir;
  private HttpOrigin origin;
  private AlertHook webhook;
  private final List<Socket> sockets = new ArrayList<>();
  private GatewayHarness gateway;

  @BeforeEach
  void start() throws IOException {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", "the patch".getBytes(StandardCharsets.US_ASCII));
    webhook = new AlertHook();
  }

  @AfterEach
  void stop() throws IOException {
    for (Socket socket : sockets) {
      socket.close();
    }
    if (gateway != null) {
      gateway.close();
    }
    webhook.close();
    origin.close();
  }

  @Test
  void aOneClientFloodIsCutAtItsLimitAuditedAlertedAndCountedWhileAnotherClientIsServed()
      throws Exception {
    gateway = start("", "patchgate.limits.connections-per-client = 100\n" + webhook.config());

    List<Socket> flood = open("127.0.0.1", 1000);

    await().atMost(Duration.ofSeconds(30)).until(() -> refused("per_client") == 900);
    assertClosedByTheGateway(flood.get(999));
    assertStillOpen(flood.get(0));
    await().atMost(Duration.ofSeconds(10)).until(() -> activeConnections() == 100);
    assertThat(get("127.0.0.2").status()).isEqualTo(200);

    Map<String, Object> record =
        gateway.records().stream()
            .filter(r -> "connection limit (100 per client)".equals(r.get("reason")))
            .findFirst()
            .orElseThrow();
    assertThat(record)
        .containsEntry("client", "127.0.0.1")
        .containsEntry("decision", "deny")
        .containsEntry("status", 0L)
        .containsEntry("method", "")
        .containsEntry("url", "");
    // Every refusal is accounted for, the flood beyond ten a second in summary records with their
    // count: far fewer lines than refusals.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> refusalsRecorded("127.0.0.1"), n -> n == 900);
    assertThat(gateway.records())
        .filteredOn(r -> "127.0.0.1".equals(r.get("client")))
        .hasSizeLessThan(300)
        .anySatisfy(r -> assertThat((Long) r.get("count")).isGreaterThan(1));
    assertThat(webhook.await("connection_limit"))
        .contains("127.0.0.1")
        .contains("connection limit (100 per client)");
    assertThat(refused("total")).isZero();
  }

  @Test
  void aClientGroupOfTheAllowlistHasItsOwnLimitAndEveryOtherClientTheGateways() throws Exception {
    gateway =
        start(
            "limits { wsus { connections-per-client = 300 } }",
            "patchgate.limits.connections-per-client = 100");

    List<Socket> wsus = open("127.0.0.3", 301);
    assertClosedByTheGateway(wsus.get(300));
    // Connections are accepted in order: one refusal means the first 300 were all admitted.
    await().atMost(Duration.ofSeconds(10)).until(() -> refused("per_client") == 1);

    List<Socket> pc = open("127.0.0.2", 101);
    assertClosedByTheGateway(pc.get(100));
    await().atMost(Duration.ofSeconds(10)).until(() -> refused("per_client") == 2);

    assertThat(gateway.records())
        .extracting(r -> r.get("client") + ": " + r.get("reason"))
        .containsExactly(
            "127.0.0.3: connection limit (300 per client)",
            "127.0.0.2: connection limit (100 per client)");
  }

  @Test
  void theConnectionAfterTheGatewaysLastIsRefusedWhateverItsClientAndOneClosingMakesRoom()
      throws Exception {
    gateway = start("", "patchgate.limits.connections = 50");

    List<Socket> fifty = open("127.0.0.1", 50);
    Socket fiftyFirst = open("127.0.0.2", 1).get(0);

    assertClosedByTheGateway(fiftyFirst);
    await().atMost(Duration.ofSeconds(10)).until(() -> refused("total") == 1);
    assertThat(refused("per_client")).isZero();
    assertThat(gateway.awaitRecord(r -> "127.0.0.2".equals(r.get("client"))))
        .containsEntry("reason", ConnectionLimits.GATEWAY_FULL)
        .containsEntry("decision", "deny");

    fifty.get(0).close();
    await().atMost(Duration.ofSeconds(10)).until(() -> activeConnections() == 49);
    assertThat(get("127.0.0.2").status()).isEqualTo(200);
  }

  @Test
  void underALowFileLimitTheDerivedLimitsKeepTheGatewayServingThroughAFlood() throws Exception {
    // (700 - 512) / 2 = 94 connections in all; without limits, 700 sockets would exhaust it.
    try (GatewayProcess process =
        startUnderFileLimit(700, "patchgate.limits.connections-per-client = 50\n")) {
      InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", process.awaitPort());

      List<Socket> flood = open(proxy, "127.0.0.1", 700);
      assertClosedByTheGateway(flood.get(699));
      assertThat(get(proxy, "127.0.0.2").status()).isEqualTo(200);
      List<Socket> second = open(proxy, "127.0.0.3", 100);
      assertClosedByTheGateway(second.get(99));
      assertThat(get(proxy, "127.0.0.3").status()).isZero();

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  auditText().contains("connection limit (50 per client)")
                      && auditText().contains("connection limit (gateway full)"));
      assertThat(process.output())
          .anyMatch(line -> line.contains("at most 94 in all (derived from the file limit"))
          .noneMatch(line -> line.contains("Too many open files"))
          .noneMatch(line -> line.startsWith("\tat "));
    }
  }

  @Test
  void aLimitAboveWhatTheFileLimitAllowsIsWarnedOfAndAcceptFailuresLogOneLinePerStreak()
      throws Exception {
    try (GatewayProcess process =
        startUnderFileLimit(
            700,
            """
            patchgate.limits.connections = 5000
            patchgate.limits.connections-per-client = 5000
            """)) {
      InetSocketAddress proxy = new InetSocketAddress("127.0.0.1", process.awaitPort());
      assertThat(process.output())
          .anyMatch(line -> line.contains("patchgate.limits.connections = 5000 is more than"));

      List<Socket> flood = open(proxy, "127.0.0.1", 800);
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  process.output().stream()
                      .anyMatch(line -> line.contains("cannot accept client connections")));
      // While the process has no descriptor left, a request waits unanswered.
      Socket waiting = open(proxy, "127.0.0.2", 1).get(0);
      String url = origin.base() + "/files/kb.cab";
      RawHttp.send(
          waiting, "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
      assertStillOpen(waiting, Duration.ofMillis(2_500));

      for (Socket socket : flood) {
        socket.close();
      }
      waiting.setSoTimeout(30_000);
      assertThat(RawHttp.read(waiting, false).status()).isEqualTo(200);

      await()
          .atMost(Duration.ofSeconds(10))
          .until(
              () ->
                  process.output().stream()
                      .anyMatch(line -> line.contains("accepting client connections again")));
      List<String> output = process.output();
      assertThat(output)
          .filteredOn(line -> line.contains("cannot accept client connections"))
          .hasSize(1);
      // The allowlist watcher, when it happens to look at its file during the exhaustion, says once
      // that it cannot read it; accepting says so once in all, not once an attempt.
      assertThat(output)
          .filteredOn(line -> line.contains("Too many open files"))
          .filteredOn(line -> !line.contains("allowlist.conf"))
          .hasSize(1);
      assertThat(output).noneMatch(line -> line.startsWith("\tat "));
      String recovered =
          output.stream()
              .filter(line -> line.contains("accepting client connections again"))
              .findFirst()
              .orElseThrow();
      Matcher attempts = Pattern.compile("after (\\d+) failed attempts").matcher(recovered);
      assertThat(attempts.find()).isTrue();
      assertThat(Integer.parseInt(attempts.group(1))).isGreaterThanOrEqualTo(2);
    }
  }

  private GatewayProcess startUnderFileLimit(long files, String config) throws IOException {
    Files.writeString(
        dir.resolve("allowlist.conf"),
        """
        clients { his-pcs = ["127.0.0.1", "127.0.0.2", "127.0.0.3"] }
        entries { lab { hosts = ["127.0.0.1"], ports = [%d] } }
        """
            .formatted(origin.port()));
    Files.writeString(
        dir.resolve("patchgate.conf"),
        """
        patchgate.listen = "127.0.0.1:0"
        patchgate.allowlist = "allowlist.conf"
        patchgate.audit.dir = "audit"
        patchgate.admin.listen = ""
        patchgate.mirror.enabled = false
        """
            + config);
    return GatewayProcess.startWithFileLimit(dir, files, "run", "--config", "patchgate.conf");
  }

  /** The audit log the gateway process wrote so far, as text. */
  private String auditText() throws IOException {
    StringBuilder text = new StringBuilder();
    try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        text.append(Files.readString(file, StandardCharsets.UTF_8));
      }
    }
    return text.toString();
  }

  private GatewayHarness start(String allowlistLimits, String config) throws Exception {
    return GatewayHarness.with(
            dir,
            """
            clients { his-pcs = ["127.0.0.1", "127.0.0.2"], wsus = ["127.0.0.3"] }
            %s
            entries { lab { hosts = ["127.0.0.1"], ports = [%d] } }
            """
                .formatted(allowlistLimits, origin.port()))
        .config(config)
        .start();
  }

  /** {@code n} connections to the gateway from {@code localAddress}, opened one after another. */
  private List<Socket> open(String localAddress, int n) throws IOException {
    return open(gateway.address(), localAddress, n);
  }

  private List<Socket> open(InetSocketAddress proxy, String localAddress, int n)
      throws IOException {
    List<Socket> opened = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Socket socket = new Socket();
      sockets.add(socket);
      socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
      socket.connect(proxy, 5_000);
      opened.add(socket);
    }
    return opened;
  }

  /** A GET of the origin's file through the gateway from {@code localAddress}. */
  private RawHttp.Response get(String localAddress) throws IOException {
    return get(gateway.address(), localAddress);
  }

  /**
   * A GET of the origin's file through {@code proxy} from {@code localAddress}; status 0 when the
   * connection was closed without an answer.
   */
  private RawHttp.Response get(InetSocketAddress proxy, String localAddress) throws IOException {
    try (Socket socket = open(proxy, localAddress, 1).get(0)) {
      socket.setSoTimeout(10_000);
      String url = origin.base() + "/files/kb.cab";
      try {
        RawHttp.send(
            socket, "GET " + url + " HTTP/1.1\r\nHost: 127.0.0.1:" + origin.port() + "\r\n\r\n");
        return RawHttp.read(socket, false);
      } catch (IOException closedWithoutAnswer) {
        return new RawHttp.Response(0, Map.of(), new byte[0], 0);
      }
    }
  }

  /** The gateway closed the connection without a byte: end of stream (or a reset). */
  private static void assertClosedByTheGateway(Socket socket) throws IOException {
    socket.setSoTimeout(10_000);
    try {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    } catch (SocketException reset) {
      assertThat(reset).hasMessageContaining("reset");
    }
  }

  /** Nothing arrives for a while, and the connection does not end. */
  private static void assertStillOpen(Socket socket) throws IOException {
    assertStillOpen(socket, Duration.ofMillis(300));
  }

  /** Nothing arrives for {@code wait}, and the connection does not end. */
  private static void assertStillOpen(Socket socket, Duration wait) throws IOException {
    socket.setSoTimeout((int) wait.toMillis());
    try {
      int read = socket.getInputStream().read();
      throw new AssertionError("expected an open, silent connection; read returned " + read);
    } catch (SocketTimeoutException stillOpen) {
      // as expected
    }
  }

  /**
   * The refused connections of {@code client} the audit log accounts for: a summary as its count.
   */
  private long refusalsRecorded(String client) {
    return gateway.records().stream()
        .filter(r -> client.equals(r.get("client")))
        .filter(r -> String.valueOf(r.get("reason")).startsWith("connection limit"))
        .mapToLong(r -> r.get("count") instanceof Long n ? n : 1)
        .sum();
  }

  private double refused(String limit) {
    return gateway.registry.get(ConnectionLimits.REFUSED).tag("limit", limit).counter().count();
  }

  private double activeConnections() {
    return gateway.registry.get(GatewayMetrics.CONNECTIONS_ACTIVE).gauge().value();
  }
}
