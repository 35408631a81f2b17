package dev.patchgate.audit.query;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code patchgate audit query}: prints the audit records that match every filter given.
 *
 * <p>See {@link #USAGE} for the options. Exit status: 0 when the query ran (also when nothing
 * matched), 1 when the audit directory has no audit files or a file could not be read to its end
 * (the output may then be incomplete; a warning names the file), 2 for a usage error.
 */
public final class AuditQueryCommand {
  /** The usage text printed by {@code --help} and after a usage error. */
  public static final String USAGE =
      """
      Usage: patchgate audit query [options]
        Prints the audit records that match every filter given (filters are ANDed).
        --since WHEN         from this UTC date (2026-11-01) or instant (2026-11-01T09:00:00Z,
                             2026-11-01T18:00+09:00), inclusive; default: the oldest file
        --until WHEN         up to this instant, exclusive; a date means through the end of that
                             UTC day; default: the newest file
        --client IP          requests from this client address
        --host HOST          requests to this host, or to every host under *.suffix
        --decision D         allow, deny or error
        --status CODE        the status the client got (200, 206, 403, ...)
        --method M           GET, HEAD, CONNECT, ...
        --url-contains TEXT  the URL contains TEXT, ignoring case (e.g. kb5034441)
        --entry NAME         the allowlist entry that allowed the request, ignoring case
        --limit N            stop after N records
        --format F           table (default), json (the original lines) or csv
        --dir DIR            the audit directory (default: patchgate.audit.dir)
        --help               print this help
      """;

  static final int EXIT_OK = AuditCommandSyntax.EXIT_OK;
  static final int EXIT_INCOMPLETE = AuditCommandSyntax.EXIT_INCOMPLETE;
  static final int EXIT_USAGE = AuditCommandSyntax.EXIT_USAGE;

  private static final Set<String> WITH_VALUE =
      Set.of(
          "--since",
          "--until",
          "--client",
          "--host",
          "--decision",
          "--status",
          "--method",
          "--url-contains",
          "--entry",
          "--limit",
          "--format",
          "--dir");
  private static final Set<String> FLAGS = Set.of("--help");
  private static final AuditCommandSyntax SYNTAX =
      new AuditCommandSyntax("patchgate audit query", USAGE, WITH_VALUE, FLAGS);
  private static final Set<String> DECISIONS = Set.of("allow", "deny", "error");
  private static final int OUTPUT_BUFFER = 1 << 16;
  // How often (in rows) to ask whether the output was closed, e.g. by `| head`.
  private static final int CHECK_OUTPUT_EVERY = 1024;

  private AuditQueryCommand() {}

  /**
   * Runs the command.
   *
   * @param args the arguments after {@code query}
   * @param defaultDir the audit directory when {@code --dir} is not given
   * @param out where records go
   * @param err where warnings and errors go
   * @return the exit status
   */
  public static int run(List<String> args, Path defaultDir, PrintStream out, PrintStream err) {
    return SYNTAX.run(
        args,
        parsed -> Request.from(parsed, defaultDir),
        r -> r.dir,
        r -> query(r, out, err),
        out,
        err);
  }

  private static ScanSummary query(Request request, PrintStream out, PrintStream err)
      throws IOException {
    OutputStream buffered = new BufferedOutputStream(out, OUTPUT_BUFFER);
    Writer writer = new OutputStreamWriter(buffered, StandardCharsets.UTF_8);
    QueryOutput output =
        switch (request.format) {
          case "json" -> new JsonLinesOutput(buffered);
          case "csv" -> new CsvOutput(writer);
          default -> new TableOutput(writer);
        };
    output.begin();
    long[] rows = {0};
    ScanSummary summary =
        AuditScanner.scan(
            request.dir,
            request.query,
            line -> {
              output.row(line);
              rows[0]++;
              if (rows[0] % CHECK_OUTPUT_EVERY == 0 && out.checkError()) {
                return false;
              }
              return rows[0] < request.limit;
            },
            err);
    output.end(rows[0]);
    out.flush();
    return summary;
  }

  /** A checked command line. */
  private record Request(Path dir, AuditQuery query, String format, long limit) {
    static Request from(CommandArgs args, Path defaultDir) throws UsageException {
      if (!args.positionals().isEmpty()) {
        throw new UsageException(
            "unexpected argument " + DisplayText.clean(args.positionals().get(0)));
      }
      Path dir = args.value("--dir").map(Path::of).orElse(defaultDir);
      if (dir == null) {
        throw new UsageException("no audit directory: give --dir");
      }
      String format = args.value("--format").orElse("table").toLowerCase(Locale.ROOT);
      if (!Set.of("table", "json", "csv").contains(format)) {
        throw new UsageException(
            "--format: '" + DisplayText.clean(format) + "' (expected: table, json or csv)");
      }
      long limit = Long.MAX_VALUE;
      if (args.has("--limit")) {
        limit = positive("--limit", args.value("--limit").orElseThrow());
      }
      AuditQuery.Builder query = AuditQuery.builder();
      try {
        args.value("--since").ifPresent(v -> query.since(AuditTimes.since(v)));
        args.value("--until").ifPresent(v -> query.until(AuditTimes.until(v)));
        args.value("--host").ifPresent(query::host);
        args.value("--client").ifPresent(query::client);
        args.value("--method").ifPresent(query::method);
        args.value("--url-contains").ifPresent(query::urlContains);
        args.value("--entry").ifPresent(query::entry);
        if (args.has("--decision")) {
          String decision = args.value("--decision").orElseThrow().toLowerCase(Locale.ROOT);
          if (!DECISIONS.contains(decision)) {
            throw new IllegalArgumentException(
                "--decision: '" + decision + "' (expected: allow, deny or error)");
          }
          query.decision(decision);
        }
        if (args.has("--status")) {
          query.status(status(args.value("--status").orElseThrow()));
        }
        return new Request(dir, query.build(), format, limit);
      } catch (IllegalArgumentException e) {
        throw new UsageException(DisplayText.clean(e.getMessage()));
      }
    }

    private static int status(String text) {
      try {
        int status = Integer.parseInt(text.strip());
        if (status >= 0 && status <= 999) {
          return status;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new IllegalArgumentException(
          "--status: '" + text + "' (expected: an HTTP status code such as 200)");
    }

    private static long positive(String option, String text) throws UsageException {
      try {
        long n = Long.parseLong(text.strip());
        if (n > 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      throw new UsageException(
          option + ": '" + DisplayText.clean(text) + "' (expected: a positive number)");
    }
  }
}
