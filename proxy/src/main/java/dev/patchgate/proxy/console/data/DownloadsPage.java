package dev.patchgate.proxy.console.data;

import java.util.List;
import java.util.Optional;

/**
 * The Downloads page: the patch report's rows in scope, and the coverage report when KB numbers
 * were asked for.
 *
 * @param rows at most the row limit, in the report's order (client, then first download)
 * @param more true when rows beyond the limit were left out: narrow the filters or the period
 * @param coverage the coverage of the KB numbers asked for; empty when none was
 * @param kbSources where KB numbers were read from, in words
 * @param period what was read
 */
public record DownloadsPage(
    List<Download> rows,
    boolean more,
    Optional<Coverage> coverage,
    String kbSources,
    Period period) {

  /** Copies the list. */
  public DownloadsPage {
    rows = List.copyOf(rows);
  }
}
