package dev.patchgate.audit.report;

import dev.patchgate.audit.text.ByteSize;
import dev.patchgate.audit.text.DisplayText;
import dev.patchgate.audit.text.TextTable;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code --format table}: the report's table columns aligned to their widest cell (within each
 * column's limit), numbers right-aligned, values made safe by {@link DisplayText#clean}.
 */
final class TextTableRenderer {
  private TextTableRenderer() {}

  static void render(ReportModel report, Writer out) throws IOException {
    List<ReportModel.Column> columns = new ArrayList<>();
    for (ReportModel.Column column : report.columns()) {
      if (column.inTable()) {
        columns.add(column);
      }
    }
    List<String[]> lines = new ArrayList<>();
    lines.add(header(report, columns));
    for (ReportModel.Row row : report.rows()) {
      lines.add(cells(report, columns, row));
    }
    List<TextTable.Align> align = new ArrayList<>();
    for (int i = columns.size(); i < lines.get(0).length; i++) {
      align.add(TextTable.Align.LEFT);
    }
    for (ReportModel.Column column : columns) {
      align.add(isNumber(column) ? TextTable.Align.RIGHT : TextTable.Align.LEFT);
    }
    String newline = System.lineSeparator();
    for (String line : TextTable.lines(lines, align, TextTable.Header.LEFT)) {
      out.write(line);
      out.write(newline);
    }
    if (report.rows().isEmpty()) {
      out.write("(" + report.empty() + ")" + newline);
    }
    out.flush();
  }

  private static String[] header(ReportModel report, List<ReportModel.Column> columns) {
    List<String> titles = new ArrayList<>();
    titles.add(ReportModel.CLIENT.toUpperCase(Locale.ROOT));
    if (report.flag() != null) {
      titles.add("FLAG");
    }
    for (ReportModel.Column column : columns) {
      titles.add(column.title().toUpperCase(Locale.ROOT));
    }
    return titles.toArray(String[]::new);
  }

  private static String[] cells(
      ReportModel report, List<ReportModel.Column> columns, ReportModel.Row row) {
    List<String> cells = new ArrayList<>();
    cells.add(DisplayText.clean(row.client()));
    if (report.flag() != null) {
      cells.add(row.flagged() ? report.flag().toUpperCase(Locale.ROOT) : "");
    }
    for (ReportModel.Column column : columns) {
      cells.add(cell(column, row.cells().get(report.columns().indexOf(column))));
    }
    return cells.toArray(String[]::new);
  }

  private static String cell(ReportModel.Column column, Object value) {
    if (value == null || "".equals(value)) {
      return "-";
    }
    return switch (column.kind()) {
      case BYTES -> ByteSize.human((Long) value);
      case COUNT -> value.toString();
      case URL -> shorten(DisplayText::shortUrl, column, DisplayText.clean((String) value));
      case TEXT, TIME ->
          shorten(DisplayText::middleEllipsis, column, DisplayText.clean((String) value));
    };
  }

  private static String shorten(Shortener how, ReportModel.Column column, String text) {
    return column.maxWidth() > 0 ? how.shorten(text, column.maxWidth()) : text;
  }

  private static boolean isNumber(ReportModel.Column column) {
    return column.kind() == ReportModel.Kind.BYTES || column.kind() == ReportModel.Kind.COUNT;
  }

  @FunctionalInterface
  private interface Shortener {
    String shorten(String text, int max);
  }
}
