package dev.patchgate.audit;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The parts of a file name in the audit directory: {@code audit-YYYY-MM-DD.jsonl} or {@code
 * access-YYYY-MM-DD.log}, each possibly followed by {@code .gz} and, while being compressed, {@code
 * .tmp}.
 *
 * @param kind which log the file belongs to
 * @param date the UTC day it holds
 * @param gzipped whether it is (or is becoming) the compressed form
 * @param temporary whether it is an unfinished compression ({@code .gz.tmp})
 */
record DayFileName(Kind kind, LocalDate date, boolean gzipped, boolean temporary) {
  private static final Pattern NAME =
      Pattern.compile(
          "(audit-(?<adate>\\d{4}-\\d{2}-\\d{2})\\.jsonl"
              + "|access-(?<ldate>\\d{4}-\\d{2}-\\d{2})\\.log)"
              + "(?<gz>\\.gz(?<tmp>\\.tmp)?)?");

  /** The two logs that share the audit directory. */
  enum Kind {
    /** The hash-chained JSON lines. */
    AUDIT("audit-", ".jsonl"),
    /** The optional Squid-format twin. */
    ACCESS("access-", ".log");

    private final String prefix;
    private final String suffix;

    Kind(String prefix, String suffix) {
      this.prefix = prefix;
      this.suffix = suffix;
    }

    /** The plain file name of {@code date}, e.g. {@code audit-2026-11-23.jsonl}. */
    String plainName(LocalDate date) {
      return prefix + date + suffix;
    }
  }

  /** Recognises {@code fileName}; empty for anything else in the directory. */
  static Optional<DayFileName> parse(String fileName) {
    Matcher m = NAME.matcher(fileName);
    if (!m.matches()) {
      return Optional.empty();
    }
    String auditDate = m.group("adate");
    Kind kind = auditDate != null ? Kind.AUDIT : Kind.ACCESS;
    try {
      LocalDate date = LocalDate.parse(auditDate != null ? auditDate : m.group("ldate"));
      return Optional.of(
          new DayFileName(kind, date, m.group("gz") != null, m.group("tmp") != null));
    } catch (DateTimeException e) {
      return Optional.empty(); // 2026-02-30 and the like: not ours
    }
  }

  /** The file name this stands for. */
  String fileName() {
    return kind.plainName(date) + (gzipped ? ".gz" : "") + (temporary ? ".tmp" : "");
  }
}
