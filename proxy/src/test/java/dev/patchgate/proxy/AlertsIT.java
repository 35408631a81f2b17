package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts leave the running gateway for a real syslog listener and a real webhook receiver on
 * loopback, deduplicated; a dead receiver costs the requests nothing.
 */
class AlertsIT {
  private static final String ALLOWLIST =
      """
      clients { his-pcs = ["127.0.0.1"] }
      entries { nothing-useful { hosts = ["updates.example.test"] } }
      """;

  @TempDir Path dir;
  private DatagramSocket syslog;
  private HttpServer webhook;
  private final List<String> datagrams = new CopyOnWriteArrayList<>();
  private final List<String> posts = new CopyOnWriteArrayList<>();
  private GatewayHarness gateway;

  @BeforeEach
  void startReceivers() throws IOException {
    syslog = new DatagramSocket(0, InetAddress.getLoopbackAddress());
    Thread listener =
        new Thread(
            () -> {
              byte[] buffer = new byte[8192];
              while (!syslog.isClosed()) {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                try {
                  syslog.receive(packet);
                  datagrams.add(
                      new String(packet.getData(), 0, packet.getLength(), StandardCharsets.UTF_8));
                } catch (IOException e) {
                  return;
                }
              }
            });
    listener.setDaemon(true);
    listener.start();
    webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    webhook.createContext(
        "/hook",
        exchange -> {
          posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    webhook.start();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    syslog.close();
    webhook.stop(0);
  }

  @Test
  void aClientRefusedByTheAdminListenerRaisesADeniedAlert() throws Exception {
    gateway =
        GatewayHarness.with(dir, ALLOWLIST)
            .admin()
            .config(
                """
                patchgate.admin.clients = ["10.20.0.0/16"]
                patchgate.alerts.webhook.url = "http://127.0.0.1:%d/hook"
                """
                    .formatted(webhook.getAddress().getPort()))
            .start();
    int adminPort = gateway.adminAddress().getPort();

    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), adminPort)) {
      RawHttp.send(socket, "GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(403);
    }

    await().atMost(Duration.ofSeconds(10)).until(() -> posts.size() == 1);
    assertThat(posts.get(0))
        .contains("\"kind\":\"denied\"")
        .contains("127.0.0.1")
        .contains("admin client not allowed");
  }

  @Test
  void deniedRequestsRaiseOneAlertPerClientAndHostOnEveryChannel() throws Exception {
    gateway =
        GatewayHarness.with(dir, ALLOWLIST)
            .config(
                """
                patchgate.alerts {
                  syslog { host = "127.0.0.1", port = %d, protocol = udp }
                  webhook.url = "http://127.0.0.1:%d/hook"
                }
                """
                    .formatted(syslog.getLocalPort(), webhook.getAddress().getPort()))
            .start();

    for (int i = 0; i < 5; i++) {
      assertThat(getFrom("127.0.0.1", "evil.example.net")).isEqualTo(403);
    }
    assertThat(getFrom("127.0.0.9", "updates.example.test")).isEqualTo(403);

    await().atMost(Duration.ofSeconds(10)).until(() -> datagrams.size() == 2 && posts.size() == 2);
    assertThat(datagrams)
        .anySatisfy(
            m ->
                assertThat(m)
                    .startsWith("<")
                    .contains("client=\"127.0.0.1\"")
                    .contains("host=\"evil.example.net\"")
                    .contains("kind=\"denied\""))
        .anySatisfy(
            m ->
                assertThat(m)
                    .contains("client=\"127.0.0.9\"")
                    .contains("kind=\"unregistered_client\""));
    assertThat(posts)
        .anySatisfy(p -> assertThat(p).contains("\"kind\":\"denied\"").contains("evil.example.net"))
        .anySatisfy(p -> assertThat(p).contains("\"kind\":\"unregistered_client\""));
    // Five denials of one host from one client are one alert; the other four wait for the
    // window's summary. Deliveries are counted per channel.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                gateway
                    .registry
                    .get(GatewayMetrics.ALERTS_SENT)
                    .tag("channel", "webhook")
                    .functionCounter()
                    .count(),
            n -> n == 2.0);
  }

  @Test
  void deadAlertReceiversNeverHoldUpRequests() throws Exception {
    // A webhook that accepts and never answers, and a TCP syslog collector that is not there.
    try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        ServerSocket closed = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int closedPort = closed.getLocalPort();
      closed.close();
      gateway =
          GatewayHarness.with(dir, ALLOWLIST)
              .config(
                  """
                  patchgate.alerts {
                    window = 1ms
                    syslog { host = "127.0.0.1", port = %d, protocol = tcp }
                    webhook { url = "http://127.0.0.1:%d/hook", timeout = 30s }
                  }
                  """
                      .formatted(closedPort, silent.getLocalPort()))
              .start();

      // Each denial is its own alert (a 1 ms window), so both channels are flooded.
      for (int i = 0; i < 200; i++) {
        assertThat(getFrom("127.0.0.1", "host-" + i + ".evil.example.net")).isEqualTo(403);
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> gateway.records().size() == 200);
    }
  }

  /** One GET for {@code host} from a client bound to {@code clientAddress}; returns the status. */
  private int getFrom(String clientAddress, String host) throws IOException {
    try (Socket socket = gateway.socketFrom(clientAddress)) {
      RawHttp.send(socket, "GET http://%s/x.cab HTTP/1.1\r\n\r\n".formatted(host));
      return RawHttp.read(socket, false).status();
    }
  }
}
