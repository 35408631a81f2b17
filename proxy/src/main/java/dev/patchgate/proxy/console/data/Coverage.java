package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.report.CoverageRow;
import dev.patchgate.audit.report.CoverageSummary;
import java.util.List;

/**
 * The coverage of KB numbers over the clients seen in the period, as {@code audit report coverage}
 * computes it, narrowed to what the user may see.
 *
 * @param summaries per KB number: clients seen, complete, incomplete, none (over every client, not
 *     only the rows kept)
 * @param rows per client and KB number, at most the row limit
 * @param more true when rows beyond the limit were left out
 * @param period what was read
 */
public record Coverage(
    List<CoverageSummary> summaries, List<CoverageRow> rows, boolean more, Period period) {

  /** Copies the lists. */
  public Coverage {
    summaries = List.copyOf(summaries);
    rows = List.copyOf(rows);
  }
}
