package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.cli.Cli;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged command line, run as an operator runs it. */
class CliIT {
  @TempDir Path dir;

  @Test
  void checkConfigFromTheRepositoryRootAcceptsTheShippedDefaults() throws Exception {
    try (GatewayProcess p =
        GatewayProcess.start(
            Path.of("..").toAbsolutePath().normalize(), List.of(), "check-config")) {
      assertThat(p.awaitExit()).as(String.join("\n", p.output())).isZero();
      assertThat(p.output())
          .anyMatch(l -> l.contains("configuration OK") && l.contains("deploy/allowlist.conf"));
    }
  }

  @Test
  void checkConfigListsEveryProblemWithFileAndLineAndExits1() throws Exception {
    Files.writeString(
        dir.resolve("allowlist.conf"),
        """
        entries {
          a { host = ["x.example.com"] }
          b { hosts = ["*.com"] }
        }
        """);
    Files.writeString(dir.resolve("patchgate.conf"), "patchgate.allowlist = \"allowlist.conf\"\n");

    try (GatewayProcess p =
        GatewayProcess.start(dir, List.of(), "check-config", "--config", "patchgate.conf")) {
      assertThat(p.awaitExit()).isEqualTo(1);
      assertThat(p.output())
          .anyMatch(l -> l.startsWith("allowlist.conf:2:") && l.contains("host"))
          .anyMatch(l -> l.startsWith("allowlist.conf:3:") && l.contains("*.com"))
          .noneMatch(l -> l.contains("Exception") || l.startsWith("\tat "));
    }
  }

  @Test
  void portAlreadyInUseIsOneClearLineAndANonZeroExit() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Files.writeString(dir.resolve("allowlist.conf"), "entries {}\n");
      Files.writeString(
          dir.resolve("patchgate.conf"),
          "patchgate.listen = \"127.0.0.1:%d\"\npatchgate.allowlist = \"allowlist.conf\"\npatchgate.audit.dir = \"audit\"\n"
              .formatted(taken.getLocalPort()));

      try (GatewayProcess p =
          GatewayProcess.start(dir, List.of(), "run", "--config", "patchgate.conf")) {
        assertThat(p.awaitExit()).isEqualTo(Cli.CANNOT_START);
        assertThat(p.output())
            .anyMatch(l -> l.contains("cannot listen on 127.0.0.1:" + taken.getLocalPort()))
            .noneMatch(l -> l.startsWith("\tat "));
      }
    }
  }

  @Test
  void missingConfigFileAndUnknownFlagAreClearErrors() throws Exception {
    try (GatewayProcess p = GatewayProcess.start(dir, List.of(), "run", "--config", "nope.conf")) {
      assertThat(p.awaitExit()).isEqualTo(Cli.INVALID);
      assertThat(p.output()).anyMatch(l -> l.contains("nope.conf") && l.contains("cannot read"));
    }
    try (GatewayProcess p = GatewayProcess.start(dir, List.of(), "run", "--frobnicate")) {
      assertThat(p.awaitExit()).isEqualTo(Cli.USAGE);
      assertThat(p.output())
          .containsExactly(
              "patchgate run: unknown option '--frobnicate' (see 'patchgate run --help')");
    }
  }

  @Test
  void missingAllowlistIsAClearErrorAndNothingStarts() throws Exception {
    Files.writeString(dir.resolve("patchgate.conf"), "patchgate.allowlist = \"missing.conf\"\n");
    try (GatewayProcess p =
        GatewayProcess.start(dir, List.of(), "run", "--config", "patchgate.conf")) {
      assertThat(p.awaitExit()).isEqualTo(Cli.INVALID);
      assertThat(p.output())
          .anyMatch(l -> l.contains("missing.conf"))
          .noneMatch(l -> l.startsWith("\tat "));
    }
  }
}
