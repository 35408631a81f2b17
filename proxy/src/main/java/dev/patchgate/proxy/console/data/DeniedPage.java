package dev.patchgate.proxy.console.data;

import java.util.List;

/**
 * The Denied page: the denied report's rows in scope, each explained.
 *
 * @param rows at most the row limit, in the report's order (client, then most frequent)
 * @param more true when rows beyond the limit were left out
 * @param period what was read
 */
public record DeniedPage(List<DeniedItem> rows, boolean more, Period period) {
  /** Copies the list. */
  public DeniedPage {
    rows = List.copyOf(rows);
  }
}
