package dev.patchgate.audit.report;

import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.report.ReportModel.Column;
import dev.patchgate.audit.report.ReportModel.Kind;
import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A report as a file to download: the same CSV and HTML that {@code patchgate audit report --format
 * csv|html} writes, for callers outside this package (the console's exports), so that a report
 * downloaded from the console and one made on the command line are made by one implementation.
 *
 * <p>CSV is RFC 4180 in UTF-8 with text cells safe from formula injection; HTML is one
 * self-contained page without script that fits a 1366-pixel screen and prints on A4. Immutable.
 */
public final class ReportExport {
  /** The audit search's columns, as {@code audit query} names the fields. */
  static final List<Column> RECORD_COLUMNS =
      List.of(
          new Column(AuditFields.TS, "Time", Kind.TIME, 0, true),
          new Column(AuditFields.CLIENT, "Client", Kind.TEXT, 0, true),
          new Column(AuditFields.METHOD, "Method", Kind.TEXT, 0, true),
          new Column(AuditFields.URL, "URL", Kind.URL, 0, true),
          new Column(AuditFields.DECISION, "Decision", Kind.TEXT, 0, true),
          new Column(AuditFields.STATUS, "Status", Kind.COUNT, 0, true),
          new Column(AuditFields.ENTRY, "Entry", Kind.TEXT, 0, true),
          new Column(AuditFields.REASON, "Reason", Kind.TEXT, 0, true),
          new Column(AuditFields.USER, "User", Kind.TEXT, 0, true),
          new Column(AuditFields.BYTES_TO_CLIENT, "Bytes sent", Kind.BYTES, 0, true, false),
          new Column(AuditFields.COUNT, "Count", Kind.COUNT, 0, true, false));

  private final ReportModel model;

  private ReportExport(ReportModel model) {
    this.model = model;
  }

  /** The patch report ({@code audit report patches}) of {@code rows}, headed by {@code notes}. */
  public static ReportExport patches(List<DownloadRow> rows, List<String> notes) {
    return new ReportExport(PatchReport.model(rows, notes));
  }

  /** The denied report ({@code audit report denied}) of {@code rows}, headed by {@code notes}. */
  public static ReportExport denied(List<DeniedRow> rows, List<String> notes) {
    return new ReportExport(DeniedReport.model(rows, notes));
  }

  /**
   * Audit records in the order given (not grouped by client), each a map of field name to raw value
   * ({@code String}, {@code Long}, {@code Boolean} or null), as {@code audit query} reads them; a
   * record without {@code count} counts 1.
   */
  public static ReportExport records(List<Map<String, Object>> records, List<String> notes) {
    List<ReportModel.Row> rows = new ArrayList<>(records.size());
    for (Map<String, Object> record : records) {
      List<Object> cells = new ArrayList<>(RECORD_COLUMNS.size());
      for (Column column : RECORD_COLUMNS) {
        Object value = record.get(column.name());
        if (column.name().equals(AuditFields.COUNT) && value == null) {
          value = 1L;
        }
        boolean number = column.kind() == Kind.COUNT || column.kind() == Kind.BYTES;
        if (number) {
          cells.add(value instanceof Long ? value : null);
        } else {
          cells.add(value == null ? null : String.valueOf(value));
        }
      }
      rows.add(new ReportModel.Row("", false, cells));
    }
    return new ReportExport(
        new ReportModel(
            "Audit records", notes, null, RECORD_COLUMNS, rows, "no records match", false));
  }

  /** How many rows the export holds. */
  public int rows() {
    return model.rows().size();
  }

  /** Writes the CSV to {@code out} and flushes it. */
  public void csv(Writer out) throws IOException {
    CsvRenderer.render(model, out);
  }

  /**
   * Writes the HTML page to {@code out} and flushes it.
   *
   * @param generated when it was made, as the page says it
   */
  public void html(String generated, Writer out) throws IOException {
    HtmlRenderer.render(model, generated, out);
  }
}
