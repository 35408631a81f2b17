package dev.patchgate.audit.report;

import dev.patchgate.audit.text.ByteSize;
import dev.patchgate.audit.text.DisplayText;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --format html}: one self-contained page to keep, mail or print.
 *
 * <p>Inline CSS only: no script, no image, no link, nothing fetched from anywhere, and a
 * Content-Security-Policy that forbids all of it should an escaping mistake ever slip in. Every
 * value is HTML-escaped after {@link DisplayText#clean}, because URLs and hosts are chosen by
 * whoever sent the request. One section per client; {@code @media print} keeps a section's header
 * row on every page and drops the screen colours.
 */
final class HtmlRenderer {
  private static final String STYLE =
      """
      body{font:13px/1.4 system-ui,-apple-system,"Segoe UI","Yu Gothic UI",Meiryo,sans-serif;\
      margin:24px;color:#1a1a1a}
      h1{font-size:20px;margin:0 0 4px}
      h2{font-size:15px;margin:24px 0 6px;border-bottom:1px solid #999}
      p.notes{margin:0 0 16px;color:#444}
      table{border-collapse:collapse;width:100%}
      th,td{border:1px solid #bbb;padding:3px 6px;text-align:left;vertical-align:top}
      th{background:#eee}
      td.n{text-align:right;white-space:nowrap}
      td.u{word-break:break-all;font-family:ui-monospace,Consolas,monospace;font-size:12px}
      .flag{background:#b00020;color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;\
      margin-left:8px}
      @media print{body{margin:0;font-size:10px}th{background:none}\
      .flag{background:none;color:#000;border:1px solid #000}\
      section{break-inside:avoid-page}thead{display:table-header-group}tr{break-inside:avoid}}
      """;

  private HtmlRenderer() {}

  static void render(ReportModel report, String generated, Writer out) throws IOException {
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\"")
        .append(" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n")
        .append("<title>")
        .append(escape(report.title()))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(escape(report.title()))
        .append("</h1>\n<p class=\"notes\">");
    List<String> notes = new ArrayList<>(report.notes());
    notes.add("Generated " + generated);
    for (int i = 0; i < notes.size(); i++) {
      h.append(i > 0 ? "<br>" : "").append(escape(notes.get(i)));
    }
    h.append("</p>\n");
    if (report.rows().isEmpty()) {
      h.append("<p>").append(escape(report.empty())).append(".</p>\n");
    }
    String client = null;
    for (ReportModel.Row row : report.rows()) {
      if (!row.client().equals(client)) {
        if (client != null) {
          h.append("</tbody>\n</table>\n</section>\n");
        }
        client = row.client();
        section(h, report, row);
      }
      h.append("<tr>");
      for (int i = 0; i < row.cells().size(); i++) {
        cell(h, report.columns().get(i), row.cells().get(i));
      }
      h.append("</tr>\n");
      if (h.length() > 1 << 16) {
        out.append(h);
        h.setLength(0);
      }
    }
    if (client != null) {
      h.append("</tbody>\n</table>\n</section>\n");
    }
    h.append("</body>\n</html>\n");
    out.append(h);
    out.flush();
  }

  private static void section(StringBuilder h, ReportModel report, ReportModel.Row row) {
    h.append("<section>\n<h2>").append(escape(row.client()));
    if (row.flagged()) {
      h.append("<span class=\"flag\">")
          .append(escape(report.flag().toUpperCase(Locale.ROOT)))
          .append("</span>");
    }
    h.append("</h2>\n<table>\n<thead><tr>");
    for (ReportModel.Column column : report.columns()) {
      h.append("<th>").append(escape(column.title())).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
  }

  private static void cell(StringBuilder h, ReportModel.Column column, Object value) {
    if (value == null || "".equals(value)) {
      h.append("<td></td>");
      return;
    }
    switch (column.kind()) {
      case BYTES ->
          h.append("<td class=\"n\" title=\"")
              .append(value)
              .append(" bytes\">")
              .append(escape(ByteSize.human((Long) value)))
              .append("</td>");
      case COUNT -> h.append("<td class=\"n\">").append(value).append("</td>");
      case URL -> h.append("<td class=\"u\">").append(escape((String) value)).append("</td>");
      case TEXT -> h.append("<td>").append(escape((String) value)).append("</td>");
    }
  }

  /** Escapes text for element content and quoted attribute values. */
  static String escape(String text) {
    String clean = DisplayText.clean(text);
    StringBuilder out = null;
    for (int i = 0; i < clean.length(); i++) {
      String entity =
          switch (clean.charAt(i)) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
          };
      if (entity != null && out == null) {
        out = new StringBuilder(clean.length() + 16).append(clean, 0, i);
      }
      if (out != null) {
        if (entity != null) {
          out.append(entity);
        } else {
          out.append(clean.charAt(i));
        }
      }
    }
    return out == null ? clean : out.toString();
  }
}
