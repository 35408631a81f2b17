package dev.patchgate.audit.report;

import dev.patchgate.audit.query.Csv;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --format csv}: every column, the client (and flag) first, in the form {@link Csv} writes:
 * RFC 4180, exact numbers, text cells safe from formula injection.
 */
final class CsvRenderer {
  private CsvRenderer() {}

  static void render(ReportModel report, Writer out) throws IOException {
    StringBuilder text = new StringBuilder(4096);
    List<String> header = new ArrayList<>();
    if (report.grouped()) {
      header.add(ReportModel.CLIENT);
    }
    if (report.flag() != null) {
      header.add(report.flag());
    }
    for (ReportModel.Column column : report.columns()) {
      header.add(column.name());
    }
    Csv.appendRow(text, header);
    for (ReportModel.Row row : report.rows()) {
      List<String> cells = new ArrayList<>(header.size());
      if (report.grouped()) {
        cells.add(Csv.text(row.client()));
      }
      if (report.flag() != null) {
        cells.add(Boolean.toString(row.flagged()));
      }
      for (Object cell : row.cells()) {
        cells.add(Csv.value(cell));
      }
      Csv.appendRow(text, cells);
      if (text.length() > 1 << 16) {
        out.append(text);
        text.setLength(0);
      }
    }
    out.append(text);
    out.flush();
  }
}
