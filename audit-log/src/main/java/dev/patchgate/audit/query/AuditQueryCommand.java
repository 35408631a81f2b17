package dev.patchgate.audit.query;

import dev.patchgate.audit.text.DisplayText;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * {@code patchgate audit query}: prints the audit records that match every filter given.
 *
 * <p>The gateway's command line parses the options into {@link Options}; this class checks their
 * values (a {@link UsageException} names the option and what was expected) and runs the query. A
 * run is complete when the audit directory has audit files and each was read to its end (the output
 * may otherwise be incomplete; a warning names the file).
 */
public final class AuditQueryCommand {
  private static final Set<String> DECISIONS = Set.of("allow", "deny", "error");
  private static final int OUTPUT_BUFFER = 1 << 16;
  // How often (in rows) to ask whether the output was closed, e.g. by `| head`.
  private static final int CHECK_OUTPUT_EVERY = 1024;

  private AuditQueryCommand() {}

  /**
   * The query as the user wrote it; each filter is null when not given, and is checked by {@link
   * #run}.
   *
   * @param dir the audit directory
   * @param format table (the default when null), json or csv
   * @param limit a positive number of records, or null for all
   */
  public record Options(
      Path dir,
      String since,
      String until,
      String client,
      String via,
      String host,
      String decision,
      String status,
      String method,
      String urlContains,
      String entry,
      String limit,
      String format) {}

  /**
   * Runs the query.
   *
   * @param out where records go
   * @param err where warnings and errors go
   * @return true when the run was complete (see the class comment), also when nothing matched
   * @throws UsageException when an option's value is not valid; nothing was read
   */
  public static boolean run(Options options, PrintStream out, PrintStream err)
      throws UsageException {
    Request request = Request.from(options);
    return AuditToolRun.run(
        "patchgate audit query", request.dir, () -> query(request, out, err), err);
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
    static Request from(Options options) throws UsageException {
      Path dir = options.dir();
      if (dir == null) {
        throw new UsageException("no audit directory: give --dir");
      }
      String format = Optional.ofNullable(options.format()).orElse("table");
      format = format.toLowerCase(Locale.ROOT);
      if (!Set.of("table", "json", "csv").contains(format)) {
        throw new UsageException(
            "--format: '" + DisplayText.clean(format) + "' (expected: table, json or csv)");
      }
      long limit = options.limit() == null ? Long.MAX_VALUE : positive("--limit", options.limit());
      AuditQuery.Builder query = AuditQuery.builder();
      try {
        Optional.ofNullable(options.since()).ifPresent(v -> query.since(AuditTimes.since(v)));
        Optional.ofNullable(options.until()).ifPresent(v -> query.until(AuditTimes.until(v)));
        Optional.ofNullable(options.host()).ifPresent(query::host);
        Optional.ofNullable(options.client()).ifPresent(query::client);
        Optional.ofNullable(options.via()).ifPresent(query::via);
        Optional.ofNullable(options.method()).ifPresent(query::method);
        Optional.ofNullable(options.urlContains()).ifPresent(query::urlContains);
        Optional.ofNullable(options.entry()).ifPresent(query::entry);
        if (options.decision() != null) {
          String decision = options.decision().toLowerCase(Locale.ROOT);
          if (!DECISIONS.contains(decision)) {
            throw new IllegalArgumentException(
                "--decision: '" + decision + "' (expected: allow, deny or error)");
          }
          query.decision(decision);
        }
        if (options.status() != null) {
          query.status(status(options.status()));
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
