package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditFields;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code --format csv}: a header row of the field names ({@link AuditFields#IN_ORDER}, then {@link
 * AuditFields#SUMMARY_IN_ORDER}, then {@link AuditFields#SEQ}), one row per record, as {@link Csv}
 * writes them. The {@code count} column is 1 for an ordinary record, so a spreadsheet's sum of it
 * is the number of requests; the other summary columns are empty on ordinary records.
 */
final class CsvOutput implements QueryOutput {
  static final List<String> COLUMNS = columns();

  private final Writer out;
  private final StringBuilder row = new StringBuilder(512);
  private final List<String> cells = new ArrayList<>(COLUMNS.size());

  CsvOutput(Writer out) {
    this.out = out;
  }

  @Override
  public void begin() throws IOException {
    row.setLength(0);
    Csv.appendRow(row, COLUMNS);
    out.append(row);
  }

  @Override
  public void row(AuditLine line) throws IOException {
    cells.clear();
    for (String column : COLUMNS) {
      Object value = column.equals(AuditFields.COUNT) ? line.count() : line.fields().get(column);
      cells.add(Csv.value(value));
    }
    row.setLength(0);
    Csv.appendRow(row, cells);
    out.append(row);
  }

  @Override
  public void end(long rows) throws IOException {
    out.flush();
  }

  private static List<String> columns() {
    List<String> columns = new ArrayList<>(AuditFields.IN_ORDER);
    columns.addAll(AuditFields.SUMMARY_IN_ORDER);
    columns.add(AuditFields.SEQ);
    return List.copyOf(columns);
  }
}
