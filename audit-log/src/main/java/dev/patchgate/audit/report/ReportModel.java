package dev.patchgate.audit.report;

import java.util.List;

/**
 * A finished report, before it is rendered as a table, CSV or HTML: rows grouped by client, each a
 * list of cells described by the columns.
 *
 * @param title the report's title
 * @param notes lines that say what was asked (period, filters)
 * @param flag the name of a per-client flag (e.g. {@code unregistered}), or {@code null}
 * @param columns the columns after the client (and flag) column
 * @param rows the rows, already in order
 * @param empty what to say when there are no rows
 * @param grouped true when the rows are grouped by client (the client column first, one HTML
 *     section per client); false for rows in their own order (an audit search, newest first), whose
 *     columns then carry the client themselves
 */
record ReportModel(
    String title,
    List<String> notes,
    String flag,
    List<ReportModel.Column> columns,
    List<ReportModel.Row> rows,
    String empty,
    boolean grouped) {

  /** The name of the grouping column. */
  static final String CLIENT = "client";

  ReportModel {
    notes = List.copyOf(notes);
    columns = List.copyOf(columns);
    rows = List.copyOf(rows);
  }

  /** A report grouped by client. */
  ReportModel(
      String title,
      List<String> notes,
      String flag,
      List<ReportModel.Column> columns,
      List<ReportModel.Row> rows,
      String empty) {
    this(title, notes, flag, columns, rows, empty, true);
  }

  /** How a column's cells are shown. */
  enum Kind {
    /** Text, shortened in the table beyond the column's width by cutting out its middle. */
    TEXT,
    /** A URL, shortened in the table by {@link dev.patchgate.audit.text.DisplayText#shortUrl}. */
    URL,
    /** A byte count: exact in CSV, in KiB/MiB/GiB in the table and HTML. */
    BYTES,
    /** A plain count. */
    COUNT,
    /** An ISO-8601 instant: as it is in CSV and the table, to the minute in HTML. */
    TIME
  }

  /**
   * One column.
   *
   * @param name the CSV header, lower case with underscores
   * @param title the table and HTML header
   * @param kind how cells are shown
   * @param maxWidth the widest a table cell gets, 0 for no limit
   * @param inTable false for columns only CSV and HTML carry
   * @param inHtml false for columns the HTML page leaves out because another shows the same (the
   *     file name and host are both in the shortened URL), so that the page fits a screen
   */
  record Column(
      String name, String title, Kind kind, int maxWidth, boolean inTable, boolean inHtml) {
    Column(String name, String title, Kind kind, int maxWidth, boolean inTable) {
      this(name, title, kind, maxWidth, inTable, true);
    }
  }

  /**
   * One row.
   *
   * @param client the client the row belongs to
   * @param flagged whether the client carries the report's flag
   * @param cells one per column: {@code String} for text and URLs, {@code Long} for numbers
   */
  record Row(String client, boolean flagged, List<Object> cells) {}
}
