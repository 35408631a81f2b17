package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.AllowlistException;
import dev.patchgate.allowlist.Problem;
import dev.patchgate.allowlist.Profile;
import dev.patchgate.allowlist.Profiles;
import dev.patchgate.audit.AuditVerifyCommand;
import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.alert.AlertDispatcher;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.audit.query.AuditQueryCommand;
import dev.patchgate.audit.report.AuditReportCommand;
import dev.patchgate.proxy.Gateway;
import dev.patchgate.proxy.PolicyReload;
import dev.patchgate.proxy.config.GatewaySettings;
import dev.patchgate.proxy.upstream.SystemResolver;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code run}, {@code check-config} and {@code --help}. Every failure a user can
 * cause (a bad flag, a missing file, a port in use) ends in one clear line and a non-zero exit,
 * never a stack trace.
 */
public final class Cli {
  static final int OK = 0;
  public static final int INVALID = 1;
  public static final int USAGE = 2;
  public static final int CANNOT_START = 3;

  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate");
  private static final List<String> AUDIT_TOOLS = List.of("verify", "query", "report");
  private static final List<String> COMMANDS =
      List.of("run", "check-config", "explain", "profiles", "audit", "mirror");

  private static final String USAGE_TEXT =
      """
      Usage: patchgate <command> [options]

      Commands:
        run            start the gateway
        check-config   validate the configuration and the allowlist; exit 1 on any problem
        explain        say whether the allowlist lets a client make a request, and why
        profiles       list the curated update-host profiles an entry can use (or one: profiles NAME)
        audit verify   check the audit log's hash chain; exit 1 at the first edited, deleted,
                       inserted or reordered record
        audit query    print the audit records that match filters (table, json or csv)
        audit report   per-client reports: "patches" downloaded, "denied" requests
        mirror         the update mirror: ls, verify, purge URL-PREFIX, prefetch FILE

      Options (every command):
        --config FILE  configuration file (HOCON); overrides the embedded defaults key by key
        --help         show help for the command

      Run from the repository root without --config, the gateway listens on 127.0.0.1:3128
      with deploy/allowlist.conf and writes its audit log to var/audit.
      """;

  private final PrintStream out;
  private final PrintStream err;

  public Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  public int execute(String[] args) {
    if (args.length == 0) {
      err.print(USAGE_TEXT);
      return USAGE;
    }
    String command = args[0];
    if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
      out.print(USAGE_TEXT);
      return OK;
    }
    if (!COMMANDS.contains(command)) {
      err.println(
          "patchgate: unknown command '"
              + command
              + "' (expected "
              + String.join(", ", COMMANDS)
              + "; see --help)");
      return USAGE;
    }
    try {
      Options options = Options.parse(List.of(args).subList(1, args.length));
      if (command.equals("audit")
          && options.help()
          && !options.args().isEmpty()
          && !options.args().get(0).equals("verify")) {
        // "audit query --help": the tool's own help, which knows its filters.
        options = options.passHelpOn();
      }
      if (options.help()) {
        out.print(helpFor(command));
        return OK;
      }
      return switch (command) {
        case "run" -> {
          options.expectNoArguments();
          yield run(options);
        }
        case "check-config" -> {
          options.expectNoArguments();
          yield checkConfig(options);
        }
        case "explain" -> explain(options);
        case "profiles" -> profiles(options);
        case "audit" -> audit(options);
        case "mirror" -> mirror(options);
        default -> throw new IllegalStateException(command);
      };
    } catch (UsageException e) {
      err.println(
          "patchgate "
              + command
              + ": "
              + e.getMessage()
              + " (see 'patchgate "
              + command
              + " --help')");
      return USAGE;
    }
  }

  /** A command line that does not say what to do; the message is one line. */
  static final class UsageException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  /** The configuration and the allowlist it names, or every problem found in either. */
  private record Loaded(GatewaySettings settings, Allowlist allowlist, List<String> problems) {
    static Loaded from(Options options) {
      GatewaySettings settings;
      try {
        settings = GatewaySettings.load(options.config());
      } catch (GatewaySettings.InvalidSettingsException e) {
        return new Loaded(null, null, e.problems());
      }
      try {
        return new Loaded(settings, Allowlist.load(settings.allowlist()), List.of());
      } catch (AllowlistException e) {
        return new Loaded(settings, null, e.problems().stream().map(Problem::toString).toList());
      }
    }
  }

  private int checkConfig(Options options) {
    Loaded loaded = Loaded.from(options);
    List<String> problems = loaded.problems();
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " found");
      return INVALID;
    }
    out.println(
        "configuration OK: "
            + options.config().map(Path::toString).orElse("embedded defaults")
            + "; allowlist "
            + loaded.settings().allowlist()
            + ": "
            + PolicyReload.entries(loaded.allowlist()));
    return OK;
  }

  /**
   * {@code audit verify|query|report ...}: the audit tools, reading the configured audit directory
   * unless {@code --dir} names another. Only the configuration is needed; {@code report patches}
   * also reads the allowlist, to know which hosts and entries may name KB numbers ({@link
   * ReportKbSources}), and runs without it if it cannot.
   */
  private int audit(Options options) {
    List<String> args = options.args();
    if (args.isEmpty()) {
      throw new UsageException("expected verify, query or report");
    }
    String tool = args.get(0);
    List<String> rest = args.subList(1, args.size());
    if (!AUDIT_TOOLS.contains(tool)) {
      throw new UsageException(
          "unknown audit command '" + tool + "' (expected verify, query or report)");
    }
    GatewaySettings settings = settingsFor("audit", options);
    if (settings == null) {
      return INVALID;
    }
    Path dir = settings.auditDir();
    return switch (tool) {
      case "verify" -> AuditVerifyCommand.run(rest, dir, out, err);
      case "query" -> AuditQueryCommand.run(rest, dir, out, err);
      case "report" ->
          AuditReportCommand.run(
              rest, dir, () -> ReportKbSources.from(settings.allowlist(), err), out, err);
      default -> throw new IllegalStateException(tool);
    };
  }

  /**
   * The configuration, for the tools that need no allowlist; null after printing every problem (the
   * caller exits {@link #INVALID}).
   */
  private GatewaySettings settingsFor(String command, Options options) {
    try {
      return GatewaySettings.load(options.config());
    } catch (GatewaySettings.InvalidSettingsException e) {
      e.problems().forEach(err::println);
      err.println("patchgate " + command + ": the configuration is not valid");
      return null;
    }
  }

  /** {@code mirror ls|verify|purge|prefetch ...}: the package store's tools. */
  private int mirror(Options options) {
    GatewaySettings settings = settingsFor("mirror", options);
    if (settings == null) {
      return INVALID;
    }
    Path dir = settings.mirror() == null ? null : settings.mirror().dir();
    return MirrorCommand.run(options.args(), dir, settings.listen(), out, err);
  }

  private int profiles(Options options) {
    if (options.args().isEmpty()) {
      out.print(Profiles.describe());
      return OK;
    }
    if (options.args().size() > 1) {
      throw new UsageException("unexpected argument '" + options.args().get(1) + "'");
    }
    String name = options.args().get(0);
    Optional<Profile> profile = Profiles.find(name);
    if (profile.isEmpty()) {
      err.println(
          "patchgate profiles: no profile named '"
              + name
              + "'; patchgate ships: "
              + Profiles.all().stream().map(Profile::name).collect(Collectors.joining(", ")));
      return INVALID;
    }
    out.print(Profiles.describe(profile.get()));
    return OK;
  }

  private int explain(Options options) {
    ExplainCommand.Request request =
        ExplainCommand.Request.parse(options.args(), Clock.systemUTC().instant());
    Loaded loaded = Loaded.from(options);
    if (!loaded.problems().isEmpty()) {
      loaded.problems().forEach(err::println);
      err.println("patchgate explain: the configuration or the allowlist is not valid");
      return INVALID;
    }
    return ExplainCommand.run(loaded.allowlist(), request, out);
  }

  private int run(Options options) {
    Loaded loaded = Loaded.from(options);
    if (!loaded.problems().isEmpty()) {
      loaded.problems().forEach(err::println);
      err.println(
          "patchgate run: "
              + (loaded.settings() == null ? "configuration" : "allowlist")
              + " is not valid; nothing started");
      return INVALID;
    }
    GatewaySettings settings = loaded.settings();
    Allowlist allowlist = loaded.allowlist();
    JsonLinesAuditWriter audit;
    try {
      audit = new JsonLinesAuditWriter(settings.audit(), Clock.systemUTC());
    } catch (UncheckedIOException e) {
      err.println(
          "patchgate run: cannot create the audit log directory "
              + settings.auditDir().toAbsolutePath()
              + " ("
              + whyNot(e.getCause())
              + ")");
      return CANNOT_START;
    }
    MeterRegistry registry = new SimpleMeterRegistry();
    AlertSink alerts = AlertDispatcher.start(settings.alerts());
    PolicyReload policy =
        PolicyReload.watch(settings.allowlist(), allowlist, PolicyReload.POLL, registry);
    Gateway gateway;
    try {
      gateway =
          Gateway.start(
              settings,
              policy,
              audit,
              alerts,
              registry,
              new SystemResolver(settings.dnsTimeout()),
              Clock.systemUTC());
    } catch (Gateway.StartException e) {
      policy.close();
      audit.close();
      alerts.close();
      err.println("patchgate run: " + e.getMessage());
      return CANNOT_START;
    }
    policy.gatewayStarted(gateway);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  policy.close();
                  gateway.close();
                  audit.close();
                  alerts.close();
                  LOG.info("patchgate stopped; audit log flushed");
                  stopped.countDown();
                },
                "patchgate-shutdown"));
    LOG.info(
        "patchgate listening on {}; allowlist {} ({}, watched for edits); audit log {}",
        Gateway.describe(gateway.address()),
        settings.allowlist(),
        PolicyReload.entries(allowlist),
        settings.auditDir().toAbsolutePath());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  /** An I/O failure in words; the JDK's message for most of them is only the path. */
  private static String whyNot(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    return e instanceof FileSystemException fs && fs.getReason() != null
        ? fs.getReason()
        : String.valueOf(e.getMessage());
  }

  private static String helpFor(String command) {
    return switch (command) {
      case "run" ->
          """
          Usage: patchgate run [--config FILE]

          Starts the gateway and runs until stopped (SIGTERM or Ctrl-C). Logs one line saying
          where it listens, which allowlist it loaded and where the audit log goes.
          """;
      case "explain" -> ExplainCommand.HELP;
      case "mirror" -> MirrorCommand.HELP;
      case "audit" ->
          """
          Usage: patchgate audit verify [--dir DIR] [--config FILE]
                 patchgate audit query [filters] [--format table|json|csv] [--dir DIR]
                 patchgate audit report patches|denied [filters] [--format table|csv|html]

          verify  walks the hash chain through every day file (plain and gzipped) and reports
                  the first broken record by file and line; exit 0 intact, 1 broken or nothing
                  to verify.
          query   filters: --since WHEN --until WHEN --client IP --host HOST|*.suffix
                  --decision allow|deny|error --status N --method M --url-contains TEXT
                  --entry NAME --limit N (see patchgate audit query --help)
          report  patches: per client, each file downloaded, its host, KB number, size,
                  complete or not, from the mirror or upstream, when; e.g. did PC 10.10.1.5 get
                  KB5034441?
                    patchgate audit report patches --client 10.10.1.5 --kb KB5034441
                  A KB number is read from a file's name only when a host of the Microsoft
                  update profiles served it or an entry with kb-files = true allowed it (the
                  configured allowlist; without it, the Microsoft hosts alone).
                  denied: per client, what was denied and how often (the weekly review).
          DIR defaults to the configured patchgate.audit.dir.
          """;
      case "profiles" ->
          """
          Usage: patchgate profiles [NAME]

          Lists the curated host profiles shipped inside patchgate (profile = NAME in an allowlist
          entry), with each host's scheme, port and purpose, the sources and the date the list was
          last checked. With NAME, only that profile.
          """;
      default ->
          """
          Usage: patchgate check-config [--config FILE]

          Validates the configuration and the allowlist it names. Prints every problem with its
          file and line and exits 1, or prints a summary and exits 0.
          """;
    };
  }

  /**
   * The options every command takes, and what is left for the command itself.
   *
   * @param args the arguments the common options did not consume, in order
   */
  record Options(Optional<Path> config, boolean help, List<String> args) {
    static Options parse(List<String> argv) {
      Optional<Path> config = Optional.empty();
      boolean help = false;
      List<String> rest = new ArrayList<>();
      for (int i = 0; i < argv.size(); i++) {
        String arg = argv.get(i);
        if (arg.equals("--help") || arg.equals("-h")) {
          help = true;
        } else if (arg.equals("--config") || arg.startsWith("--config=")) {
          String value;
          if (arg.startsWith("--config=")) {
            value = arg.substring("--config=".length());
          } else if (i + 1 < argv.size()) {
            value = argv.get(++i);
          } else {
            throw new UsageException("--config needs a file");
          }
          if (value.isBlank()) {
            throw new UsageException("--config needs a file");
          }
          config = Optional.of(Path.of(value));
        } else {
          rest.add(arg);
        }
      }
      return new Options(config, help, List.copyOf(rest));
    }

    /** The same options, with {@code --help} left for the command to print its own help. */
    Options passHelpOn() {
      List<String> withHelp = new ArrayList<>(args);
      withHelp.add("--help");
      return new Options(config, false, List.copyOf(withHelp));
    }

    /** For commands that take nothing but the common options. */
    void expectNoArguments() {
      if (!args.isEmpty()) {
        String arg = args.get(0);
        throw new UsageException(
            arg.startsWith("-")
                ? "unknown option '" + arg + "'"
                : "unexpected argument '" + arg + "'");
      }
    }
  }
}
