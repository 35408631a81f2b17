package dev.patchgate.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The keepalived sample for a fail-over pair ({@code keepalived/keepalived.conf}, shipped in the
 * .deb and quoted in the README): keepalived itself accepts it, and its health check, run as
 * keepalived runs it, passes against a ready gateway, fails while the gateway is not ready (its
 * allowlist file broken), and passes again once it is fixed. keepalived (Debian package {@code
 * keepalived}) and curl are installed by {@code .ci/run}; moving a virtual address needs two hosts
 * and raw sockets, which a build cannot have, so that last step is keepalived's own.
 */
final class KeepalivedIT {
  private static final Path SAMPLE = Path.of("keepalived/keepalived.conf");
  private static final Pattern SCRIPT = Pattern.compile("(?m)^\\s*script \"([^\"]+)\"$");
  private static final int CONFIG_TEST_KILLED = 128 + 15;
  private static final String SAMPLE_ADMIN = "http://127.0.0.1:9128/";
  private static final String ALLOWLIST = "entries { lab { hosts = [\"127.0.0.1\"] } }\n";
  private static final String INVALID_ALLOWLIST = "entries { lab { hosts = [\"*.com\"] } }\n";

  @TempDir Path work;

  @Test
  void keepalivedAcceptsTheSample() throws Exception {
    Result result = configTest(SAMPLE.toAbsolutePath());

    assertThat(result.output()).as("keepalived's complaints").isEmpty();
    assertThat(result.exit()).as(result.output()).isIn(0, CONFIG_TEST_KILLED);
  }

  @Test
  void keepalivedsConfigTestCatchesAMistakeInTheSample() throws Exception {
    // The control for the test above: the same file with one keyword misspelt is refused.
    Path misspelt = work.resolve("keepalived.conf");
    Files.writeString(
        misspelt, Files.readString(SAMPLE, UTF_8).replace("track_script", "track_scirpt"));

    Result result = configTest(misspelt);

    assertThat(result.output()).contains("Unknown keyword 'track_scirpt'");
  }

  @Test
  void readmeQuotesTheSampleAsShipped() throws IOException {
    String readme = Files.readString(Path.of("../README.md"), UTF_8);
    String sample = Files.readString(SAMPLE, UTF_8);

    assertThat(readme).contains("```\n" + sample + "```\n");
  }

  @Test
  void healthCheckFollowsTheGatewaysReadiness() throws Exception {
    String check = healthCheck();
    assertThat(check).contains(SAMPLE_ADMIN + "readyz");
    int admin = freePort();
    Files.writeString(work.resolve("allowlist.conf"), ALLOWLIST);
    Files.writeString(
        work.resolve("patchgate.conf"),
        """
        patchgate.listen = "127.0.0.1:%d"
        patchgate.admin.listen = "127.0.0.1:%d"
        patchgate.allowlist = "allowlist.conf"
        patchgate.allowlist-poll = 100ms
        patchgate.audit.dir = "audit"
        patchgate.mirror.dir = "mirror"
        """
            .formatted(freePort(), admin));
    String command = check.replace(SAMPLE_ADMIN, "http://127.0.0.1:" + admin + "/");
    Process gateway =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar",
                Path.of("../proxy/target/patchgate.jar").toAbsolutePath().toString(),
                "run",
                "--config",
                "patchgate.conf")
            .directory(work.toFile())
            .redirectErrorStream(true)
            .redirectOutput(work.resolve("gateway.log").toFile())
            .start();
    try {
      awaitCheck(command, 0);

      Files.writeString(work.resolve("allowlist.conf"), INVALID_ALLOWLIST);
      awaitCheck(command, 22); // curl -f: the server answered an HTTP error (503)

      Files.writeString(work.resolve("allowlist.conf"), ALLOWLIST);
      awaitCheck(command, 0);
    } finally {
      gateway.destroy();
      if (!gateway.waitFor(30, TimeUnit.SECONDS)) {
        gateway.destroyForcibly();
      }
    }
  }

  /**
   * {@code keepalived --config-test}: it prints each problem it finds. Its exit code says little
   * with Debian 12's keepalived 2.2.7: it kills itself with SIGTERM (exit 143) at the end of a test
   * of any file with a {@code script_user} and a VRRP instance, valid or not
   * (acassen/keepalived#2587, fixed in 2.2.8); the problems are printed before that.
   */
  private static Result configTest(Path file) throws Exception {
    return run(file.getParent(), "keepalived", "--config-test", "--use-file", file.toString());
  }

  private void awaitCheck(String command, int exit) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              Result result = run(work, "sh", "-c", command);
              assertThat(result.exit()).as(command + ": " + result.output()).isEqualTo(exit);
            });
  }

  private static String healthCheck() throws IOException {
    Matcher script = SCRIPT.matcher(Files.readString(SAMPLE, UTF_8));
    assertThat(script.find()).as("a vrrp_script in " + SAMPLE).isTrue();
    return script.group(1);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private record Result(int exit, String output) {}

  private static Result run(Path dir, String... command) throws Exception {
    Process process =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as(String.join(" ", command)).isTrue();
    return new Result(process.exitValue(), output);
  }
}
