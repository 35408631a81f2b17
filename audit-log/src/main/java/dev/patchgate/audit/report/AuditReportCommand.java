package dev.patchgate.audit.report;

import dev.patchgate.audit.query.AuditCommandSyntax;
import dev.patchgate.audit.query.AuditQuery;
import dev.patchgate.audit.query.AuditScanner;
import dev.patchgate.audit.query.AuditTimes;
import dev.patchgate.audit.query.CommandArgs;
import dev.patchgate.audit.query.DisplayText;
import dev.patchgate.audit.query.ScanSummary;
import dev.patchgate.audit.query.UsageException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code patchgate audit report patches|denied}: the reports an administrator or a vendor's
 * engineer reads, as a table, CSV or one self-contained HTML page.
 *
 * <p>See {@link #USAGE}. Exit status: 0 when the report was made (also when it is empty), 1 when
 * the audit directory has no audit files or a file could not be read to its end (a warning names
 * it), 2 for a usage error.
 */
public final class AuditReportCommand {
  /** The usage text printed by {@code --help} and after a usage error. */
  public static final String USAGE =
      """
      Usage: patchgate audit report patches [options]
               Per client, the packages downloaded: file, host, KB number, size, complete or
               not, from the mirror or upstream, when. Range requests of one file are merged.
               A KB number is read from a file's name only when a Microsoft update host
               served it, or an allowlist entry with kb-files = true allowed it.
             patchgate audit report denied [options]
               Per client, what was denied (host, reason), how often, first and last seen;
               clients in no client group are flagged UNREGISTERED.
      Options:
        --since WHEN    from this UTC date (2026-11-01) or instant (2026-11-01T09:00:00Z),
                        inclusive; default: the oldest file
        --until WHEN    up to this instant, exclusive; a date means through the end of that
                        UTC day; default: the newest file
        --client IP     only this client
        --entry NAME    (patches) only downloads allowed by this allowlist entry
        --host HOST     (patches) only this host, or every host under *.suffix
        --kb KB         (patches) only files of this KB number, e.g. KB5034441
        --format F      table (default), csv or html
        --dir DIR       the audit directory (default: patchgate.audit.dir)
        --help          print this help
      Did PC 10.10.1.5 get KB5034441, and when?
        patchgate audit report patches --client 10.10.1.5 --kb KB5034441
      """;

  static final int EXIT_OK = AuditCommandSyntax.EXIT_OK;
  static final int EXIT_INCOMPLETE = AuditCommandSyntax.EXIT_INCOMPLETE;
  static final int EXIT_USAGE = AuditCommandSyntax.EXIT_USAGE;

  private static final String PATCHES = "patches";
  private static final String DENIED = "denied";
  private static final Set<String> COMMON =
      Set.of("--since", "--until", "--client", "--format", "--dir");
  private static final Set<String> PATCH_ONLY = Set.of("--entry", "--host", "--kb");
  private static final Set<String> WITH_VALUE =
      Stream.concat(COMMON.stream(), PATCH_ONLY.stream()).collect(Collectors.toUnmodifiableSet());
  private static final Set<String> FLAGS = Set.of("--help");
  private static final AuditCommandSyntax SYNTAX =
      new AuditCommandSyntax("patchgate audit report", USAGE, WITH_VALUE, FLAGS);
  private static final int OUTPUT_BUFFER = 1 << 16;

  private AuditReportCommand() {}

  /**
   * Runs the command.
   *
   * @param args the arguments after {@code report}: the report's name, then options
   * @param defaultDir the audit directory when {@code --dir} is not given
   * @param kbSources which hosts and entries may name KB numbers; asked once, and only for the
   *     {@code patches} report after its command line was accepted (so that what it costs, such as
   *     reading the allowlist, and what it says on {@code err}, happen only when needed)
   * @param out where the report goes
   * @param err where warnings and errors go
   * @return the exit status
   */
  public static int run(
      List<String> args,
      Path defaultDir,
      Supplier<KbSources> kbSources,
      PrintStream out,
      PrintStream err) {
    return run(args, defaultDir, kbSources, out, err, Clock.systemUTC());
  }

  static int run(
      List<String> args,
      Path defaultDir,
      Supplier<KbSources> kbSources,
      PrintStream out,
      PrintStream err,
      Clock clock) {
    return SYNTAX.run(
        args,
        parsed -> Request.from(parsed, defaultDir),
        r -> r.dir,
        r -> report(r, kbSources, out, err, clock),
        out,
        err);
  }

  private static ScanSummary report(
      Request request, Supplier<KbSources> kbSources, PrintStream out, PrintStream err, Clock clock)
      throws IOException {
    ReportModel report;
    ScanSummary summary;
    if (request.report.equals(PATCHES)) {
      KbSources sources = kbSources.get();
      PatchDownloads downloads = new PatchDownloads(request.kb, sources);
      summary =
          AuditScanner.scan(
              request.dir,
              request.query,
              line -> {
                downloads.add(line);
                return true;
              },
              err);
      List<String> notes = new ArrayList<>(request.notes(summary));
      notes.add("KB numbers: only from " + sources.description());
      report = PatchReport.model(downloads.rows(), notes);
    } else {
      DeniedRequests denied = new DeniedRequests();
      summary =
          AuditScanner.scan(
              request.dir,
              request.query,
              line -> {
                denied.add(line);
                return true;
              },
              err);
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
      default -> TextTableRenderer.render(report, writer);
    }
    out.flush();
    return summary;
  }

  /** A checked command line. */
  private record Request(
      String report, Path dir, AuditQuery query, String format, String kb, List<String> filters) {

    static Request from(CommandArgs args, Path defaultDir) throws UsageException {
      List<String> positionals = args.positionals();
      if (positionals.isEmpty()) {
        throw new UsageException("name a report: patches or denied");
      }
      String report = positionals.get(0);
      if (!report.equals(PATCHES) && !report.equals(DENIED)) {
        throw new UsageException(
            "unknown report '" + DisplayText.clean(report) + "' (expected: patches or denied)");
      }
      if (positionals.size() > 1) {
        throw new UsageException("unexpected argument " + DisplayText.clean(positionals.get(1)));
      }
      if (report.equals(DENIED)) {
        for (String option : PATCH_ONLY) {
          if (args.has(option)) {
            throw new UsageException(option + " applies to report patches only");
          }
        }
      }
      Path dir = args.value("--dir").map(Path::of).orElse(defaultDir);
      if (dir == null) {
        throw new UsageException("no audit directory: give --dir");
      }
      String format = args.value("--format").orElse("table").toLowerCase(Locale.ROOT);
      if (!Set.of("table", "csv", "html").contains(format)) {
        throw new UsageException(
            "--format: '" + DisplayText.clean(format) + "' (expected: table, csv or html)");
      }
      try {
        AuditQuery.Builder query = AuditQuery.builder();
        List<String> filters = new ArrayList<>();
        args.value("--since").ifPresent(v -> query.since(AuditTimes.since(v)));
        args.value("--until").ifPresent(v -> query.until(AuditTimes.until(v)));
        args.value("--client")
            .ifPresent(
                v -> {
                  query.client(v);
                  filters.add("client " + v.strip());
                });
        args.value("--entry")
            .ifPresent(
                v -> {
                  query.entry(v);
                  filters.add("entry " + v.strip());
                });
        args.value("--host")
            .ifPresent(
                v -> {
                  query.host(v);
                  filters.add("host " + v.strip());
                });
        String kb = args.value("--kb").map(KbNumber::parse).orElse(null);
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
        return new Request(report, dir, query.build(), format, kb, List.copyOf(filters));
      } catch (IllegalArgumentException e) {
        throw new UsageException(DisplayText.clean(e.getMessage()));
      }
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
