package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditJsonReader;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Stopping the gateway (SIGTERM) loses no audit record, not even of a tunnel still open. */
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

  private static List<String> uncheckedLines(Path file) {
    try {
      return Files.readAllLines(file);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
