package dev.patchgate.mirror;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * HTTP-date parsing (RFC 9110 section 5.6.7): IMF-fixdate, and the obsolete RFC 850 and asctime
 * forms that recipients must still accept. The day name is skipped rather than cross-checked.
 */
final class HttpDates {
  // After the day name and ", ": "06 Nov 1994 08:49:37 GMT".
  private static final DateTimeFormatter IMF =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("dd MMM yyyy HH:mm:ss 'GMT'")
          .toFormatter(Locale.US);
  // After the day name and ", ": "06-Nov-94 08:49:37 GMT"; two-digit years are 1970-2069.
  private static final DateTimeFormatter RFC_850 =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("dd-MMM-")
          .appendValueReduced(ChronoField.YEAR, 2, 2, 1970)
          .appendPattern(" HH:mm:ss 'GMT'")
          .toFormatter(Locale.US);
  // After the day name and " ": "Nov  6 08:49:37 1994".
  private static final DateTimeFormatter ASCTIME =
      new DateTimeFormatterBuilder()
          .parseCaseInsensitive()
          .appendPattern("MMM ppd HH:mm:ss yyyy")
          .toFormatter(Locale.US);

  private HttpDates() {}

  /** The instant an HTTP-date names, or empty when the text is not one. */
  static Optional<Instant> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String s = text.trim();
    int comma = s.indexOf(',');
    try {
      if (comma > 0) {
        String rest = s.substring(comma + 1).trim();
        DateTimeFormatter f = rest.indexOf('-') > 0 ? RFC_850 : IMF;
        return Optional.of(LocalDateTime.parse(rest, f).toInstant(ZoneOffset.UTC));
      }
      int space = s.indexOf(' ');
      if (space > 0) {
        return Optional.of(
            LocalDateTime.parse(s.substring(space + 1), ASCTIME).toInstant(ZoneOffset.UTC));
      }
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
    return Optional.empty();
  }

  /** The first value of a date field, parsed; empty when absent or invalid. */
  static Optional<Instant> first(List<String> values) {
    return values.isEmpty() ? Optional.empty() : parse(values.get(0));
  }
}
