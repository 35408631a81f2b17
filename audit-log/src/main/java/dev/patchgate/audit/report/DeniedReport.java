package dev.patchgate.audit.report;

import dev.patchgate.audit.report.ReportModel.Column;
import dev.patchgate.audit.report.ReportModel.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Lays the denied report's rows out as a {@link ReportModel}. */
final class DeniedReport {
  static final String FLAG = "unregistered";
  static final List<Column> COLUMNS =
      List.of(
          new Column("target", "Host", Kind.URL, 64, true),
          new Column("reason", "Reason", Kind.TEXT, 0, true),
          new Column("count", "Count", Kind.COUNT, 0, true),
          new Column("first_seen", "First seen", Kind.TIME, 0, true),
          new Column("last_seen", "Last seen", Kind.TIME, 0, true));

  private DeniedReport() {}

  static ReportModel model(List<DeniedRow> denied, List<String> notes) {
    List<ReportModel.Row> rows = new ArrayList<>(denied.size());
    for (DeniedRow d : denied) {
      List<Object> cells =
          Arrays.asList(d.target(), d.reason(), d.count(), d.firstSeen(), d.lastSeen());
      rows.add(new ReportModel.Row(d.client(), d.unregistered(), cells));
    }
    return new ReportModel("Denied requests", notes, FLAG, COLUMNS, rows, "no denied requests");
  }
}
