package dev.patchgate.proxy.console.data;

import java.util.List;

/**
 * A page of an audit search, newest first.
 *
 * @param rows the page's records
 * @param total how many records in scope match (within the period)
 * @param page the page, from 1
 * @param limit records per page
 * @param chain the chain status of the audit log ({@code audit verify})
 * @param period what was read
 */
public record AuditPage(
    List<AuditRow> rows, long total, int page, int limit, ChainStatus chain, Period period) {
  /** Copies the list. */
  public AuditPage {
    rows = List.copyOf(rows);
  }

  /** Whether there are older records after this page. */
  public boolean more() {
    return (long) page * limit < total;
  }
}
