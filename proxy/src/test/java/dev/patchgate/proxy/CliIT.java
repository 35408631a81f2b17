package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.cli.Cli;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
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

  @Test
  void helpOfTheJarAndOfEachCommandComesFromTheFrame() throws Exception {
    for (String[] command :
        List.of(
            new String[] {"--help"},
            new String[] {"audit", "query", "--help"},
            new String[] {"mirror", "prefetch", "--help"})) {
      try (GatewayProcess p = GatewayProcess.start(dir, List.of(), command)) {
        assertThat(p.awaitExit()).isZero();
        String name = String.join(" ", command).replace("--help", "").strip();
        assertThat(p.output().get(0))
            .startsWith("Usage: patchgate " + (name.isEmpty() ? "<command>" : name));
      }
    }
  }

  @Test
  void anUnknownCommandWithControlCharactersIsEchoedCleaned() throws Exception {
    try (GatewayProcess p = GatewayProcess.start(dir, List.of(), "serve\u001b[2J\u0007")) {
      assertThat(p.awaitExit()).isEqualTo(Cli.USAGE);
      assertThat(p.output())
          .containsExactly(
              "patchgate: unknown command 'serve\\u001b[2J\\u0007'; expected run, check-config,"
                  + " explain, profiles, audit, mirror or user (see 'patchgate --help')");
    }
  }

  /**
   * The completion script the build writes beside the jar completes commands, subcommands and
   * options, as bash calls it on TAB.
   */
  @Test
  void theBuildWritesABashCompletionScriptForEveryCommand() throws Exception {
    Path script = Path.of("target", "patchgate-completion.bash").toAbsolutePath();
    assertThat(script).isRegularFile();

    assertThat(complete(script, "patchgate", "mi")).containsExactly("mirror");
    assertThat(complete(script, "patchgate", "audit", "")).contains("verify", "query", "report");
    assertThat(complete(script, "patchgate", "audit", "query", "--ur"))
        .containsExactly("--url-contains");
    assertThat(complete(script, "patchgate", "mirror", "pre")).containsExactly("prefetch");
  }

  /** What bash offers for the last of {@code words} with the script sourced. */
  private List<String> complete(Path script, String... words) throws Exception {
    String line = String.join(" ", words);
    String program =
        "source '%s' 2>/dev/null; COMP_WORDS=(%s); COMP_CWORD=%d; COMP_LINE='%s';"
                .formatted(
                    script,
                    Arrays.stream(words).map(w -> "'" + w + "'").collect(Collectors.joining(" ")),
                    words.length - 1,
                    line)
            + " COMP_POINT=${#COMP_LINE}; _complete_patchgate 2>/dev/null;"
            + " printf '%s\\n' \"${COMPREPLY[@]}\"";
    Process bash = new ProcessBuilder("bash", "-c", program).redirectErrorStream(true).start();
    String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor()).as(output).isZero();
    return output.lines().filter(l -> !l.isBlank()).toList();
  }
}
