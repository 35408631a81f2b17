package dev.patchgate.proxy.console;

import dev.patchgate.audit.report.DeniedRow;
import dev.patchgate.audit.report.DownloadRow;
import dev.patchgate.audit.text.DisplayText;
import dev.patchgate.proxy.console.data.AuditPage;
import dev.patchgate.proxy.console.data.AuditRow;
import dev.patchgate.proxy.console.data.ChainStatus;
import dev.patchgate.proxy.console.data.DeniedItem;
import dev.patchgate.proxy.console.data.DeniedPage;
import dev.patchgate.proxy.console.data.Download;
import dev.patchgate.proxy.console.data.DownloadsPage;
import dev.patchgate.proxy.console.data.Explained;
import dev.patchgate.proxy.console.data.Period;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The Downloads, Denied and Audit pages' data as the templates and the JSON API show it. Kept apart
 * from the routes so that a page and its API answer read the same rows. Values stay raw: Pebble
 * escapes them for HTML and Vert.x's JSON encoder for JSON, so neither is escaped here.
 */
final class ReportViews {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private ReportViews() {}

  /** The filter form's values, each present (the templates are strict), empty when not given. */
  static Map<String, String> form(Map<String, String> params, List<String> names) {
    Map<String, String> form = new HashMap<>();
    for (String name : names) {
      form.put(name, params.getOrDefault(name, ""));
    }
    return form;
  }

  static String period(Period p) {
    return "from "
        + WHEN.format(p.since())
        + " to "
        + (p.until() == null ? "now" : WHEN.format(p.until()))
        + " ("
        + p.files()
        + " day files, "
        + p.lines()
        + " records read)";
  }

  static String incomplete(Period p) {
    return p.complete()
        ? ""
        : "Incomplete: "
            + p.malformed()
            + " malformed lines skipped, "
            + p.unreadableFiles()
            + " files not readable to their end (the service log names them).";
  }

  static JsonObject periodJson(Period p) {
    return new JsonObject()
        .put("since", p.since().toString())
        .put("until", p.until() == null ? null : p.until().toString())
        .put("files", p.files())
        .put("lines", p.lines())
        .put("malformed", p.malformed())
        .put("unreadable_files", p.unreadableFiles());
  }

  static List<Map<String, Object>> downloadRows(DownloadsPage page) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (Download d : page.rows()) {
      DownloadRow r = d.row();
      Map<String, Object> row = new HashMap<>();
      row.put("client", r.client());
      row.put("kb", r.kb());
      row.put("file", r.fileName());
      row.put("url", r.url());
      row.put("shortUrl", d.shortUrl());
      row.put("entry", r.entry());
      row.put("completeness", r.completeness().label());
      row.put("complete", r.completeness().name().equals("COMPLETE"));
      row.put("source", r.source());
      row.put("requests", r.requests());
      row.put("firstSeen", r.firstSeen());
      row.put("lastSeen", r.lastSeen());
      rows.add(row);
    }
    return rows;
  }

  static JsonObject downloadsJson(DownloadsPage page) {
    JsonArray rows = new JsonArray();
    for (Download d : page.rows()) {
      DownloadRow r = d.row();
      rows.add(
          new JsonObject()
              .put("client", r.client())
              .put("kb", r.kb())
              .put("file_name", r.fileName())
              .put("url", r.url())
              .put("host", r.host())
              .put("entry", r.entry())
              .put("size", r.size())
              .put("bytes_sent", r.bytesSent())
              .put("completeness", r.completeness().label())
              .put("source", r.source())
              .put("requests", r.requests())
              .put("first_seen", r.firstSeen())
              .put("last_seen", r.lastSeen()));
    }
    return new JsonObject()
        .put("rows", rows)
        .put("more", page.more())
        .put("coverage", page.coverage().map(ReviewViews::coverageRowsJson).orElse(new JsonArray()))
        .put(
            "coverage_summary",
            page.coverage().map(ReviewViews::coverageSummaryJson).orElse(new JsonArray()))
        .put("kb_sources", page.kbSources())
        .put("period", periodJson(page.period()));
  }

  static List<Map<String, Object>> deniedRows(DeniedPage page) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (DeniedItem item : page.rows()) {
      DeniedRow r = item.row();
      Map<String, Object> row = new HashMap<>();
      row.put("client", r.client());
      row.put("unregistered", r.unregistered());
      row.put("target", r.target());
      row.put("reason", r.reason());
      row.put("count", r.count());
      row.put("firstSeen", r.firstSeen());
      row.put("lastSeen", r.lastSeen());
      row.put("request", item.method().isEmpty() ? "" : item.method() + " " + item.url());
      row.put("shortRequest", item.method().isEmpty() ? "" : item.method() + " " + item.shortUrl());
      row.put("explain", shortLines(item.explained().map(Explained::lines).orElse(List.of())));
      row.put("snippet", item.snippet().orElse(""));
      rows.add(row);
    }
    return rows;
  }

  /**
   * Explanation lines as the Denied page shows them: each one short line (its request's URL can be
   * thousands of characters), whole in {@code whole} for the hover. The JSON keeps them as they are
   * in {@code explain}, and as shown in {@code short_explain} for the page's live refresh.
   */
  private static List<Map<String, String>> shortLines(List<String> lines) {
    List<Map<String, String>> shown = new ArrayList<>();
    for (String line : lines) {
      String whole = DisplayText.clean(line);
      shown.add(Map.of("text", DisplayText.middleEllipsis(whole, LINE_WIDTH), "whole", whole));
    }
    return shown;
  }

  static JsonObject deniedJson(DeniedPage page) {
    JsonArray rows = new JsonArray();
    for (DeniedItem item : page.rows()) {
      DeniedRow r = item.row();
      rows.add(
          new JsonObject()
              .put("client", r.client())
              .put("unregistered", r.unregistered())
              .put("target", r.target())
              .put("reason", r.reason())
              .put("count", r.count())
              .put("first_seen", r.firstSeen())
              .put("last_seen", r.lastSeen())
              .put("method", item.method())
              .put("url", item.url())
              .put("short_url", item.shortUrl())
              .put(
                  "explain",
                  new JsonArray(item.explained().map(Explained::lines).orElse(List.of())))
              .put(
                  "short_explain",
                  new JsonArray(
                      shortLines(item.explained().map(Explained::lines).orElse(List.of())).stream()
                          .map(line -> line.get("text"))
                          .toList()))
              .put("allowed_now", item.explained().map(Explained::allowed).orElse(null))
              .put("snippet", item.snippet().orElse(null)));
    }
    return new JsonObject()
        .put("rows", rows)
        .put("more", page.more())
        .put("period", periodJson(page.period()));
  }

  /** The fields an audit search's table shows, in order; the whole record is in the API. */
  static final List<String> AUDIT_COLUMNS =
      List.of("ts", "client", "method", "decision", "status", "entry", "reason", "user");

  /**
   * The widest an audit search cell other than the URL gets, in characters; its whole value
   * (control and bidi characters made visible, as everywhere) is the cell's {@code title}.
   */
  static final int CELL_WIDTH = 60;

  /** The widest a line of the Denied page's explanations gets, in characters. */
  static final int LINE_WIDTH = 120;

  static List<Map<String, Object>> auditRows(AuditPage page) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (AuditRow r : page.rows()) {
      Map<String, Object> row = new HashMap<>();
      Map<String, String> whole = new HashMap<>();
      for (String column : AUDIT_COLUMNS) {
        Object value = r.fields().get(column);
        String text = value == null ? "" : DisplayText.clean(String.valueOf(value));
        // A user name or reason can hold what a client typed: one short line, whole on hover.
        row.put(column, DisplayText.middleEllipsis(text, CELL_WIDTH));
        whole.put(column, text);
      }
      row.put("whole", whole);
      Object url = r.fields().get("url");
      row.put("url", url == null ? "" : String.valueOf(url));
      row.put("shortUrl", r.shortUrl());
      row.put("host", String.valueOf(r.fields().getOrDefault("host", "")));
      rows.add(row);
    }
    return rows;
  }

  static JsonObject auditJson(AuditPage page) {
    JsonArray rows = new JsonArray();
    for (AuditRow r : page.rows()) {
      rows.add(new JsonObject(new LinkedHashMap<>(r.fields())));
    }
    return new JsonObject()
        .put("rows", rows)
        .put("total", page.total())
        .put("page", page.page())
        .put("limit", page.limit())
        .put("more", page.more())
        .put("chain", chainJson(page.chain()))
        .put("period", periodJson(page.period()));
  }

  static JsonObject chainJson(ChainStatus c) {
    return new JsonObject()
        .put("state", c.state().name().toLowerCase(java.util.Locale.ROOT))
        .put("records", c.records())
        .put("file", c.file())
        .put("line", c.line())
        .put("message", c.message())
        .put("checked_at", c.checkedAt().toString());
  }

  static String chain(ChainStatus c) {
    return switch (c.state()) {
      case OK -> "intact: " + c.records() + " records checked";
      case BROKEN -> "BROKEN at " + c.file() + " line " + c.line() + ": " + c.message();
      case UNKNOWN -> "not verified: " + c.message();
    };
  }

  static String checkedAt(Instant at) {
    return WHEN.format(at);
  }

  /** The query string of {@code params} with {@code page} set: a paging link. */
  static String withPage(Map<String, String> params, int page) {
    Map<String, String> q = new LinkedHashMap<>(params);
    q.put("page", Integer.toString(page));
    return queryString(q);
  }

  /** {@code params} that are not blank as a query string, without the {@code ?}. */
  static String queryString(Map<String, String> params) {
    return params.entrySet().stream()
        .filter(e -> !e.getValue().isBlank())
        .map(
            e ->
                URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)
                    + "="
                    + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
        .collect(Collectors.joining("&"));
  }
}
