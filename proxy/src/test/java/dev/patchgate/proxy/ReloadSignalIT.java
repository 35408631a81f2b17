package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code systemctl reload patchgate} sends SIGHUP: the running gateway (the packaged jar, its own
 * JVM) re-reads its allowlist at once, says so in its log, and keeps running; the JVM's own answer
 * to SIGHUP would have been to stop.
 */
class ReloadSignalIT {
  private static final String DENIES_THE_ORIGIN =
      "entries { elsewhere { hosts = [\"updates.example.test\"] } }\n";
  private static final String ALLOWS_THE_ORIGIN =
      "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }\n";
  // The problem is on line 3, so the log must name the line, not only the file.
  private static final String INVALID = "entries {\n  lab {\n    hosts = [\"*.com\"]\n  }\n}\n";

  @TempDir Path dir;

  @Test
  void sighupTakesTheEditedAllowlistAtOnceAndKeepsServing() throws Exception {
    try (HttpOrigin origin = HttpOrigin.plain();
        GatewayProcess gateway = start(DENIES_THE_ORIGIN, "patchgate.allowlist-poll = 0s")) {
      int port = gateway.awaitPort();
      assertThat(get(port, origin.port())).isEqualTo(403);

      // Saved as editors save (a new file renamed over the old), then the reload. Polling is off
      // (allowlist-poll = 0s), so only the signal can have taken the edit.
      save(ALLOWS_THE_ORIGIN.formatted(origin.port()));
      gateway.signal("HUP");

      awaitLine(gateway, "allowlist re-read on SIGHUP: reloaded, 1 entry (was 1 entry)");
      assertThat(get(port, origin.port())).isEqualTo(200);
      // The poller, coming later, finds nothing new: the edit is applied once.
      assertThat(gateway.output()).noneMatch(l -> l.contains("allowlist reloaded"));

      gateway.signal("HUP");

      awaitLine(gateway, "allowlist re-read on SIGHUP: unchanged (1 entry)");
      assertThat(gateway.isAlive()).isTrue();
      assertThat(get(port, origin.port())).isEqualTo(200);
      assertThat(gateway.output())
          .filteredOn(l -> l.contains("allowlist re-read on SIGHUP: reloaded"))
          .hasSize(1);
    }
  }

  @Test
  void sighupWithAnInvalidAllowlistNamesTheProblemAndKeepsThePreviousPolicy() throws Exception {
    try (HttpOrigin origin = HttpOrigin.plain();
        GatewayProcess gateway = start(ALLOWS_THE_ORIGIN.formatted(origin.port()), "")) {
      int port = gateway.awaitPort();
      assertThat(get(port, origin.port())).isEqualTo(200);

      save(INVALID);
      gateway.signal("HUP");

      // "rejected" when the signal reads it first, "unchanged, still rejected" if the poller
      // happened to: either way the signal's own line and every problem, with file and line.
      awaitLine(gateway, "allowlist re-read on SIGHUP: ");
      List<String> output = gateway.output();
      int at = indexOf(output, "allowlist re-read on SIGHUP: ");
      assertThat(output.get(at))
          .containsPattern("SIGHUP: (rejected|unchanged, still rejected); the previous allowlist")
          .contains("(1 entry) stays in force");
      assertThat(output.get(at + 1)).contains("allowlist.conf:3: ").contains("*.com");

      assertThat(gateway.isAlive()).isTrue();
      assertThat(get(port, origin.port())).isEqualTo(200);
    }
  }

  private GatewayProcess start(String allowlist, String poll) throws IOException {
    Files.writeString(dir.resolve("allowlist.conf"), allowlist);
    Files.writeString(
        dir.resolve("patchgate.conf"),
        """
        patchgate.listen = "127.0.0.1:0"
        patchgate.allowlist = "allowlist.conf"
        patchgate.audit.dir = "audit"
        patchgate.mirror.enabled = false
        patchgate.admin.listen = ""
        %s
        """
            .formatted(poll));
    return GatewayProcess.start(dir, List.of(), "run", "--config", "patchgate.conf");
  }

  private void save(String allowlist) throws IOException {
    Path saved = dir.resolve("allowlist.conf.new");
    Files.writeString(saved, allowlist, StandardCharsets.UTF_8);
    Files.move(
        saved,
        dir.resolve("allowlist.conf"),
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static void awaitLine(GatewayProcess gateway, String text) {
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(gateway.output()).anyMatch(l -> l.contains(text)));
  }

  private static int indexOf(List<String> lines, String text) {
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).contains(text)) {
        return i;
      }
    }
    throw new AssertionError("no line with " + text + ": " + lines);
  }

  /** One GET through the gateway for a small file on the origin; returns the status. */
  private static int get(int proxyPort, int originPort) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), proxyPort)) {
      socket.setSoTimeout(10_000);
      RawHttp.send(
          socket,
          "GET http://127.0.0.1:%d/generated/10 HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
              .formatted(originPort, originPort));
      return RawHttp.read(socket, false).status();
    }
  }
}
