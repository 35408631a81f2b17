package dev.patchgate.proxy.cli;

import dev.patchgate.audit.text.DisplayText;
import dev.patchgate.proxy.config.GatewaySettings;
import dev.patchgate.proxy.console.users.ApiTokens;
import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.ConsoleUsers;
import dev.patchgate.proxy.console.users.ConsoleUsersException;
import dev.patchgate.proxy.console.users.PasswordHashes;
import dev.patchgate.proxy.console.users.Role;
import dev.patchgate.proxy.console.users.UsersFile;
import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code patchgate user add|passwd|remove|token|list}: the console's users, in the file {@code
 * patchgate.console.users} names. The file is rewritten whole and atomically, mode 0600, and never
 * holds a password, only its bcrypt hash, nor an API token, only its SHA-256 ({@link ApiTokens});
 * {@code list} never shows a hash.
 *
 * <p>Exit codes: 0 done; 1 the file, the configuration or the password was refused (the message
 * says why); 2 a bad command line.
 */
@Command(
    name = "user",
    description = "The console's users: add, passwd, remove, token, list.",
    subcommands = {
      UserCommand.Add.class,
      UserCommand.Passwd.class,
      UserCommand.Remove.class,
      UserCommand.Token.class,
      UserCommand.Ls.class,
      CommandLine.HelpCommand.class
    },
    synopsisSubcommandLabel = "add|passwd|remove|token|list",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "The file is patchgate.console.users (deploy/console-users.conf by default).",
      "Passwords: at least " + PasswordHashes.MIN_LENGTH + " characters, asked twice without echo,",
      "or one line on standard input with --password-stdin."
    })
final class UserCommand extends CommandGroup {
  /** A tool of {@code user}: finds the file through the configuration, and reads it. */
  abstract static class OnFile implements Callable<Integer> {
    final Terminal terminal;

    @Spec CommandSpec spec;

    @Mixin private CommonOptions common;

    OnFile(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public final Integer call() {
      String command = "user " + spec.name();
      Optional<GatewaySettings> settings =
          Configuration.settings(command, common.config(), terminal.err());
      if (settings.isEmpty()) {
        return Cli.INVALID;
      }
      Path file = settings.get().consoleUsers();
      ConsoleUsers users;
      try {
        users =
            Files.exists(file) || !createsFile() ? ConsoleUsers.load(file) : ConsoleUsers.empty();
      } catch (ConsoleUsersException e) {
        e.problems().stream().map(DisplayText::clean).forEach(terminal.err()::println);
        terminal.err().println("patchgate " + command + ": the console users file is not valid");
        return Cli.INVALID;
      }
      try {
        return run(file, users);
      } catch (Refused e) {
        terminal.err().println(DisplayText.clean("patchgate " + command + ": " + e.getMessage()));
        return Cli.INVALID;
      }
    }

    /** Whether a missing file is a start ({@code add}) rather than a mistake. */
    boolean createsFile() {
      return false;
    }

    abstract int run(Path file, ConsoleUsers users) throws Refused;

    /** The configuration, for the commands that check names against the allowlist. */
    Optional<Path> config() {
      return common.config();
    }

    /** Refuses a {@code name} that is not in the file, naming the ones that are. */
    static void mustExist(Path file, ConsoleUsers users, String name) throws Refused {
      if (users.find(name).isEmpty()) {
        List<String> names = users.all().stream().map(ConsoleUser::name).toList();
        throw new Refused(
            "no user '"
                + name
                + "' in "
                + file
                + (names.isEmpty() ? "" : " (its users are: " + String.join(", ", names) + ")"));
      }
    }

    /** Writes {@code users} to {@code file}, or refuses saying why it could not. */
    static void save(Path file, ConsoleUsers users) throws Refused {
      try {
        UsersFile.write(file, users);
      } catch (IOException e) {
        throw new Refused("cannot write " + file + ": " + e.getMessage());
      }
    }
  }

  /** A refusal, as the one line the user reads. */
  static final class Refused extends Exception {
    private static final long serialVersionUID = 1L;

    Refused(String message) {
      super(message);
    }
  }

  /** Asks for a new password (or reads it from standard input); the caller wipes it. */
  abstract static class WithPassword extends OnFile {
    @Option(
        names = "--password-stdin",
        description = "read the password from the first line of standard input (for scripts)")
    boolean passwordStdin;

    WithPassword(Terminal terminal) {
      super(terminal);
    }

    char[] newPassword(String name) throws Refused {
      char[] password = passwordStdin ? firstLine(System.in) : asked(name);
      Optional<String> weakness = PasswordHashes.weakness(password);
      if (weakness.isPresent()) {
        Arrays.fill(password, '\0');
        throw new Refused("the password " + weakness.get() + "; choose another");
      }
      return password;
    }

    private static char[] asked(String name) throws Refused {
      Console console = System.console();
      if (console == null) {
        throw new Refused(
            "no terminal to ask for the password on; give it on standard input with"
                + " --password-stdin");
      }
      char[] first = console.readPassword("New password for %s: ", name);
      char[] again = console.readPassword("Again: ");
      if (first == null || again == null) {
        throw new Refused("no password given");
      }
      boolean same = Arrays.equals(first, again);
      Arrays.fill(again, '\0');
      if (!same) {
        Arrays.fill(first, '\0');
        throw new Refused("the two passwords differ; nothing was changed");
      }
      return first;
    }

    private static char[] firstLine(InputStream in) throws Refused {
      try {
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8);
        char[] line = new char[256];
        int length = 0;
        for (int c = reader.read(); c != -1 && c != '\n'; c = reader.read()) {
          if (length == line.length) {
            char[] longer = Arrays.copyOf(line, length * 2);
            Arrays.fill(line, '\0');
            line = longer;
          }
          line[length++] = (char) c;
        }
        if (length > 0 && line[length - 1] == '\r') {
          length--;
        }
        char[] password = Arrays.copyOf(line, length);
        Arrays.fill(line, '\0');
        return password;
      } catch (IOException e) {
        throw new Refused("cannot read the password from standard input: " + e.getMessage());
      }
    }
  }

  @Command(
      name = "add",
      description = "Adds a user; asks for the password twice without echo.",
      customSynopsis =
          "patchgate user add NAME --role admin|vendor [--entries A,B] [--groups G]"
              + " [--password-stdin] [--config FILE]")
  static final class Add extends WithPassword {
    @Parameters(index = "0", paramLabel = "NAME", description = "the sign-in name")
    private String name;

    @Option(
        names = "--role",
        required = true,
        paramLabel = "admin|vendor",
        description = "admin sees everything; vendor only its entries and groups")
    private String role;

    @Option(
        names = "--entries",
        split = ",",
        paramLabel = "A,B",
        description = "the allowlist entries a vendor may see")
    private List<String> entries = new ArrayList<>();

    @Option(
        names = "--groups",
        split = ",",
        paramLabel = "G",
        description = "the client groups a vendor may see")
    private List<String> groups = new ArrayList<>();

    Add(Terminal terminal) {
      super(terminal);
    }

    @Override
    boolean createsFile() {
      return true;
    }

    @Override
    int run(Path file, ConsoleUsers users) throws Refused {
      Role parsed =
          Role.of(role)
              .orElseThrow(
                  () -> UsageErrors.of(spec, "--role needs admin or vendor, not '" + role + "'"));
      ConsoleUser user = new ConsoleUser(name, parsed, entries, groups);
      if (users.find(name).isPresent()) {
        throw new Refused(
            "user '" + name + "' exists; change the password with: patchgate user passwd " + name);
      }
      Optional<String> problem = ConsoleUsers.problem(user);
      if (problem.isPresent()) {
        throw new Refused(problem.get());
      }
      checkEntries(entries);
      char[] password = newPassword(name);
      try {
        save(file, users.with(user, password));
      } catch (IllegalArgumentException e) {
        throw new Refused(e.getMessage());
      } finally {
        Arrays.fill(password, '\0');
      }
      terminal.out().println("added " + parsed.wireName() + " '" + name + "' to " + file);
      return Cli.OK;
    }

    /**
     * Refuses an entry the allowlist does not have, when the configured allowlist can be read (a
     * typo would hide that entry's data from the vendor); without one, the names are kept as given.
     */
    private void checkEntries(List<String> wanted) throws Refused {
      if (wanted.isEmpty()) {
        return;
      }
      Configuration loaded = Configuration.load(config());
      if (loaded.allowlist() == null) {
        return;
      }
      List<String> known = loaded.allowlist().entryNames();
      for (String entry : wanted) {
        if (!known.contains(entry)) {
          throw new Refused(
              "the allowlist "
                  + loaded.settings().allowlist()
                  + " has no entry '"
                  + entry
                  + "'; its entries are: "
                  + (known.isEmpty() ? "(none)" : String.join(", ", known)));
        }
      }
    }
  }

  @Command(
      name = "passwd",
      description = "Sets a user's password; asks for it twice without echo.",
      customSynopsis = "patchgate user passwd NAME [--password-stdin] [--config FILE]")
  static final class Passwd extends WithPassword {
    @Parameters(index = "0", paramLabel = "NAME", description = "the user")
    private String name;

    Passwd(Terminal terminal) {
      super(terminal);
    }

    @Override
    int run(Path file, ConsoleUsers users) throws Refused {
      mustExist(file, users, name);
      char[] password = newPassword(name);
      try {
        save(file, users.withPassword(name, password));
      } finally {
        Arrays.fill(password, '\0');
      }
      terminal.out().println("changed the password of '" + name + "' in " + file);
      return Cli.OK;
    }
  }

  @Command(
      name = "remove",
      description = "Removes a user.",
      customSynopsis = "patchgate user remove NAME [--config FILE]")
  static final class Remove extends OnFile {
    @Parameters(index = "0", paramLabel = "NAME", description = "the user")
    private String name;

    Remove(Terminal terminal) {
      super(terminal);
    }

    @Override
    int run(Path file, ConsoleUsers users) throws Refused {
      mustExist(file, users, name);
      save(file, users.without(name));
      terminal.out().println("removed '" + name + "' from " + file);
      return Cli.OK;
    }
  }

  @Command(
      name = "token",
      description =
          "Makes a new API token for the JSON API (replacing the user's earlier one) and prints it"
              + " once; --revoke removes it.",
      customSynopsis = "patchgate user token NAME [--revoke] [--config FILE]")
  static final class Token extends OnFile {
    @Parameters(index = "0", paramLabel = "NAME", description = "the user the token acts as")
    private String name;

    @Option(names = "--revoke", description = "remove the user's API token")
    private boolean revoke;

    Token(Terminal terminal) {
      super(terminal);
    }

    @Override
    int run(Path file, ConsoleUsers users) throws Refused {
      mustExist(file, users, name);
      if (revoke) {
        boolean had = users.hasToken(name);
        save(file, users.withTokenHash(name, null));
        terminal
            .err()
            .println(
                had
                    ? "revoked the API token of '" + name + "' in " + file
                    : "'" + name + "' had no API token in " + file + "; nothing to revoke");
        return Cli.OK;
      }
      String token = ApiTokens.create();
      save(file, users.withTokenHash(name, ApiTokens.hash(token)));
      // The token alone on standard output, for TOKEN=$(patchgate user token NAME).
      terminal.out().println(token);
      terminal
          .err()
          .println(
              "the API token of '"
                  + name
                  + "' (shown only this once; any earlier token of theirs no longer works)."
                  + " Send it as: Authorization: Bearer <token>");
      return Cli.OK;
    }
  }

  @Command(
      name = "list",
      description =
          "Lists the users: name, role, entries, groups, whether they have an API token (never a"
              + " hash).",
      customSynopsis = "patchgate user list [--config FILE]")
  static final class Ls extends OnFile {
    Ls(Terminal terminal) {
      super(terminal);
    }

    @Override
    int run(Path file, ConsoleUsers users) {
      if (users.all().isEmpty()) {
        terminal
            .out()
            .println(
                "no console users in "
                    + file
                    + "; add one with: patchgate user add NAME --role admin");
        return Cli.OK;
      }
      String format = "%-24s %-7s %-30s %-30s %s%n";
      terminal.out().printf(format, "NAME", "ROLE", "ENTRIES", "GROUPS", "TOKEN");
      for (ConsoleUser user : users.all()) {
        terminal
            .out()
            .printf(
                format,
                DisplayText.clean(user.name()),
                user.role().wireName(),
                names(user.entries()),
                names(user.groups()),
                users.hasToken(user.name()) ? "yes" : "-");
      }
      return Cli.OK;
    }

    private static String names(List<String> names) {
      return names.isEmpty() ? "-" : DisplayText.clean(String.join(",", names));
    }
  }
}
