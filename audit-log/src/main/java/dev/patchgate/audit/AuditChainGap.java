package dev.patchgate.audit;

import java.util.Objects;

/**
 * A {@code gap} marker found in an intact chain: a place where the gateway itself recorded that
 * records may be missing (a torn last line after a crash, an unclean stop, dropped records).
 * Immutable.
 *
 * @param file the day file's name
 * @param line the marker's line number in that file, from 1
 * @param seq the marker's seq
 * @param description its reason, with the torn line's length or the number of dropped records
 */
public record AuditChainGap(String file, long line, long seq, String description) {

  /** Checks that no component is {@code null}. */
  public AuditChainGap {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(description, "description");
  }
}
