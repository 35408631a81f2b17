package dev.patchgate.audit.report;

import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.query.AuditLine;
import dev.patchgate.audit.query.AuditQuery;
import dev.patchgate.audit.query.AuditScanner;
import dev.patchgate.audit.query.AuditTimes;
import dev.patchgate.audit.query.AuditToolRun;
import dev.patchgate.audit.query.ScanSummary;
import dev.patchgate.audit.query.UsageException;
import dev.patchgate.audit.text.DisplayText;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@code patchgate audit report patches|denied|coverage|anomalies}: the reports an administrator or
 * a vendor's engineer reads, as a table, CSV or one self-contained HTML page.
 *
 * <p>The gateway's command line parses the options into {@link Options}; this class checks their
 * values (a {@link UsageException} names the option and what was expected) and makes the report. A
 * run is complete when the audit directory has audit files and each was read to its end (a warning
 * names a file that was not).
 */
public final class AuditReportCommand {
  /** The report that lists downloads per client. */
  public static final String PATCHES = "patches";

  /** The report that lists refusals per client. */
  public static final String DENIED = "denied";

  /** The report that says, per client, whether it has the KBs (or files) asked for. */
  public static final String COVERAGE = "coverage";

  /** The report of traffic unlike a client's (or its group's) baseline. */
  public static final String ANOMALIES = "anomalies";

  /** The anomaly report's period when {@code --since} is not given. */
  private static final Duration ANOMALY_PERIOD = Duration.ofDays(7);

  private static final int OUTPUT_BUFFER = 1 << 16;

  private AuditReportCommand() {}

  /**
   * The report as the user asked for it; each filter is null when not given, and is checked by
   * {@link #run}.
   *
   * @param report {@link #PATCHES}, {@link #DENIED}, {@link #COVERAGE} or {@link #ANOMALIES}
   * @param dir the audit directory
   * @param entry only for {@link #PATCHES}, as is {@code host}
   * @param kb for {@link #PATCHES} one KB number; for {@link #COVERAGE} one or more, separated by
   *     commas
   * @param format table (the default when null), csv or html
   * @param file only for {@link #COVERAGE}: a file name pattern instead of {@code kb}
   * @param clients only for {@link #COVERAGE} and {@link #ANOMALIES}: the client group or address
   *     block the clients are narrowed to
   * @param baseline only for {@link #ANOMALIES}: the baseline in days, or null for the settings'
   * @param kinds only for {@link #ANOMALIES}: the kinds to report (wire or config names, separated
   *     by commas), or null for all
   */
  public record Options(
      String report,
      Path dir,
      String since,
      String until,
      String client,
      String entry,
      String host,
      String kb,
      String format,
      String file,
      String clients,
      String baseline,
      String kinds) {}

  /**
   * Makes the report.
   *
   * @param kbSources which hosts and entries may name KB numbers; asked once, and only for the
   *     {@code patches} and {@code coverage} reports after their options were accepted (so that
   *     what it costs, such as reading the allowlist, and what it says on {@code err}, happen only
   *     when needed)
   * @param out where the report goes
   * @param err where warnings and errors go
   * @return true when the run was complete (see the class comment), also when the report is empty
   * @throws UsageException when an option's value is not valid; nothing was read
   */
  public static boolean run(
      Options options, Supplier<KbSources> kbSources, PrintStream out, PrintStream err)
      throws UsageException {
    return run(
        options,
        new Context(kbSources, ClientGroups::none, AnomalySettings.defaults(), Clock.systemUTC()),
        out,
        err);
  }

  /**
   * What a report needs from outside the audit log, each asked only when needed.
   *
   * @param kbSources see {@link #run(Options, Supplier, PrintStream, PrintStream)}
   * @param groups the allowlist's client groups, for {@code --clients GROUP} and the anomaly
   *     report's groups; asked at most once, after the report's name was accepted
   * @param anomalies what the anomaly report calls unusual
   * @param clock gives "now", the end of the anomaly report's default period
   */
  public record Context(
      Supplier<KbSources> kbSources,
      Supplier<ClientGroups> groups,
      AnomalySettings anomalies,
      Clock clock) {}

  /**
   * Makes the report, as {@link #run(Options, Supplier, PrintStream, PrintStream)} does, with the
   * client groups and the anomaly settings of {@code context}.
   */
  public static boolean run(Options options, Context context, PrintStream out, PrintStream err)
      throws UsageException {
    Request request = Request.from(options, context);
    return AuditToolRun.run(
        "patchgate audit report", request.dir, () -> report(request, context, out, err), err);
  }

  private static ScanSummary report(
      Request request, Context context, PrintStream out, PrintStream err) throws IOException {
    Supplier<KbSources> kbSources = context.kbSources();
    Clock clock = context.clock();
    ReportModel report;
    ScanSummary summary;
    List<String> summaryLines = List.of();
    if (request.report.equals(PATCHES)) {
      KbSources sources = kbSources.get();
      PatchDownloads downloads = new PatchDownloads(request.kb, sources);
      summary = scanAll(request, downloads::add, err);
      List<String> notes = new ArrayList<>(request.notes(summary));
      notes.add("KB numbers: only from " + sources.description());
      report = PatchReport.model(downloads.rows(), notes);
    } else if (request.report.equals(COVERAGE)) {
      KbSources sources = kbSources.get();
      CoverageReport coverage =
          new CoverageReport(request.kbs, request.file, request.clients, sources);
      summary = scanAll(request, coverage::add, err);
      List<String> notes = new ArrayList<>(request.notes(summary));
      if (request.file == null) {
        notes.add("KB numbers: only from " + sources.description());
      }
      report = coverage.model(notes);
      summaryLines = CoverageReport.summaries(coverage.targets(), report.rows());
    } else if (request.report.equals(ANOMALIES)) {
      AnomalyReport anomalies = request.anomalies;
      summary = scanAll(request, anomalies::add, err);
      report = anomalies.model(request.anomalyNotes(summary));
    } else {
      DeniedRequests denied = new DeniedRequests();
      summary = scanAll(request, denied::add, err);
      report = DeniedReport.model(denied.rows(), request.notes(summary));
    }
    Writer writer =
        new OutputStreamWriter(
            new BufferedOutputStream(out, OUTPUT_BUFFER), StandardCharsets.UTF_8);
    switch (request.format) {
      case "csv" -> CsvRenderer.render(report, writer);
      case "html" ->
          HtmlRenderer.render(
              report, clock.instant().truncatedTo(ChronoUnit.SECONDS).toString(), writer);
      default -> {
        TextTableRenderer.render(report, writer);
        // The table has no notes; the coverage counts are what its reader asked for.
        for (String line : summaryLines) {
          writer.write(line + System.lineSeparator());
        }
        writer.flush();
      }
    }
    out.flush();
    return summary;
  }

  /** Hands every record of the request's query to {@code sink}. */
  private static ScanSummary scanAll(Request request, Consumer<AuditLine> sink, PrintStream err)
      throws IOException {
    return AuditScanner.scan(
        request.dir,
        request.query,
        line -> {
          sink.accept(line);
          return true;
        },
        err);
  }

  /** A checked command line. */
  private record Request(
      String report,
      Path dir,
      AuditQuery query,
      String format,
      String kb,
      List<String> kbs,
      FileGlob file,
      ClientScope clients,
      List<String> filters,
      AnomalyReport anomalies,
      List<String> anomalyPeriod) {

    static Request from(Options options, Context context) throws UsageException {
      String report = options.report();
      if (report == null) {
        throw new UsageException("name a report: patches, denied, coverage or anomalies");
      }
      if (!List.of(PATCHES, DENIED, COVERAGE, ANOMALIES).contains(report)) {
        throw new UsageException(
            "unknown report '"
                + DisplayText.clean(report)
                + "' (expected: patches, denied, coverage or anomalies)");
      }
      if (!report.equals(COVERAGE) && options.file() != null) {
        throw new UsageException("--file applies to report coverage only");
      }
      if (!report.equals(COVERAGE) && !report.equals(ANOMALIES) && options.clients() != null) {
        throw new UsageException("--clients applies to reports coverage and anomalies only");
      }
      if (!report.equals(ANOMALIES)) {
        for (String[] option :
            new String[][] {{"--baseline", options.baseline()}, {"--kind", options.kinds()}}) {
          if (option[1] != null) {
            throw new UsageException(option[0] + " applies to report anomalies only");
          }
        }
      }
      if (report.equals(ANOMALIES)) {
        return anomalies(options, context);
      }
      if (report.equals(COVERAGE)) {
        for (String[] option :
            new String[][] {{"--entry", options.entry()}, {"--host", options.host()}}) {
          if (option[1] != null) {
            throw new UsageException(option[0] + " applies to report patches only");
          }
        }
        if ((options.kb() == null) == (options.file() == null)) {
          throw new UsageException("report coverage needs --kb or --file (one of them)");
        }
      }
      if (report.equals(DENIED)) {
        for (String[] option :
            new String[][] {
              {"--entry", options.entry()}, {"--host", options.host()}, {"--kb", options.kb()}
            }) {
          if (option[1] != null) {
            throw new UsageException(option[0] + " applies to report patches only");
          }
        }
      }
      Path dir = options.dir();
      if (dir == null) {
        throw new UsageException("no audit directory: give --dir");
      }
      String format = format(options);
      try {
        AuditQuery.Builder query = AuditQuery.builder();
        List<String> filters = new ArrayList<>();
        Optional.ofNullable(options.since()).ifPresent(v -> query.since(AuditTimes.since(v)));
        Optional.ofNullable(options.until()).ifPresent(v -> query.until(AuditTimes.until(v)));
        Optional.ofNullable(options.client())
            .ifPresent(
                v -> {
                  query.client(v);
                  filters.add("client " + v.strip());
                });
        Optional.ofNullable(options.entry())
            .ifPresent(
                v -> {
                  query.entry(v);
                  filters.add("entry " + v.strip());
                });
        Optional.ofNullable(options.host())
            .ifPresent(
                v -> {
                  query.host(v);
                  filters.add("host " + v.strip());
                });
        if (report.equals(COVERAGE)) {
          List<String> kbs = new ArrayList<>();
          if (options.kb() != null) {
            for (String each : options.kb().split(",")) {
              String kb = KbNumber.parse(each);
              if (!kbs.contains(kb)) {
                kbs.add(kb);
              }
            }
          }
          FileGlob file = Optional.ofNullable(options.file()).map(FileGlob::parse).orElse(null);
          ClientScope clients = scope(options.clients(), context);
          return new Request(
              report,
              dir,
              query.build(),
              format,
              null,
              List.copyOf(kbs),
              file,
              clients,
              List.copyOf(filters),
              null,
              null);
        }
        if (options.kb() != null && options.kb().contains(",")) {
          throw new UsageException("--kb: report patches takes one KB number");
        }
        String kb = Optional.ofNullable(options.kb()).map(KbNumber::parse).orElse(null);
        if (kb != null) {
          // A cheap first cut on the raw line; the file name's KB is checked exactly later.
          query.urlContains(kb);
          filters.add(kb);
        }
        if (report.equals(PATCHES)) {
          query.decision("allow").method("GET").status(200, 206);
        } else {
          query.decision("deny");
        }
        return new Request(
            report,
            dir,
            query.build(),
            format,
            kb,
            List.of(),
            null,
            null,
            List.copyOf(filters),
            null,
            null);
      } catch (IllegalArgumentException e) {
        throw new UsageException(DisplayText.clean(e.getMessage()));
      }
    }

    private static ClientScope scope(String clients, Context context) {
      return clients == null ? null : ClientScope.parse(clients, context.groups().get());
    }

    /** {@code report anomalies}: its period, baseline, kinds and clients. */
    private static Request anomalies(Options options, Context context) throws UsageException {
      for (String[] option :
          new String[][] {
            {"--client", options.client()},
            {"--entry", options.entry()},
            {"--host", options.host()},
            {"--kb", options.kb()}
          }) {
        if (option[1] != null) {
          throw new UsageException(
              option[0] + " does not apply to report anomalies (narrow it with --clients)");
        }
      }
      Path dir = options.dir();
      if (dir == null) {
        throw new UsageException("no audit directory: give --dir");
      }
      String format = format(options);
      AnomalySettings settings = context.anomalies();
      try {
        Instant until =
            options.until() == null
                ? context.clock().instant().truncatedTo(ChronoUnit.SECONDS)
                : AuditTimes.until(options.until());
        Instant since =
            options.since() == null
                ? until.minus(ANOMALY_PERIOD)
                : AuditTimes.since(options.since());
        if (!since.isBefore(until)) {
          throw new UsageException("--since must be before --until");
        }
        Duration baseline = settings.baseline();
        if (options.baseline() != null) {
          String days = options.baseline().strip();
          if (!days.matches("\\d{1,4}") || Integer.parseInt(days) < 1) {
            throw new UsageException(
                "--baseline: '"
                    + DisplayText.clean(options.baseline())
                    + "' (expected: a number of days, e.g. 28)");
          }
          baseline = Duration.ofDays(Integer.parseInt(days));
        }
        Set<AnomalyKind> kinds = kinds(options.kinds());
        ClientGroups groups = context.groups().get();
        ClientScope scope =
            options.clients() == null ? null : ClientScope.parse(options.clients(), groups);
        Instant baselineStart = since.minus(baseline);
        AnomalyReport report =
            new AnomalyReport(settings, kinds, baselineStart, since, until, groups, scope);
        AuditQuery query = AuditQuery.builder().since(baselineStart).until(until).build();
        List<String> filters = new ArrayList<>();
        if (scope != null) {
          filters.add(scope.toString());
        }
        List<String> off = new ArrayList<>();
        for (AnomalyKind kind : kinds) {
          if (!settings.on(kind)) {
            off.add(kind.wireName());
          }
        }
        List<String> period = new ArrayList<>();
        period.add(
            "Period: "
                + since
                + " to "
                + until
                + " (exclusive, UTC), compared with the baseline from "
                + baselineStart
                + " ("
                + AnomalyReport.count(baseline.toDays(), "day")
                + ")");
        if (!off.isEmpty()) {
          period.add(
              "Turned off in patchgate.anomalies, not looked for: " + String.join(", ", off));
        }
        return new Request(
            ANOMALIES,
            dir,
            query,
            format,
            null,
            List.of(),
            null,
            scope,
            List.copyOf(filters),
            report,
            List.copyOf(period));
      } catch (IllegalArgumentException | DateTimeException e) {
        throw new UsageException(DisplayText.clean(e.getMessage()));
      }
    }

    private static Set<AnomalyKind> kinds(String text) throws UsageException {
      if (text == null) {
        return EnumSet.allOf(AnomalyKind.class);
      }
      try {
        return AnomalyKind.parseAll(text);
      } catch (IllegalArgumentException e) {
        throw new UsageException("--kind: " + e.getMessage());
      }
    }

    private static String format(Options options) throws UsageException {
      String format = Optional.ofNullable(options.format()).orElse("table");
      format = format.toLowerCase(Locale.ROOT);
      if (!Set.of("table", "csv", "html").contains(format)) {
        throw new UsageException(
            "--format: '" + DisplayText.clean(format) + "' (expected: table, csv or html)");
      }
      return format;
    }

    List<String> anomalyNotes(ScanSummary summary) {
      // The generic notes without their first line, the period of the query (baseline included).
      List<String> notes = new ArrayList<>(anomalyPeriod);
      List<String> rest = notes(summary);
      notes.addAll(rest.subList(1, rest.size()));
      return notes;
    }

    List<String> notes(ScanSummary summary) {
      List<String> notes = new ArrayList<>();
      String since = query.since() == null ? "the oldest record" : query.since().toString();
      String until = query.until() == null ? "the newest record" : query.until() + " (exclusive)";
      notes.add("Period: " + since + " to " + until + " (UTC)");
      if (!filters.isEmpty()) {
        notes.add("Only: " + String.join(", ", filters));
      }
      notes.add("Audit directory: " + dir + " (" + summary.files() + " day files read)");
      if (summary.malformed() > 0 || summary.unreadableFiles() > 0) {
        notes.add(
            "Incomplete input: "
                + summary.malformed()
                + " malformed lines skipped, "
                + summary.unreadableFiles()
                + " files not readable to the end");
      }
      return notes;
    }
  }
}
