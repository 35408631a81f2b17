package dev.patchgate.proxy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.AllowlistException;
import dev.patchgate.allowlist.Problem;
import dev.patchgate.audit.JsonLinesAuditWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The command line: {@code run}, {@code check-config} and {@code --help}. Every failure a user can
 * cause (a bad flag, a missing file, a port in use) ends in one clear line and a non-zero exit,
 * never a stack trace.
 */
final class Cli {
  static final int OK = 0;
  static final int INVALID = 1;
  static final int USAGE = 2;
  static final int CANNOT_START = 3;

  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate");

  private static final String USAGE_TEXT =
      """
      Usage: patchgate <command> [options]

      Commands:
        run            start the gateway
        check-config   validate the configuration and the allowlist; exit 1 on any problem

      Options (every command):
        --config FILE  configuration file (HOCON); overrides the embedded defaults key by key
        --help         show help for the command

      Run from the repository root without --config, the gateway listens on 127.0.0.1:3128
      with deploy/allowlist.conf and writes its audit log to var/audit.
      """;

  private final PrintStream out;
  private final PrintStream err;

  Cli(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  int execute(String[] args) {
    if (args.length == 0) {
      err.print(USAGE_TEXT);
      return USAGE;
    }
    String command = args[0];
    if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
      out.print(USAGE_TEXT);
      return OK;
    }
    if (!command.equals("run") && !command.equals("check-config")) {
      err.println(
          "patchgate: unknown command '"
              + command
              + "' (expected run or check-config; see --help)");
      return USAGE;
    }
    Options options;
    try {
      options = Options.parse(List.of(args).subList(1, args.length));
    } catch (IllegalArgumentException e) {
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
    if (options.help()) {
      out.print(helpFor(command));
      return OK;
    }
    return command.equals("run") ? run(options) : checkConfig(options);
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
            + entries(loaded.allowlist()));
    return OK;
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
      audit =
          new JsonLinesAuditWriter(
              settings.auditDir(), Clock.systemUTC(), settings.auditFlushInterval());
    } catch (UncheckedIOException e) {
      err.println(
          "patchgate run: cannot create the audit log directory "
              + settings.auditDir().toAbsolutePath()
              + " ("
              + whyNot(e.getCause())
              + ")");
      return CANNOT_START;
    }
    Gateway gateway;
    try {
      gateway =
          Gateway.start(
              settings,
              () -> allowlist,
              audit,
              new SimpleMeterRegistry(),
              new SystemResolver(settings.dnsTimeout()),
              Clock.systemUTC());
    } catch (Gateway.StartException e) {
      audit.close();
      err.println("patchgate run: " + e.getMessage());
      return CANNOT_START;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  gateway.close();
                  audit.close();
                  LOG.info("patchgate stopped; audit log flushed");
                  stopped.countDown();
                },
                "patchgate-shutdown"));
    LOG.info(
        "patchgate listening on {}; allowlist {} ({}); audit log {}",
        Gateway.describe(gateway.address()),
        settings.allowlist(),
        entries(allowlist),
        settings.auditDir().toAbsolutePath());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return OK;
  }

  private static String entries(Allowlist allowlist) {
    return allowlist.size() + (allowlist.size() == 1 ? " entry" : " entries");
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
      default ->
          """
          Usage: patchgate check-config [--config FILE]

          Validates the configuration and the allowlist it names. Prints every problem with its
          file and line and exits 1, or prints a summary and exits 0.
          """;
    };
  }

  /** The options every command takes. */
  record Options(Optional<Path> config, boolean help) {
    static Options parse(List<String> args) {
      Optional<Path> config = Optional.empty();
      boolean help = false;
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        if (arg.equals("--help") || arg.equals("-h")) {
          help = true;
        } else if (arg.equals("--config") || arg.startsWith("--config=")) {
          String value;
          if (arg.startsWith("--config=")) {
            value = arg.substring("--config=".length());
          } else if (i + 1 < args.size()) {
            value = args.get(++i);
          } else {
            throw new IllegalArgumentException("--config needs a file");
          }
          if (value.isBlank()) {
            throw new IllegalArgumentException("--config needs a file");
          }
          config = Optional.of(Path.of(value));
        } else if (arg.startsWith("-")) {
          throw new IllegalArgumentException("unknown option '" + arg + "'");
        } else {
          throw new IllegalArgumentException("unexpected argument '" + arg + "'");
        }
      }
      return new Options(config, help);
    }
  }
}
