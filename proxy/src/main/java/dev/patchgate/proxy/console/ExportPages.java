package dev.patchgate.proxy.console;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.report.ReportExport;
import dev.patchgate.proxy.admin.AdminNote;
import dev.patchgate.proxy.console.data.AuditData;
import dev.patchgate.proxy.console.data.AuditPage;
import dev.patchgate.proxy.console.data.AuditRow;
import dev.patchgate.proxy.console.data.DeniedItem;
import dev.patchgate.proxy.console.data.DeniedPage;
import dev.patchgate.proxy.console.data.Download;
import dev.patchgate.proxy.console.data.DownloadsPage;
import dev.patchgate.proxy.console.data.Filters;
import dev.patchgate.proxy.console.data.Period;
import dev.patchgate.proxy.console.data.Scope;
import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.Role;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The CSV and HTML exports of the Downloads, Denied and Audit search pages ({@code /downloads.csv},
 * {@code /downloads.html}, and so on), and {@code /console.js}, the Denied page's live refresh.
 *
 * <p>An export reads exactly what its page reads, with the same filters, scope and row limit
 * (through {@link ConsoleRoutes#read}, so a filter outside a vendor's scope is refused 403 with a
 * deny record as on the page), and writes it with the command line's renderers ({@link
 * ReportExport}): the console's CSV is {@code audit report --format csv}'s, formula-safe, and its
 * HTML page is the self-contained one of {@code --format html}. Each export is an audit record
 * whose reason names the file and its row count.
 */
final class ExportPages {
  /** The pages that export, as their paths name them. */
  static final List<String> PAGES = List.of("downloads", "denied", "audit");

  /**
   * The HTML export's policy: its own inline CSS and nothing else. Replaces the console's {@code
   * default-src 'self'} for this answer only, which would refuse the page its style.
   */
  private static final String EXPORT_POLICY =
      "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none';"
          + " frame-ancestors 'none'";

  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyyMMdd").withZone(ZoneOffset.UTC);

  private final ConsoleRoutes routes;
  private final AuditData audit;
  private final Supplier<Allowlist> allowlist;
  private final byte[] script;

  ExportPages(ConsoleRoutes routes, AuditData audit, Supplier<Allowlist> allowlist) {
    this.routes = routes;
    this.audit = audit;
    this.allowlist = allowlist;
    this.script = ConsoleRoutes.resource("console/console.js");
  }

  /** Adds the exports and the script, behind the sign-in like the pages. */
  void mountOn(Router router) {
    router.get("/console.js").handler(this::script);
    for (String page : PAGES) {
      for (String format : List.of("csv", "html")) {
        router.get("/" + page + "." + format).handler(ctx -> export(ctx, page, format));
      }
    }
  }

  /** The export links and the live refresh's API address for a page's current filters. */
  static Map<String, String> links(String page, Map<String, String> params) {
    if (!PAGES.contains(page)) {
      return Map.of();
    }
    String query = query(params);
    return Map.of(
        "csv", "/" + page + ".csv" + query,
        "html", "/" + page + ".html" + query,
        "api", "/api/" + page + query);
  }

  private static String query(Map<String, String> params) {
    String query = ReportViews.queryString(params);
    return query.isEmpty() ? "" : "?" + query;
  }

  private void script(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/javascript; charset=utf-8")
        .end(Buffer.buffer(script));
  }

  private void export(RoutingContext ctx, String page, String format) {
    switch (page) {
      case "downloads" ->
          export(
              ctx,
              page,
              format,
              (filters, scope) -> audit.downloads(filters, scope, AuditData.DEFAULT_ROWS),
              (result, notes) ->
                  ReportExport.patches(result.rows().stream().map(Download::row).toList(), notes),
              DownloadsPage::period,
              DownloadsPage::more);
      case "denied" ->
          export(
              ctx,
              page,
              format,
              (filters, scope) ->
                  audit.denied(filters, scope, allowlist.get(), AuditData.DEFAULT_ROWS),
              (result, notes) ->
                  ReportExport.denied(result.rows().stream().map(DeniedItem::row).toList(), notes),
              DeniedPage::period,
              DeniedPage::more);
      default ->
          export(
              ctx,
              page,
              format,
              audit::search,
              (result, notes) ->
                  ReportExport.records(
                      result.rows().stream().map(AuditRow::fields).toList(), notes),
              AuditPage::period,
              result -> false);
    }
  }

  /**
   * Reads what {@code page} reads, as the page does, and answers it in {@code format}.
   *
   * @param laidOut the rows read as a report, with the notes that head it
   */
  private <T> void export(
      RoutingContext ctx,
      String page,
      String format,
      BiFunction<Filters, Scope, T> read,
      BiFunction<T, List<String>, ReportExport> laidOut,
      Function<T, Period> period,
      Predicate<T> more) {
    routes.read(
        ctx,
        false,
        read,
        unused -> null,
        (params, result) ->
            send(
                ctx,
                page,
                format,
                laidOut.apply(
                    result, notes(ctx, params, period.apply(result), more.test(result)))));
  }

  /** What the export says it holds: the period, the filters, who exported it and their scope. */
  private static List<String> notes(
      RoutingContext ctx, Map<String, String> params, Period period, boolean more) {
    List<String> notes = new ArrayList<>();
    notes.add("Period: " + ReportViews.period(period));
    String filters =
        params.entrySet().stream()
            .filter(e -> !e.getValue().isBlank())
            .map(e -> e.getKey() + " = " + e.getValue())
            .collect(Collectors.joining(", "));
    notes.add("Filters: " + (filters.isEmpty() ? "none" : filters));
    ConsoleUser user = ConsoleRoutes.user(ctx);
    notes.add(
        "Exported from the console by "
            + user.name()
            + (user.role() == Role.ADMIN
                ? " (admin)"
                : " (vendor; entries: "
                    + String.join(", ", user.entries())
                    + (user.groups().isEmpty()
                        ? ""
                        : "; client groups: " + String.join(", ", user.groups()))
                    + ")"));
    String incomplete = ReportViews.incomplete(period);
    if (!incomplete.isEmpty()) {
      notes.add(incomplete);
    }
    if (more) {
      notes.add(
          "Only the first "
              + AuditData.DEFAULT_ROWS
              + " rows, as on the page: narrow the filters or the period for the rest");
    }
    return notes;
  }

  private static void send(RoutingContext ctx, String page, String format, ReportExport export) {
    Instant now = Instant.now();
    String file = "patchgate-" + page + "-" + DAY.format(now) + "." + format;
    StringWriter body = new StringWriter();
    try {
      if (format.equals("csv")) {
        export.csv(body);
      } else {
        export.html(now.truncatedTo(ChronoUnit.SECONDS).toString(), body);
      }
    } catch (IOException e) {
      ctx.fail(e);
      return;
    }
    AdminNote.of(ctx).reason("export " + file + ": " + export.rows() + " rows");
    if (format.equals("csv")) {
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/csv; charset=utf-8; header=present")
          .putHeader(HttpHeaders.CONTENT_DISPOSITION, "attachment; filename=\"" + file + "\"");
    } else {
      // Shown in the browser, to read or print; saved, it keeps its name.
      ctx.response()
          .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
          .putHeader(HttpHeaders.CONTENT_DISPOSITION, "inline; filename=\"" + file + "\"")
          .putHeader("Content-Security-Policy", EXPORT_POLICY);
    }
    ctx.response().end(body.toString());
  }
}
