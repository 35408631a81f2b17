package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.cli.Cli;
import dev.patchgate.proxy.console.users.ConsoleUsers;
import dev.patchgate.proxy.console.users.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code patchgate user ...} through the packaged jar, as an administrator scripts it. */
class UserCommandIT {
  private static final String ALICE = "correct horse battery staple";
  private static final String ALICE_NEW = "tr0ub4dor and then some";
  private static final String EMR = "vendor engineer's passphrase";

  @TempDir Path dir;

  @Test
  void addListPasswdRemoveKeepOnlyHashesInAnOwnerOnlyFile() throws Exception {
    Files.writeString(
        dir.resolve("allowlist.conf"),
        "entries { emr-vendor { hosts = [\"emr.example.com\"] } }\n");
    Files.writeString(
        dir.resolve("patchgate.conf"),
        """
        patchgate.allowlist = "allowlist.conf"
        patchgate.console.users = "etc/console-users.conf"
        """);
    Path file = dir.resolve("etc/console-users.conf");

    assertThat(user(ALICE + "\n", "add", "alice", "--role", "admin", "--password-stdin"))
        .startsWith("0|");
    assertThat(
            user(
                EMR + "\r\n",
                "add",
                "emr",
                "--role",
                "vendor",
                "--entries",
                "emr-vendor",
                "--password-stdin"))
        .startsWith("0|");

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    String text = Files.readString(file);
    assertThat(text).doesNotContain(ALICE, EMR, "correct horse").contains("$2b$11$");
    ConsoleUsers users = ConsoleUsers.load(file);
    assertThat(users.authenticate("alice", ALICE.toCharArray()))
        .get()
        .extracting("role")
        .isEqualTo(Role.ADMIN);
    assertThat(users.authenticate("emr", EMR.toCharArray()))
        .get()
        .satisfies(u -> assertThat(u.entries()).containsExactly("emr-vendor"));

    String list = user("", "list");
    assertThat(list)
        .startsWith("0|")
        .containsPattern("alice +admin +- +-")
        .containsPattern("emr +vendor +emr-vendor +-")
        .doesNotContain("$2");

    assertThat(user(ALICE + "\n", "add", "emr", "--role", "admin", "--password-stdin"))
        .startsWith(Cli.INVALID + "|")
        .contains("user 'emr' exists", "patchgate user passwd emr");
    assertThat(
            user(
                ALICE + "\n",
                "add",
                "pacs",
                "--role",
                "vendor",
                "--entries",
                "pacs-vendor",
                "--password-stdin"))
        .startsWith(Cli.INVALID + "|")
        .contains("no entry 'pacs-vendor'", "its entries are: emr-vendor");
    assertThat(user("short pw\n", "add", "bob", "--role", "admin", "--password-stdin"))
        .startsWith(Cli.INVALID + "|")
        .contains("the password is shorter than 12 characters");
    assertThat(user("\n", "add", "bob", "--role", "admin", "--password-stdin"))
        .startsWith(Cli.INVALID + "|")
        .contains("the password is empty");
    // A test's child process has no terminal: asking is impossible, and it says what to do.
    assertThat(user("", "add", "bob", "--role", "admin"))
        .startsWith(Cli.INVALID + "|")
        .contains("no terminal", "--password-stdin");
    assertThat(user("", "add", "bob", "--role", "vendor", "--password-stdin"))
        .startsWith(Cli.INVALID + "|")
        .contains("would see nothing");
    assertThat(ConsoleUsers.load(file).all()).extracting("name").containsExactly("alice", "emr");

    assertThat(user(ALICE_NEW + "\n", "passwd", "alice", "--password-stdin")).startsWith("0|");
    users = ConsoleUsers.load(file);
    assertThat(users.authenticate("alice", ALICE_NEW.toCharArray())).isPresent();
    assertThat(users.authenticate("alice", ALICE.toCharArray())).isEmpty();
    assertThat(users.authenticate("emr", EMR.toCharArray())).isPresent();
    assertThat(Files.readString(file)).doesNotContain(ALICE_NEW);

    assertThat(user("", "remove", "emr")).startsWith("0|");
    assertThat(user("", "remove", "emr")).startsWith(Cli.INVALID + "|").contains("no user 'emr'");
    assertThat(user("", "list")).contains("alice").doesNotContain("emr");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
    try (var leftovers = Files.list(file.getParent())) {
      assertThat(leftovers).containsExactly(file);
    }
  }

  @Test
  void tokenPrintsANewTokenOnceKeepsOnlyItsHashAndRevokes() throws Exception {
    Files.writeString(
        dir.resolve("patchgate.conf"), "patchgate.console.users = \"console-users.conf\"\n");
    Path file = dir.resolve("console-users.conf");
    assertThat(user(ALICE + "\n", "add", "alice", "--role", "admin", "--password-stdin"))
        .startsWith("0|");

    String made = user("", "token", "alice");
    String again = user("", "token", "alice");

    assertThat(made).startsWith("0|").contains("shown only this once", "Authorization: Bearer");
    String first = tokenIn(made);
    String second = tokenIn(again);
    assertThat(second).isNotEqualTo(first);
    String text = Files.readString(file);
    assertThat(text)
        .doesNotContain(first, second, first.substring(4), second.substring(4))
        .contains("token = \"sha256:");
    ConsoleUsers users = ConsoleUsers.load(file);
    assertThat(users.byToken(second)).get().extracting("name").isEqualTo("alice");
    assertThat(users.byToken(first)).as("replaced by the second").isEmpty();
    assertThat(users.authenticate("alice", ALICE.toCharArray())).as("password kept").isPresent();
    assertThat(user("", "list"))
        .containsPattern("alice +admin +- +- +yes")
        .doesNotContain("sha256");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");

    assertThat(user("", "token", "alice", "--revoke"))
        .startsWith("0|")
        .contains("revoked the API token of 'alice'");
    assertThat(ConsoleUsers.load(file).byToken(second)).isEmpty();
    assertThat(Files.readString(file)).doesNotContain("token =");
    assertThat(user("", "list")).containsPattern("alice +admin +- +- +-");
    assertThat(user("", "token", "bob"))
        .startsWith(Cli.INVALID + "|")
        .contains("no user 'bob'", "its users are: alice");
  }

  /** The one token line a {@code user token} run printed. */
  private static String tokenIn(String output) {
    List<String> tokens =
        output
            .substring(output.indexOf('|') + 1)
            .lines()
            .filter(l -> l.matches("pgt_[A-Za-z0-9_-]{43}"))
            .toList();
    assertThat(tokens).as(output).hasSize(1);
    return tokens.get(0);
  }

  @Test
  void anInvalidUsersFileIsReportedWithFileAndLine() throws Exception {
    Files.writeString(
        dir.resolve("console-users.conf"),
        """
        users {
          carol { role = admin, password = "carol's plain password" }
        }
        """);
    Files.writeString(
        dir.resolve("patchgate.conf"), "patchgate.console.users = \"console-users.conf\"\n");

    assertThat(user("", "list"))
        .startsWith(Cli.INVALID + "|")
        .contains("console-users.conf:2: user 'carol': password is not a bcrypt hash")
        .doesNotContain("plain password\"", "carol's plain");
  }

  /** Runs {@code patchgate user ARGS --config patchgate.conf}: "EXIT|output lines". */
  private String user(String input, String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of("user"));
    command.addAll(List.of(args));
    command.addAll(List.of("--config", "patchgate.conf"));
    try (GatewayProcess p = GatewayProcess.start(dir, List.of(), command.toArray(String[]::new))) {
      p.input(input);
      int exit = p.awaitExit();
      return exit + "|" + String.join("\n", p.output());
    }
  }
}
