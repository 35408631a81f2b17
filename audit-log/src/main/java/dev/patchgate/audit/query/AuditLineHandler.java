package dev.patchgate.audit.query;

import java.io.IOException;

/** Receives the records a scan selects, in file order. */
@FunctionalInterface
public interface AuditLineHandler {
  /**
   * Takes one selected record; {@code line} is valid only during this call.
   *
   * @return true to go on, false to end the scan (a {@code --limit} was reached, the output closed)
   * @throws IOException to abort the scan, e.g. when the output cannot be written
   */
  boolean accept(AuditLine line) throws IOException;
}
