package dev.patchgate.audit.query;

import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.report.AuditReportCommand;
import dev.patchgate.audit.report.ClientGroups;
import dev.patchgate.audit.report.KbSources;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** What one run of an audit command printed and returned. */
public record CommandRun(int exit, String out, String err) {

  /** A command run with {@code --name value} pairs, as the gateway's command line runs it. */
  @FunctionalInterface
  public interface Command {
    int run(List<String> args, Path defaultDir, PrintStream out, PrintStream err);
  }

  /**
   * {@code audit query}: the options as the gateway's command line hands them over, exit 0 for a
   * complete run, 1 otherwise, 2 with the frame's line for a rejected value.
   */
  public static final Command QUERY =
      (args, dir, out, err) -> {
        Map<String, String> o = options(args);
        return exit(
            "patchgate audit query",
            err,
            () ->
                AuditQueryCommand.run(
                    new AuditQueryCommand.Options(
                        o.containsKey("--dir") ? Path.of(o.get("--dir")) : dir,
                        o.get("--since"),
                        o.get("--until"),
                        o.get("--client"),
                        o.get("--via"),
                        o.get("--host"),
                        o.get("--decision"),
                        o.get("--status"),
                        o.get("--method"),
                        o.get("--url-contains"),
                        o.get("--entry"),
                        o.get("--limit"),
                        o.get("--format")),
                    out,
                    err));
      };

  /** {@code audit report}, as {@link #QUERY}, with {@code sources} for the KB numbers. */
  public static Command report(java.util.function.Supplier<KbSources> sources) {
    return report(
        new AuditReportCommand.Context(
            sources, ClientGroups::none, AnomalySettings.defaults(), Clock.systemUTC()));
  }

  /** {@code audit report}, as {@link #QUERY}, with the client groups and anomaly settings given. */
  public static Command report(AuditReportCommand.Context context) {
    return (args, dir, out, err) -> {
      Map<String, String> o = options(args);
      return exit(
          "patchgate audit report",
          err,
          () -> AuditReportCommand.run(reportOptions(o, dir), context, out, err));
    };
  }

  /** The report's options from {@code --name value} pairs and the report's name. */
  public static AuditReportCommand.Options reportOptions(List<String> args, Path dir) {
    return reportOptions(options(args), dir);
  }

  private static AuditReportCommand.Options reportOptions(Map<String, String> o, Path dir) {
    return new AuditReportCommand.Options(
        o.get(""),
        o.containsKey("--dir") ? Path.of(o.get("--dir")) : dir,
        o.get("--since"),
        o.get("--until"),
        o.get("--client"),
        o.get("--entry"),
        o.get("--host"),
        o.get("--kb"),
        o.get("--format"),
        o.get("--file"),
        o.get("--clients"),
        o.get("--baseline"),
        o.get("--kind"));
  }

  /** {@code --name value} pairs; a word without dashes is the report's name (key ""). */
  private static Map<String, String> options(List<String> args) {
    Map<String, String> options = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--")) {
        options.put(arg, args.get(++i));
      } else {
        options.put("", arg);
      }
    }
    return options;
  }

  @FunctionalInterface
  private interface Tool {
    boolean run() throws UsageException;
  }

  private static int exit(String name, PrintStream err, Tool tool) {
    try {
      return tool.run() ? 0 : 1;
    } catch (UsageException e) {
      err.println(name + ": " + e.getMessage());
      return 2;
    }
  }

  /** Runs {@code command} with {@code args}, capturing both streams as UTF-8. */
  public static CommandRun of(Command command, Path dir, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int exit = command.run(List.of(args), dir, o, e);
      o.flush();
      e.flush();
      return new CommandRun(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** The output's lines, without line terminators. */
  public List<String> outLines() {
    return out.lines().toList();
  }
}
