package dev.patchgate.audit.report;

import dev.patchgate.audit.report.ReportModel.Column;
import dev.patchgate.audit.report.ReportModel.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** Lays the patch report's rows out as a {@link ReportModel}. */
final class PatchReport {
  static final List<Column> COLUMNS =
      List.of(
          new Column("first_seen", "First seen", Kind.TIME, 0, true),
          new Column("last_seen", "Last seen", Kind.TIME, 0, true),
          new Column("kb", "KB", Kind.TEXT, 0, true),
          new Column("file", "File", Kind.TEXT, 56, true, false),
          new Column("host", "Host", Kind.TEXT, 40, true, false),
          new Column("size_bytes", "Size", Kind.BYTES, 0, true),
          new Column("complete", "Complete", Kind.TEXT, 0, true),
          new Column("source", "Source", Kind.TEXT, 0, true),
          new Column("requests", "Requests", Kind.COUNT, 0, true),
          new Column("bytes_sent", "Bytes sent", Kind.BYTES, 0, false, false),
          new Column("entry", "Entry", Kind.TEXT, 0, false),
          new Column("url", "URL", Kind.URL, 0, false));

  private PatchReport() {}

  static ReportModel model(List<DownloadRow> downloads, List<String> notes) {
    List<ReportModel.Row> rows = new ArrayList<>(downloads.size());
    for (DownloadRow d : downloads) {
      List<Object> cells =
          Arrays.asList(
              d.firstSeen(),
              d.lastSeen(),
              d.kb(),
              d.fileName(),
              d.host(),
              d.size(),
              d.completeness().label(),
              d.source(),
              d.requests(),
              d.bytesSent(),
              d.entry(),
              d.url());
      rows.add(new ReportModel.Row(d.client(), false, cells));
    }
    return new ReportModel("Patch downloads", notes, null, COLUMNS, rows, "no downloads found");
  }
}
