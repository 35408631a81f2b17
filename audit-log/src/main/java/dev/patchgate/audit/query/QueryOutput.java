package dev.patchgate.audit.query;

import java.io.IOException;

/** One output format of {@code audit query}; writes to a buffered stream it does not close. */
interface QueryOutput {
  /** Writes what comes before the first row (a header), if anything. */
  void begin() throws IOException;

  /** Writes one selected record. */
  void row(AuditLine line) throws IOException;

  /** Writes what comes after the last row, given how many there were, and flushes. */
  void end(long rows) throws IOException;
}
