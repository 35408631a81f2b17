package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.query.ScanSummary;
import java.time.Instant;

/**
 * What a page read of the audit log: the period and what the scan met, so that the page can say
 * "from ... to ..." and warn when the answer may be incomplete.
 *
 * @param since the inclusive start
 * @param until the exclusive end, or null for now
 * @param files day files read
 * @param lines lines read
 * @param malformed lines skipped as malformed
 * @param unreadableFiles files not readable to their end
 */
public record Period(
    Instant since, Instant until, int files, long lines, long malformed, int unreadableFiles) {

  static Period of(Filters filters, ScanSummary summary) {
    return new Period(
        filters.since(),
        filters.until(),
        summary.files(),
        summary.lines(),
        summary.malformed(),
        summary.unreadableFiles());
  }

  /** Whether every file of the period was read to its end and no line was skipped. */
  public boolean complete() {
    return malformed == 0 && unreadableFiles == 0;
  }
}
