package dev.patchgate.audit.query;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoUnit;

/**
 * Reads the {@code --since} and {@code --until} arguments of the audit tools.
 *
 * <p>Both accept a UTC date ({@code 2026-11-01}) or an ISO-8601 instant with {@code Z} or an offset
 * ({@code 2026-11-01T09:00:00Z}, {@code 2026-11-01T18:00+09:00}). The period is half-open: {@code
 * --since} is inclusive; {@code --until} is exclusive for an instant, and a date means through the
 * end of that UTC day. Dates are UTC because the day files are. Stateless.
 */
public final class AuditTimes {
  private static final DateTimeFormatter CANONICAL =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private AuditTimes() {}

  /**
   * The first instant of a {@code --since} argument.
   *
   * @throws IllegalArgumentException with a message for the user when {@code text} is neither form
   */
  public static Instant since(String text) {
    return parse("--since", text, false);
  }

  /**
   * The first instant after a {@code --until} argument: for a date, the start of the next UTC day.
   *
   * @throws IllegalArgumentException with a message for the user when {@code text} is neither form
   */
  public static Instant until(String text) {
    return parse("--until", text, true);
  }

  /**
   * {@code instant} rounded up to a millisecond, in the form the audit log writes {@code ts}
   * ({@code 2026-11-23T10:15:30.123Z}), so that bounds compare with timestamps as text.
   */
  static String canonical(Instant instant) {
    Instant ceiled = instant.truncatedTo(ChronoUnit.MILLIS);
    if (ceiled.isBefore(instant)) {
      ceiled = ceiled.plusMillis(1);
    }
    return CANONICAL.format(ceiled);
  }

  /** The UTC date {@code instant} falls on. */
  static LocalDate utcDate(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }

  private static Instant parse(String option, String text, boolean endOfDay) {
    String trimmed = text.strip();
    try {
      if (trimmed.length() == 10) {
        LocalDate date = LocalDate.parse(trimmed);
        return (endOfDay ? date.plusDays(1) : date).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      return OffsetDateTime.parse(trimmed).toInstant();
    } catch (DateTimeException e) {
      throw new IllegalArgumentException(
          option
              + ": '"
              + text
              + "' (expected: a UTC date like 2026-11-01, or an instant like"
              + " 2026-11-01T09:00:00Z or 2026-11-01T18:00+09:00)",
          e);
    }
  }
}
