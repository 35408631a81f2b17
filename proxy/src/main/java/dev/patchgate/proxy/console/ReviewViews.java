package dev.patchgate.proxy.console;

import dev.patchgate.audit.report.AnomalyFinding;
import dev.patchgate.audit.report.CoverageRow;
import dev.patchgate.audit.report.CoverageSummary;
import dev.patchgate.proxy.console.data.AnomalyPage;
import dev.patchgate.proxy.console.data.Coverage;
import dev.patchgate.proxy.console.data.Period;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The anomaly findings and the coverage as the templates and the JSON API show them, so that a page
 * and its API answer hold the same rows. Values stay raw: Pebble and Vert.x's JSON encoder escape.
 */
final class ReviewViews {
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private ReviewViews() {}

  /** What the Anomalies page reviewed: the period, its baseline, and what was read. */
  static String reviewed(AnomalyPage page) {
    Period p = page.period();
    long days = Duration.between(page.baselineStart(), p.since()).toDays();
    return "from "
        + WHEN.format(p.since())
        + " to "
        + WHEN.format(p.until())
        + ", compared with the "
        + days
        + " days before ("
        + p.files()
        + " day files, "
        + p.lines()
        + " records read)";
  }

  static List<Map<String, Object>> anomalyRows(AnomalyPage page) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (AnomalyFinding f : page.findings()) {
      Map<String, Object> row = new HashMap<>();
      row.put("kind", f.kind().wireName());
      row.put("client", f.client());
      row.put("subject", f.subject());
      row.put("count", f.count());
      row.put("firstSeen", WHEN.format(Instant.ofEpochMilli(f.first())));
      row.put("lastSeen", WHEN.format(Instant.ofEpochMilli(f.last())));
      row.put("evidence", f.evidence());
      row.put("baseline", f.baseline());
      rows.add(row);
    }
    return rows;
  }

  static JsonObject anomaliesJson(AnomalyPage page) {
    JsonArray rows = new JsonArray();
    for (AnomalyFinding f : page.findings()) {
      rows.add(
          new JsonObject()
              .put("kind", f.kind().wireName())
              .put("client", f.client())
              .put("subject", f.subject())
              .put("count", f.count())
              .put("first_seen", Instant.ofEpochMilli(f.first()).toString())
              .put("last_seen", Instant.ofEpochMilli(f.last()).toString())
              .put("evidence", f.evidence())
              .put("baseline", f.baseline()));
    }
    return new JsonObject()
        .put("rows", rows)
        .put("baseline_start", page.baselineStart().toString())
        .put("clients", page.clients().isEmpty() ? null : page.clients())
        .put("kinds", new JsonArray(page.kinds()))
        .put("turned_off", new JsonArray(page.turnedOff()))
        .put("period", ReportViews.periodJson(page.period()));
  }

  /** The Downloads page's coverage section: a summary per KB number, then a row per client. */
  static Map<String, Object> coverage(Coverage coverage) {
    List<Map<String, Object>> summaries = new ArrayList<>();
    for (CoverageSummary s : coverage.summaries()) {
      Map<String, Object> summary = new HashMap<>();
      summary.put("kb", s.target());
      summary.put("clients", s.clients());
      summary.put("complete", s.complete());
      summary.put("completePercent", s.percent(s.complete()));
      summary.put("incomplete", s.incomplete());
      summary.put("incompletePercent", s.percent(s.incomplete()));
      summary.put("none", s.none());
      summary.put("nonePercent", s.percent(s.none()));
      summaries.add(summary);
    }
    List<Map<String, Object>> rows = new ArrayList<>();
    for (CoverageRow r : coverage.rows()) {
      Map<String, Object> row = new HashMap<>();
      row.put("client", r.client());
      row.put("kb", r.target());
      row.put("status", r.status());
      row.put("files", r.files());
      row.put("source", r.source());
      row.put("lastDownload", r.lastDownload());
      row.put("lastSeen", r.lastSeen());
      rows.add(row);
    }
    Map<String, Object> shown = new HashMap<>();
    shown.put("summaries", summaries);
    shown.put("rows", rows);
    shown.put("more", coverage.more());
    return shown;
  }

  static JsonArray coverageRowsJson(Coverage coverage) {
    JsonArray rows = new JsonArray();
    for (CoverageRow c : coverage.rows()) {
      rows.add(
          new JsonObject()
              .put("client", c.client())
              .put("kb", c.target())
              .put("status", c.status())
              .put("files", c.files())
              .put("source", c.source())
              .put("first_download", c.firstDownload())
              .put("last_download", c.lastDownload())
              .put("first_seen", c.firstSeen())
              .put("last_seen", c.lastSeen()));
    }
    return rows;
  }

  static JsonArray coverageSummaryJson(Coverage coverage) {
    JsonArray summaries = new JsonArray();
    for (CoverageSummary s : coverage.summaries()) {
      summaries.add(
          new JsonObject()
              .put("kb", s.target())
              .put("clients", s.clients())
              .put("complete", s.complete())
              .put("incomplete", s.incomplete())
              .put("none", s.none()));
    }
    return summaries;
  }

  static JsonObject coverageJson(Coverage coverage) {
    return new JsonObject()
        .put("rows", coverageRowsJson(coverage))
        .put("summary", coverageSummaryJson(coverage))
        .put("more", coverage.more())
        .put("period", ReportViews.periodJson(coverage.period()));
  }
}
