package dev.patchgate.audit.report;

import dev.patchgate.audit.query.DisplayText;
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
  private static final String GAP = "  ";

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
    int width = lines.get(0).length;
    int[] widths = new int[width];
    for (String[] line : lines) {
      for (int i = 0; i < width; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    int offset = width - columns.size();
    String newline = System.lineSeparator();
    for (String[] line : lines) {
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < width; i++) {
        boolean right = i >= offset && isNumber(columns.get(i - offset)) && line != lines.get(0);
        String cell = line[i];
        String pad = " ".repeat(widths[i] - cell.length());
        text.append(right ? pad + cell : cell + (i == width - 1 ? "" : pad));
        if (i < width - 1) {
          text.append(GAP);
        }
      }
      out.write(text.toString().stripTrailing());
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
      case TEXT -> shorten(DisplayText::middleEllipsis, column, DisplayText.clean((String) value));
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
