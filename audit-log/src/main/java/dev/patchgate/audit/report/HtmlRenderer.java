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
 * whoever sent the request. One section per client.
 *
 * <p>The page fits a 1366-pixel screen and an A4 landscape sheet: the table's layout is fixed, each
 * column gets a share of {@link #LINE_CHARS} from its widest cell, and when they do not all fit the
 * widest columns give way. A cell longer than {@link #CELL_LINES} lines of its column loses its
 * middle ({@link DisplayText#urlCuts}: a URL keeps its host and file name); the cut part stays in
 * the page at font size 0, so the whole value is what a selection copies, and it is also the cell's
 * {@code title}, shown on hover. Rows never split across printed pages.
 */
final class HtmlRenderer {
  /**
   * Characters across the page: 12-pixel monospace on a 1366-pixel screen, or 9-pixel type on A4
   * landscape (277 mm between the margins), with about a tenth to spare for the digits and capitals
   * of proportional fonts, which are wider.
   */
  static final int LINE_CHARS = 170;

  /** The lines a shortened cell may take; rows stay short enough to read at a glance. */
  static final int CELL_LINES = 2;

  /** What padding and borders take from a column, in characters. */
  private static final int PAD = 2;

  private static final String STYLE =
      """
      body{font:13px/1.4 system-ui,-apple-system,"Segoe UI","Yu Gothic UI",Meiryo,sans-serif;\
      margin:16px;color:#1a1a1a}
      h1{font-size:20px;margin:0 0 4px}
      h2{font-size:15px;margin:20px 0 6px;border-bottom:1px solid #999;overflow-wrap:anywhere}
      p.notes{margin:0 0 12px;color:#444;overflow-wrap:anywhere}
      table{border-collapse:collapse;width:100%;table-layout:fixed;font-size:12px}
      th,td{border:1px solid #bbb;padding:2px 5px;text-align:left;vertical-align:top}
      th{background:#eee;font-weight:600}
      td{overflow-wrap:anywhere}
      td.n{text-align:right;white-space:nowrap;overflow:hidden}
      td.u{font-family:ui-monospace,Consolas,"DejaVu Sans Mono",monospace;word-break:break-all}
      .cut{font-size:0}
      .cut::before{content:"\\2026";font-size:12px;color:#b00020}
      .flag{background:#b00020;color:#fff;border-radius:3px;padding:1px 6px;font-size:12px;\
      margin-left:8px}
      @page{size:A4 landscape;margin:10mm}
      @media print{body{margin:0;font-size:10px}table{font-size:9px}th{background:none}\
      .cut::before{font-size:9px;color:inherit}\
      .flag{background:none;color:#000;border:1px solid #000}\
      h2{break-after:avoid}thead{display:table-header-group}tr{break-inside:avoid}}
      """;

  private HtmlRenderer() {}

  static void render(ReportModel report, String generated, Writer out) throws IOException {
    List<Integer> shown = shown(report);
    int[] widths = widths(report, shown);
    StringBuilder h = new StringBuilder(8192);
    h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
        .append("<meta http-equiv=\"Content-Security-Policy\"")
        .append(" content=\"default-src 'none'; style-src 'unsafe-inline';")
        .append(" base-uri 'none'; form-action 'none'\">\n")
        .append("<meta name=\"viewport\" content=\"width=device-width\">\n")
        .append("<title>")
        .append(escape(report.title()))
        .append("</title>\n<style>\n")
        .append(STYLE)
        .append("</style>\n</head>\n<body>\n<h1>")
        .append(escape(report.title()))
        .append("</h1>\n<p class=\"notes\">");
    List<String> notes = new ArrayList<>(report.notes());
    notes.add("Generated " + generated + "; times are UTC; hover over a cell for its whole value");
    for (int i = 0; i < notes.size(); i++) {
      h.append(i > 0 ? "<br>" : "").append(escape(notes.get(i)));
    }
    h.append("</p>\n");
    if (report.rows().isEmpty()) {
      h.append("<p>").append(escape(report.empty())).append(".</p>\n");
    }
    String client = null;
    for (ReportModel.Row row : report.rows()) {
      if (client == null || report.grouped() && !row.client().equals(client)) {
        if (client != null) {
          h.append("</tbody>\n</table>\n</section>\n");
        }
        client = row.client();
        section(h, report, shown, widths, row);
      }
      h.append("<tr>");
      for (int i = 0; i < shown.size(); i++) {
        ReportModel.Column column = report.columns().get(shown.get(i));
        cell(h, column, widths[i], row.cells().get(shown.get(i)));
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

  /** The indexes of the columns the page shows. */
  static List<Integer> shown(ReportModel report) {
    List<Integer> shown = new ArrayList<>();
    for (int i = 0; i < report.columns().size(); i++) {
      if (report.columns().get(i).inHtml()) {
        shown.add(i);
      }
    }
    return shown;
  }

  /**
   * Each shown column's width in characters: its widest cell, or less when the columns together are
   * wider than {@link #LINE_CHARS}, cutting the widest down first but never below the longest word
   * of its title.
   */
  static int[] widths(ReportModel report, List<Integer> shown) {
    int n = shown.size();
    int[] natural = new int[n];
    int[] least = new int[n];
    for (int i = 0; i < n; i++) {
      ReportModel.Column column = report.columns().get(shown.get(i));
      for (String word : column.title().split(" ")) {
        least[i] = Math.max(least[i], word.length());
      }
      natural[i] = least[i];
      for (ReportModel.Row row : report.rows()) {
        natural[i] = Math.max(natural[i], shownLength(column, row.cells().get(shown.get(i))));
      }
    }
    int room = LINE_CHARS - PAD * n;
    int cap = 0;
    for (int w : natural) {
      cap = Math.max(cap, w);
    }
    while (cap > 1 && total(natural, least, cap) > room) {
      cap--;
    }
    int[] widths = new int[n];
    for (int i = 0; i < n; i++) {
      widths[i] = Math.max(least[i], Math.min(natural[i], cap));
    }
    return widths;
  }

  private static int total(int[] natural, int[] least, int cap) {
    int sum = 0;
    for (int i = 0; i < natural.length; i++) {
      sum += Math.max(least[i], Math.min(natural[i], cap));
    }
    return sum;
  }

  private static int shownLength(ReportModel.Column column, Object value) {
    if (value == null) {
      return 0;
    }
    return switch (column.kind()) {
      case BYTES -> ByteSize.human((Long) value).length();
      case COUNT -> value.toString().length();
      case TIME -> time((String) value).length();
      case URL, TEXT -> DisplayText.clean((String) value).length();
    };
  }

  private static void section(
      StringBuilder h, ReportModel report, List<Integer> shown, int[] widths, ReportModel.Row row) {
    h.append("<section>\n");
    if (report.grouped()) {
      h.append("<h2>").append(escape(row.client()));
      if (row.flagged()) {
        h.append("<span class=\"flag\">")
            .append(escape(report.flag().toUpperCase(Locale.ROOT)))
            .append("</span>");
      }
      h.append("</h2>\n");
    }
    h.append("<table>\n<colgroup>");
    int sum = 0;
    for (int w : widths) {
      sum += w + PAD;
    }
    for (int w : widths) {
      h.append(String.format(Locale.ROOT, "<col style=\"width:%.2f%%\">", 100.0 * (w + PAD) / sum));
    }
    h.append("</colgroup>\n<thead><tr>");
    for (int i : shown) {
      h.append("<th>").append(escape(report.columns().get(i).title())).append("</th>");
    }
    h.append("</tr></thead>\n<tbody>\n");
  }

  private static void cell(StringBuilder h, ReportModel.Column column, int width, Object value) {
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
      case TIME -> {
        String text = (String) value;
        String shown = time(text);
        h.append("<td");
        if (!shown.equals(text)) {
          h.append(" title=\"").append(escape(text)).append('"');
        }
        h.append('>').append(escape(shown)).append("</td>");
      }
      case URL -> shortened(h, " class=\"u\"", DisplayText.clean((String) value), width, true);
      case TEXT -> shortened(h, "", DisplayText.clean((String) value), width, false);
    }
  }

  /**
   * A text cell of at most {@link #CELL_LINES} lines: when {@code text} is longer, the parts cut
   * out of it are kept in {@code <span class="cut">}, drawn as one ellipsis each.
   */
  private static void shortened(
      StringBuilder h, String attributes, String text, int width, boolean url) {
    // proportional text (not URLs) may run wider than the monospace the widths count in
    int max = Math.max((url ? CELL_LINES * width : CELL_LINES * width * 3 / 4) - 1, 8);
    int[] cuts = url ? DisplayText.urlCuts(text, max) : DisplayText.middleCut(text, max);
    h.append("<td").append(attributes);
    if (cuts.length == 0) {
      h.append('>').append(escape(text)).append("</td>");
      return;
    }
    h.append(" title=\"").append(escape(text)).append("\">");
    int from = 0;
    for (int i = 0; i < cuts.length; i += 2) {
      h.append(escape(text.substring(from, cuts[i])))
          .append("<span class=\"cut\">")
          .append(escape(text.substring(cuts[i], cuts[i + 1])))
          .append("</span>");
      from = cuts[i + 1];
    }
    h.append(escape(text.substring(from))).append("</td>");
  }

  /** An ISO-8601 instant to the minute ({@code 2026-11-21 08:00}); anything else as it is. */
  static String time(String value) {
    if (value.length() >= 16
        && value.charAt(4) == '-'
        && value.charAt(7) == '-'
        && value.charAt(10) == 'T'
        && value.charAt(13) == ':') {
      return value.substring(0, 10) + ' ' + value.substring(11, 16);
    }
    return value;
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
