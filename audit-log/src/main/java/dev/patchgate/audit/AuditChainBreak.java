package dev.patchgate.audit;

import java.util.Objects;

/**
 * The first place where an audit log's hash chain does not hold. Immutable.
 *
 * @param file the day file's name, e.g. {@code audit-2026-11-23.jsonl.gz}
 * @param line the line number in that file, from 1 (of the decompressed content when gzipped)
 * @param seq the seq the line claims, or 0 when it has none that can be read
 * @param message what was found, in words: edited, deleted, inserted or reordered lines, a missing
 *     day file, a torn or unreadable line
 */
public record AuditChainBreak(String file, long line, long seq, String message) {

  /** Checks that no component is {@code null}. */
  public AuditChainBreak {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
  }
}
