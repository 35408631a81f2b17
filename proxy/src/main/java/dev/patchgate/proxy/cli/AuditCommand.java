package dev.patchgate.proxy.cli;

import dev.patchgate.audit.AuditVerifyCommand;
import dev.patchgate.audit.query.AuditQueryCommand;
import dev.patchgate.audit.query.UsageException;
import dev.patchgate.audit.report.AuditReportCommand;
import dev.patchgate.proxy.config.GatewaySettings;
import java.nio.file.Path;
import java.time.Clock;
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
 * {@code patchgate audit verify|query|report}: the audit log's tools, reading the configured audit
 * directory unless {@code --dir} names another. The options are parsed here, once; audit-log's
 * commands take them as typed records, check their values and do the work. Exit codes: 0 intact /
 * ran (also with no match), 1 broken, nothing to verify, no audit files or a file not readable to
 * its end, 2 a bad command line.
 */
@Command(
    name = "audit",
    description = "The audit log's tools: verify the chain, query records, make reports.",
    subcommands = {
      AuditCommand.Verify.class,
      AuditCommand.Query.class,
      AuditCommand.Report.class,
      CommandLine.HelpCommand.class
    },
    synopsisSubcommandLabel = "verify|query|report",
    commandListHeading = "%nCommands:%n",
    footer = {"", "DIR defaults to the configured patchgate.audit.dir."})
final class AuditCommand extends CommandGroup {
  /**
   * A tool of {@code audit}: reads the configuration (even with {@code --dir}: a report reads its
   * allowlist), exits 1 after printing why it is not valid, and otherwise runs on {@code --dir} or
   * the configured directory; a value audit-log rejects is a usage error.
   */
  abstract static class Tool implements Callable<Integer> {
    final Terminal terminal;

    @Spec private CommandSpec spec;

    @Mixin private CommonOptions common;

    @Mixin private DirOption dir;

    Tool(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public final Integer call() {
      Optional<GatewaySettings> settings =
          Configuration.settings("audit", common.config(), terminal.err());
      if (settings.isEmpty()) {
        return Cli.INVALID;
      }
      try {
        return Cli.exitCode(run(settings.get(), dir.given().orElse(settings.get().auditDir())));
      } catch (UsageException e) {
        throw UsageErrors.of(spec, e.getMessage());
      }
    }

    /** Runs the tool on the audit directory {@code dir}; true when the run was complete. */
    abstract boolean run(GatewaySettings settings, Path dir) throws UsageException;
  }

  /** {@code audit verify}. */
  @Command(
      name = "verify",
      description = {
        "Checks the audit log's hash chain.",
        "Walks the chain through every day file (plain and gzipped) and reports the first broken"
            + " record by file and line. Exits 0 intact, 1 broken or nothing to verify."
      })
  static final class Verify extends Tool {
    @Option(
        names = "--collector",
        paramLabel = "FILE",
        description =
            "verify a central collector's file instead, each line HOSTNAME SP AUDITLINE:"
                + " every gateway's chain on its own; repeated lines are counted, not breaks")
    private Path collector;

    Verify(Terminal terminal) {
      super(terminal);
    }

    @Override
    boolean run(GatewaySettings settings, Path dir) {
      if (collector != null) {
        return AuditVerifyCommand.runCollector(collector, terminal.out(), terminal.err());
      }
      return AuditVerifyCommand.run(dir, terminal.out(), terminal.err());
    }
  }

  /** {@code audit query}. */
  @Command(
      name = "query",
      description = {
        "Prints the audit records that match filters (table, json or csv).",
        "Every filter given must match (they are ANDed). Exits 0 when the query ran, also with"
            + " no match; 1 with no audit files or a file not readable to its end."
      })
  static final class Query extends Tool {
    @Mixin private Filters filters;

    @Option(names = "--decision", paramLabel = "D", description = "allow, deny or error")
    private String decision;

    @Option(
        names = "--status",
        paramLabel = "CODE",
        description = "the status the client got (200, 206, 403, ...)")
    private String status;

    @Option(
        names = "--via",
        paramLabel = "IP",
        description = "only requests this downstream (site) gateway relayed")
    private String via;

    @Option(names = "--method", paramLabel = "M", description = "GET, HEAD, CONNECT, ...")
    private String method;

    @Option(
        names = "--url-contains",
        paramLabel = "TEXT",
        description = "the URL contains TEXT, ignoring case (e.g. kb5034441)")
    private String urlContains;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N records")
    private String limit;

    @Option(
        names = "--format",
        paramLabel = "F",
        description = "table (default), json (the original lines) or csv")
    private String format;

    Query(Terminal terminal) {
      super(terminal);
    }

    @Override
    boolean run(GatewaySettings settings, Path dir) throws UsageException {
      AuditQueryCommand.Options options =
          new AuditQueryCommand.Options(
              dir,
              filters.since,
              filters.until,
              filters.client,
              via,
              filters.host,
              decision,
              status,
              method,
              urlContains,
              filters.entry,
              limit,
              format);
      return AuditQueryCommand.run(options, terminal.out(), terminal.err());
    }
  }

  /** The filters {@code query} and {@code report} share. */
  static final class Filters {
    @Option(
        names = "--since",
        paramLabel = "WHEN",
        description =
            "from this UTC date (2026-11-01) or instant (2026-11-01T09:00:00Z,"
                + " 2026-11-01T18:00+09:00), inclusive; default: the oldest file")
    String since;

    @Option(
        names = "--until",
        paramLabel = "WHEN",
        description =
            "up to this instant, exclusive; a date means through the end of that UTC day;"
                + " default: the newest file")
    String until;

    @Option(names = "--client", paramLabel = "IP", description = "only this client address")
    String client;

    @Option(
        names = "--host",
        paramLabel = "HOST",
        description = "only this host, or every host under *.suffix")
    String host;

    @Option(
        names = "--entry",
        paramLabel = "NAME",
        description = "only what this allowlist entry allowed, ignoring case")
    String entry;
  }

  /** {@code audit report patches|denied|coverage|anomalies}. */
  @Command(
      name = "report",
      description = {
        "Per-client reports: \"patches\" downloaded, \"denied\" requests (table, csv, html).",
        "patches: per client, the packages downloaded: file, host, KB number, size, complete or"
            + " not, from the mirror or upstream, when. Range requests of one file are merged. A"
            + " KB number is read from a file's name only when a Microsoft update host served it,"
            + " or an allowlist entry with kb-files = true allowed it (the configured allowlist).",
        "denied: per client, what was denied (host, reason), how often, first and last seen;"
            + " clients in no client group are flagged UNREGISTERED.",
        "coverage: per client seen in the period (any record) and per --kb (or --file pattern):"
            + " complete, incomplete (started, not finished) or none, first and last seen, then a"
            + " summary line with counts and percentages.",
        "anomalies: traffic unlike the baseline before the period (default: the last 7 days"
            + " against the patchgate.anomalies.baseline before them), one row per finding:"
            + " new_destination, unusual_hours, beaconing, burst, outside_schedule; thresholds in"
            + " patchgate.anomalies."
      },
      footer = {
        "",
        "--entry and --host apply to the patches report only; --kb to patches and coverage;"
            + " --file to coverage only; --clients to coverage and anomalies; --baseline and"
            + " --kind to anomalies only.",
        "Did PC 10.10.1.5 get KB5034441, and when?",
        "  patchgate audit report patches --client 10.10.1.5 --kb KB5034441",
        "Which PCs of 10.10.1.0/24 have this Patch Tuesday's KBs?",
        "  patchgate audit report coverage --kb KB5034441 --kb KB5034439 --since 2026-11-10"
            + " --clients 10.10.1.0/24",
        "What was unusual last week?",
        "  patchgate audit report anomalies --format html > unusual.html"
      })
  static final class Report extends Tool {
    @Parameters(
        arity = "0..1",
        paramLabel = "patches|denied|coverage|anomalies",
        hideParamSyntax = true,
        description = "the report")
    private String report;

    @Mixin private Filters filters;

    @Option(
        names = "--kb",
        paramLabel = "KB",
        description =
            "only files of this KB number, e.g. KB5034441; coverage takes it more than once")
    private List<String> kb;

    @Option(
        names = "--file",
        paramLabel = "PATTERN",
        description =
            "coverage: files whose name matches this glob (* and ?, ignoring case) instead of"
                + " --kb, e.g. his-client-*.msi")
    private String file;

    @Option(
        names = "--clients",
        paramLabel = "GROUP|CIDR",
        description =
            "coverage, anomalies: only clients of this client group of the allowlist, or in this"
                + " address block, e.g. workstations, 10.10.1.0/24 or fd00:20::/64")
    private String clients;

    @Option(
        names = "--baseline",
        paramLabel = "DAYS",
        description =
            "anomalies: compare with this many days before the period (default:"
                + " patchgate.anomalies.baseline)")
    private String baseline;

    @Option(
        names = "--kind",
        paramLabel = "KIND",
        description =
            "anomalies: only this kind (new_destination, unusual_hours, beaconing, burst,"
                + " outside_schedule); may be given more than once")
    private List<String> kinds;

    @Option(names = "--format", paramLabel = "F", description = "table (default), csv or html")
    private String format;

    Report(Terminal terminal) {
      super(terminal);
    }

    @Override
    boolean run(GatewaySettings settings, Path dir) throws UsageException {
      AuditReportCommand.Options options =
          new AuditReportCommand.Options(
              report,
              dir,
              filters.since,
              filters.until,
              filters.client,
              filters.entry,
              filters.host,
              kb == null ? null : String.join(",", kb),
              format,
              file,
              clients,
              baseline,
              kinds == null ? null : String.join(",", kinds));
      AuditReportCommand.Context context =
          new AuditReportCommand.Context(
              () -> ReportKbSources.from(settings.allowlist(), terminal.err()),
              () -> ReportClientGroups.from(settings.allowlist(), terminal.err()),
              settings.anomalies(),
              Clock.systemUTC());
      return AuditReportCommand.run(options, context, terminal.out(), terminal.err());
    }
  }
}
