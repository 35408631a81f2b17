package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.report.CoverageRow;
import java.util.List;

/**
 * The Downloads page: the patch report's rows in scope, and the coverage report when KB numbers
 * were asked for.
 *
 * @param rows at most the row limit, in the report's order (client, then first download)
 * @param more true when rows beyond the limit were left out: narrow the filters or the period
 * @param coverage per client seen and KB asked for: complete, incomplete or none; empty when no KB
 *     was asked for (also cut to the row limit)
 * @param kbSources where KB numbers were read from, in words
 * @param period what was read
 */
public record DownloadsPage(
    List<Download> rows,
    boolean more,
    List<CoverageRow> coverage,
    String kbSources,
    Period period) {

  /** Copies the lists. */
  public DownloadsPage {
    rows = List.copyOf(rows);
    coverage = List.copyOf(coverage);
  }
}
