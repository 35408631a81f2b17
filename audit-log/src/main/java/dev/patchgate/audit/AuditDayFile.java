package dev.patchgate.audit;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The audit file that holds one UTC day: {@code audit-YYYY-MM-DD.jsonl}, or after rotation {@code
 * audit-YYYY-MM-DD.jsonl.gz}. Immutable.
 *
 * @param date the UTC day
 * @param path the file
 * @param gzipped whether {@code path} is gzip-compressed
 */
public record AuditDayFile(LocalDate date, Path path, boolean gzipped) {

  /** Checks that no component is {@code null}. */
  public AuditDayFile {
    Objects.requireNonNull(date, "date");
    Objects.requireNonNull(path, "path");
  }

  /** The file's name, as reports and the verifier name it. */
  public String fileName() {
    return path.getFileName().toString();
  }
}
