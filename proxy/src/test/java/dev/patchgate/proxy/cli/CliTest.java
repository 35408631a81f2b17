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
  void checkConfigReportsEveryBadParentProxyWithFileLineAndFixButNeverItsPassword()
      throws Exception {
    Path config = dir.resolve("patchgate.conf");
    Files.writeString(
        config,
        "patchgate.allowlist = \""
            + dir.resolve("allowlist.conf")
            + "\"\npatchgate.upstream.proxies = [\"https://a.example:8443\","
            + " \"http://b.example\", \"http://gw:Pa55-word@c.example:8080\"]\n");
    Files.writeString(dir.resolve("allowlist.conf"), "entries {}\n");

    assertThat(execute("check-config", "--config", config.toString())).isEqualTo(Cli.INVALID);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains(
            "patchgate.conf:2: patchgate.upstream.proxies: \"https://a.example:8443\" (the scheme"
                + " must be http")
        .contains(
            "patchgate.conf:2: patchgate.upstream.proxies: \"http://b.example\" (no port: write it"
                + " out, e.g. http://b.example:8080")
        .contains(
            "patchgate.conf:2: patchgate.upstream.proxies: \"http://***@c.example:8080\""
                + " (credentials do not go in the URL")
        .doesNotContain("Pa55-word")
        .endsWith("3 problems found\n");
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

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "help                  | Usage: patchgate <command>     | mirror",
        "help audit            | Usage: patchgate audit         | verify",
        "run --help            | Usage: patchgate run           | --config=FILE",
        "check-config --help   | Usage: patchgate check-config  | --config=FILE",
        "explain --help        | Usage: patchgate explain --client ADDRESS | --at=TIME",
        "profiles --help       | Usage: patchgate profiles      | NAME",
        "audit --help          | Usage: patchgate audit         | report",
        "audit verify --help   | Usage: patchgate audit verify  | --dir=DIR",
        "audit query -h        | Usage: patchgate audit query   | --url-contains=TEXT",
        "audit report --help   | Usage: patchgate audit report  | --kb KB5034441",
        "mirror --help         | Usage: patchgate mirror        | prefetch",
        "mirror purge --help   | Usage: patchgate mirror purge  | URL-PREFIX",
        "mirror help purge     | Usage: patchgate mirror purge  | URL-PREFIX",
        "audit help query      | Usage: patchgate audit query   | --decision=D",
      })
  void everyCommandsHelpComesFromTheFrame(String args, String usage, String mentions) {
    assertThat(execute(args.split(" "))).isZero();

    assertThat(out.toString(StandardCharsets.UTF_8)).startsWith(usage).contains(mentions);
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "audit                                 | patchgate audit: expected verify, query or report",
        "audit rotate                          | patchgate audit: unknown audit command 'rotate'",
        "audit verify --verbose                | patchgate audit verify: unknown option '--verbose'",
        "audit verify --dir=                   | patchgate audit verify: --dir needs a directory",
        "audit query --bogus                   | patchgate audit query: unknown option '--bogus'",
        "audit query --client                  | patchgate audit query: --client needs a value",
        "audit query --client a --client b     | patchgate audit query: --client given twice",
        "audit query stray                     | patchgate audit query: unexpected argument 'stray'",
        "audit query --format xml              | patchgate audit query: --format: 'xml' (expected:",
        "audit report                          | patchgate audit report: name a report: patches",
        "audit report denied --kb KB5034441    | patchgate audit report: --kb applies to report",
        "audit report patches extra            | patchgate audit report: unexpected argument 'extra'",
        "profiles a b                          | patchgate profiles: unexpected argument 'b'",
        "explain --client 10.0.0.1 --client 10.0.0.2 http://a.example/ | patchgate explain:"
            + " --client given twice",
      })
  void theAuditToolsAndEveryOtherCommandReportABadCommandLineTheSameWay(
      String args, String expected) {
    assertThat(execute(args.split(" +"))).isEqualTo(Cli.USAGE);

    String line = err.toString(StandardCharsets.UTF_8);
    String command = expected.substring(0, expected.indexOf(':'));
    assertThat(line).startsWith(expected).endsWith(" (see '" + command + " --help')\n");
    assertThat(line).hasLineCount(1);
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void aCommandWithControlCharactersIsEchoedCleaned() {
    assertThat(execute("serve\u001b]0;owned\u0007\u001b[2J")).isEqualTo(Cli.USAGE);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "patchgate: unknown command 'serve\\u001b]0;owned\\u0007\\u001b[2J'; expected run,"
                + " check-config, explain, profiles, audit, mirror or user (see 'patchgate --help')\n");
  }

  @Test
  void anOptionWithControlCharactersIsEchoedCleaned() {
    assertThat(execute("audit", "query", "--\u001b[31mred")).isEqualTo(Cli.USAGE);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .startsWith("patchgate audit query: unknown option '--\\u001b[31mred'")
        .doesNotContain("\u001b");
  }

  @Test
  void theAuditToolsReadTheDirectoryGivenWithDir() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));

    assertThat(execute("audit", "verify", "--dir", empty.toString())).isEqualTo(Cli.INVALID);
    assertThat(execute("audit", "query", "--dir=" + empty)).isEqualTo(Cli.INVALID);
    assertThat(execute("audit", "report", "denied", "--dir", empty.toString()))
        .isEqualTo(Cli.INVALID);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "audit log: no audit files in "
                + empty.toAbsolutePath()
                + "\npatchgate audit query: no audit files in "
                + empty
                + "\npatchgate audit report: no audit files in "
                + empty
                + "\n");
  }

  @Test
  void aConfigurationGivenBeforeTheSubcommandCounts() throws Exception {
    Path config = dir.resolve("patchgate.conf");
    Path audit = Files.createDirectories(dir.resolve("audit-here"));
    Files.writeString(config, "patchgate.audit.dir = \"" + audit + "\"\n");

    assertThat(execute("audit", "--config", config.toString(), "verify")).isEqualTo(Cli.INVALID);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("audit log: no audit files in " + audit.toAbsolutePath() + "\n");
  }

  @Test
  void aProblemQuotingAControlCharacterFromTheConfigurationIsPrintedCleaned() throws Exception {
    Path config = dir.resolve("patchgate.conf");
    // HOCON's own escape: the file says \u001b, the value read holds ESC.
    Files.writeString(config, "patchgate.audit.on-failure = \"x\\u001b[2J\"\n");

    assertThat(execute("check-config", "--config", config.toString())).isEqualTo(Cli.INVALID);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .contains("patchgate.audit.on-failure: \"x\\u001b[2J\" (expected fail-closed")
        .doesNotContain("\u001b")
        .endsWith("1 problem found\n");
  }

  @Test
  void anAuditDirectoryWithControlCharactersIsEchoedCleaned() {
    Path nowhere = dir.resolve("no\u001b[2Jwhere");

    assertThat(execute("audit", "verify", "--dir", nowhere.toString())).isEqualTo(Cli.INVALID);
    assertThat(execute("audit", "query", "--dir", nowhere.toString())).isEqualTo(Cli.INVALID);

    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "audit log: no audit directory at "
                + dir.toAbsolutePath()
                + "/no\\u001b[2Jwhere\n"
                + "patchgate audit query: no audit files in "
                + dir
                + "/no\\u001b[2Jwhere\n");
  }
}
