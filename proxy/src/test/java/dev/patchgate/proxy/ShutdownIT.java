package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditJsonReader;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Stopping the gateway (SIGTERM) loses no audit record, not even of a tunnel still open, and ends
 * within the systemd unit's {@code TimeoutStopSec} whatever clients and alert receivers do.
 */
class ShutdownIT {
  @TempDir Path dir;

  @Test
  void sigtermWritesTheRecordOfATunnelThatWasStillOpen() throws Exception {
    CountDownLatch tunnelUp = new CountDownLatch(1);
    // Holds the tunnel open: reads until the gateway closes it.
    try (ScriptedOrigin origin =
        new ScriptedOrigin(
            c -> {
              tunnelUp.countDown();
              c.getInputStream().readAllBytes();
            })) {
      // The tunnel is still open when the stop comes, so its record can only come from the stop;
      // the hour-long flush interval leaves flushing it to the stop as well.
      GatewayProcess gateway =
          GatewayProcess.runAllowingLoopbackPort(
              dir, origin.port(), List.of(), "patchgate.audit.flush-interval = 1h\n");
      try (gateway;
          Socket client = new Socket(InetAddress.getLoopbackAddress(), gateway.awaitPort())) {
        RawHttp.send(client, "CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n".formatted(origin.port()));
        assertThat(RawHttp.read(client, true).status()).isEqualTo(200);
        assertThat(tunnelUp.await(10, TimeUnit.SECONDS)).isTrue();

        gateway.close(); // SIGTERM, then wait for the process to end

        assertThat(gateway.output()).anyMatch(l -> l.contains("patchgate stopped"));
      }
      List<Map<String, Object>> lines;
      try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
        lines =
            files
                .flatMap(f -> uncheckedLines(f).stream())
                .map(AuditJsonReader::readObject)
                .toList();
      }
      // The writer brackets its run with start and stop markers; the stop proves a clean close.
      assertThat(lines).anyMatch(l -> "stop".equals(l.get("type")));
      assertThat(lines.stream().filter(l -> !l.containsKey("type")))
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r).containsEntry("method", "CONNECT").containsEntry("status", 200L);
                assertThat(r.get("url")).isEqualTo("127.0.0.1:" + origin.port());
              });
    }
  }

  @Test
  void sigtermEndsWithinTheUnitsStopTimeoutWhileATunnelADownloadAndTheWebhookHang()
      throws Exception {
    CountDownLatch tunnelUp = new CountDownLatch(1);
    CountDownLatch downloading = new CountDownLatch(1);
    CountDownLatch webhookCalled = new CountDownLatch(1);
    List<Socket> webhookCalls = new CopyOnWriteArrayList<>();
    try (ScriptedOrigin tunnelOrigin =
            new ScriptedOrigin(
                c -> {
                  tunnelUp.countDown();
                  c.getInputStream().readAllBytes();
                });
        // A 100 MB download that stops after its first kilobyte and never ends by itself.
        ScriptedOrigin slowOrigin =
            new ScriptedOrigin(
                c -> {
                  RawHttp.completeHead(c.getInputStream(), "request");
                  OutputStream out = c.getOutputStream();
                  out.write(
                      "HTTP/1.1 200 OK\r\nContent-Length: 100000000\r\n\r\n"
                          .getBytes(StandardCharsets.ISO_8859_1));
                  out.write(new byte[1024]);
                  out.flush();
                  downloading.countDown();
                  c.getInputStream().readAllBytes();
                });
        // The alert webhook: takes the connection, reads nothing, never answers.
        ServerSocket webhook = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    webhookCalls.add(webhook.accept());
                    webhookCalled.countDown();
                  }
                } catch (IOException e) {
                  // closed at the end of the test
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      Files.writeString(
          dir.resolve("allowlist.conf"),
          "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d, %d] } }"
              .formatted(tunnelOrigin.port(), slowOrigin.port()));
      Files.writeString(
          dir.resolve("patchgate.conf"),
          """
          patchgate.listen = "127.0.0.1:0"
          patchgate.allowlist = "allowlist.conf"
          patchgate.audit.dir = "audit"
          patchgate.alerts.webhook { url = "http://127.0.0.1:%d/hook", timeout = 30s }
          """
              .formatted(webhook.getLocalPort()));
      GatewayProcess gateway =
          GatewayProcess.start(dir, List.of(), "run", "--config", "patchgate.conf");
      try (gateway;
          Socket tunnel = new Socket(InetAddress.getLoopbackAddress(), gateway.awaitPort());
          Socket download = new Socket(InetAddress.getLoopbackAddress(), gateway.awaitPort());
          Socket denied = new Socket(InetAddress.getLoopbackAddress(), gateway.awaitPort())) {
        RawHttp.send(
            tunnel, "CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n".formatted(tunnelOrigin.port()));
        assertThat(RawHttp.read(tunnel, true).status()).isEqualTo(200);
        assertThat(tunnelUp.await(10, TimeUnit.SECONDS)).isTrue();
        RawHttp.send(
            download,
            "GET http://127.0.0.1:%1$d/big.cab HTTP/1.1\r\nHost: 127.0.0.1:%1$d\r\n\r\n"
                .formatted(slowOrigin.port()));
        assertThat(RawHttp.completeHead(download.getInputStream(), "response"))
            .startsWith("HTTP/1.1 200");
        assertThat(downloading.await(10, TimeUnit.SECONDS)).isTrue();
        // A denied request raises an alert, whose POST then hangs.
        RawHttp.send(denied, "GET http://unlisted.example.test/x HTTP/1.1\r\n\r\n");
        assertThat(RawHttp.read(denied, false).status()).isEqualTo(403);
        assertThat(webhookCalled.await(10, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        gateway.signal("TERM");
        // The unit's TimeoutStopSec is 30 s; the stop must end well within it.
        int exit = gateway.awaitExit(Duration.ofSeconds(20));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(exit).isEqualTo(143); // 128 + SIGTERM: the JVM's clean exit on a signal
        assertThat(took).isLessThan(Duration.ofSeconds(20));
        assertThat(gateway.output())
            .anyMatch(l -> l.matches(".*patchgate stopped in \\d+\\.\\d s; audit log flushed"));
      } finally {
        for (Socket call : webhookCalls) {
          call.close();
        }
      }
      List<Map<String, Object>> lines = auditLines();
      assertThat(lines).anyMatch(l -> "stop".equals(l.get("type")));
      assertThat(lines.stream().filter(l -> !l.containsKey("type")).map(l -> l.get("method")))
          .containsExactlyInAnyOrder("CONNECT", "GET", "GET");
    }
  }

  private List<Map<String, Object>> auditLines() throws IOException {
    try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
      return files
          .flatMap(f -> uncheckedLines(f).stream())
          .map(AuditJsonReader::readObject)
          .toList();
    }
  }

  private static List<String> uncheckedLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
