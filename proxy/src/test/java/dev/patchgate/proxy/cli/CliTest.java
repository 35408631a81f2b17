package dev.patchgate.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CliTest {
  @TempDir Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private int execute(String... args) {
    return new Cli(
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8))
        .execute(args);
  }

  @ParameterizedTest
  @CsvSource({
    "--help, Usage: patchgate <command>",
    "run --help, Usage: patchgate run",
    "check-config -h, Usage: patchgate check-config"
  })
  void helpIsPrintedAndExitsZero(String args, String expected) {
    assertThat(execute(args.split(" ", -1))).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                       | Usage: patchgate <command>",
        "serve                    | patchgate: unknown command 'serve'",
        "run --port 8080          | patchgate run: unknown option '--port'",
        "check-config --config    | patchgate check-config: --config needs a file",
        "run extra                | patchgate run: unexpected argument 'extra'",
      })
  void aBadCommandLineIsOneClearLineAndExitCode2(String args, String expected) {
    String[] argv = args.isEmpty() ? new String[0] : args.split(" ", -1);

    assertThat(execute(argv)).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith(expected);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void checkConfigReportsSettingsAndAllowlistProblemsTogetherWithACount() throws Exception {
    Path config = dir.resolve("patchgate.conf");
    Files.writeString(config, "patchgate.allowlist = \"" + dir.resolve("allowlist.conf") + "\"\n");
    Files.writeString(dir.resolve("allowlist.conf"), "entries { a { hosts = [\"*\"] } }\n");

    assertThat(execute("check-config", "--config", config.toString())).isEqualTo(Cli.INVALID);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("allowlist.conf:1:")
        .endsWith("1 problem found\n");
  }

  @Test
  void runWithAnAuditDirectoryThatCannotBeCreatedSaysWhyAndStartsNothing() throws Exception {
    Files.writeString(dir.resolve("allowlist.conf"), "entries {}\n");
    Files.writeString(dir.resolve("not-a-dir"), "a file where a directory should be");
    Path config = dir.resolve("patchgate.conf");
    Files.writeString(
        config,
        "patchgate.allowlist = \"%s\"\npatchgate.audit.dir = \"%s\"\n"
            .formatted(dir.resolve("allowlist.conf"), dir.resolve("not-a-dir/audit")));

    assertThat(execute("run", "--config", config.toString())).isEqualTo(Cli.CANNOT_START);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("patchgate run: cannot create the audit log directory ")
        .endsWith("/not-a-dir/audit (Not a directory)\n");
  }

  @Test
  void checkConfigSummarisesAValidConfiguration() throws Exception {
    Path config = dir.resolve("patchgate.conf");
    Files.writeString(config, "patchgate.allowlist = \"" + dir.resolve("allowlist.conf") + "\"\n");
    Files.writeString(
        dir.resolve("allowlist.conf"),
        "entries { a { hosts = [\"*.windowsupdate.com\"] }, b { hosts = [\"10.0.0.1\"] } }\n");

    assertThat(execute("check-config", "--config=" + config)).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("configuration OK: " + config)
        .contains(": 2 entries");
  }

  private Path configWithAllowlist(String allowlist) throws Exception {
    Path config = dir.resolve("patchgate.conf");
    Files.writeString(config, "patchgate.allowlist = \"" + dir.resolve("allowlist.conf") + "\"\n");
    Files.writeString(dir.resolve("allowlist.conf"), allowlist);
    return config;
  }

  @Test
  void explainNamesTheEntryThatAllowsARequestAndExitsZero() throws Exception {
    Path config =
        configWithAllowlist(
            "clients { his-pcs = [\"10.10.0.0/16\"] }\n"
                + "entries { windows-update { profile = windows-update, clients = [his-pcs] } }\n");

    int exit =
        execute(
            "explain",
            "--config",
            config.toString(),
            "--client",
            "10.10.1.5",
            "GET",
            "http://download.windowsupdate.com/c/msdownload/update/x.cab");

    assertThat(exit).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("ALLOW\n")
        .contains("http://download.windowsupdate.com/c/msdownload/update/x.cab")
        .contains("windows-update");
  }

  @Test
  void explainSaysWhyARequestIsRefusedAndExitsOne() throws Exception {
    Path config =
        configWithAllowlist(
            "clients { his-pcs = [\"10.10.0.0/16\"] }\n"
                + "entries { windows-update { profile = windows-update, clients = [his-pcs] } }\n");

    int exit =
        execute(
            "explain",
            "--client",
            "10.10.1.5",
            "CONNECT",
            "download.windowsupdate.com:8443",
            "--config",
            config.toString());

    assertThat(exit).isEqualTo(Cli.INVALID);
    assertThat(out.toString(StandardCharsets.UTF_8))
        .startsWith("DENY\n")
        .contains("download.windowsupdate.com:8443")
        .contains("windows-update")
        .contains("8443");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "explain http://a.example/            | --client ADDRESS is required",
        "explain --client pc-17 http://a.example/ | --client needs an IP address",
        "explain --client 10.0.0.1            | a URL (or CONNECT HOST:PORT) is required",
        "explain --client 10.0.0.1 --at noon http://a.example/ | --at needs a time",
      })
  void explainWithABadCommandLineSaysWhatIsMissing(String args, String expected) {
    assertThat(execute(args.split(" ", -1))).isEqualTo(Cli.USAGE);
    assertThat(err.toString(StandardCharsets.UTF_8)).startsWith("patchgate explain: " + expected);
  }

  @Test
  void explainOfAnUnparseableUrlSaysTheGatewayAnswers400() throws Exception {
    Path config = configWithAllowlist("entries { a { hosts = [\"a.example\"] } }\n");

    int exit =
        execute(
            "explain", "--config", config.toString(), "--client", "10.0.0.1", "http://2130706433/");

    assertThat(exit).isEqualTo(Cli.INVALID);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("400");
  }

  @Test
  void profilesListsTheShippedProfilesWithTheirHosts() {
    assertThat(execute("profiles")).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("windows-update")
        .contains("*.windowsupdate.com")
        .contains("debian");
  }

  @Test
  void profilesNamesTheKnownProfilesWhenAskedForAnUnknownOne() {
    assertThat(execute("profiles", "windows-updates")).isEqualTo(Cli.INVALID);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("patchgate profiles: no profile named 'windows-updates'")
        .contains("windows-update,");
  }
}
