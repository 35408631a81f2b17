package dev.patchgate.audit.report;

import java.time.LocalDate;
import java.time.OffsetDateTime;

/**
 * Reads a record's {@code ts} as epoch milliseconds, fast for the writer's form ({@code
 * 2026-11-23T10:15:30.123Z}), which the reports meet millions of times: a day's start is worked out
 * once and reused while the date stays the same. Other ISO-8601 forms are parsed the slow way. Not
 * thread-safe.
 */
final class Timestamps {
  private static final long DAY = 86_400_000L;

  private String day = "";
  private long dayMillis;

  /**
   * @throws java.time.format.DateTimeParseException when {@code ts} is not an ISO-8601 instant
   */
  long millis(String ts) {
    if (ts.length() >= 20 && ts.charAt(10) == 'T' && ts.charAt(ts.length() - 1) == 'Z') {
      if (!ts.regionMatches(0, day, 0, 10) || day.isEmpty()) {
        day = ts.substring(0, 10);
        dayMillis = LocalDate.parse(day).toEpochDay() * DAY;
      }
      int h = digits(ts, 11);
      int m = digits(ts, 14);
      int s = digits(ts, 17);
      if (h >= 0 && m >= 0 && s >= 0 && ts.charAt(13) == ':' && ts.charAt(16) == ':') {
        int millis = 0;
        if (ts.length() > 20 && ts.charAt(19) == '.') {
          int scale = 100;
          for (int i = 20; i < ts.length() - 1 && scale > 0; i++, scale /= 10) {
            int d = ts.charAt(i) - '0';
            if (d < 0 || d > 9) {
              return slow(ts);
            }
            millis += d * scale;
          }
        } else if (ts.length() != 20) {
          return slow(ts);
        }
        return dayMillis + ((h * 60L + m) * 60 + s) * 1000 + millis;
      }
    }
    return slow(ts);
  }

  private static long slow(String ts) {
    return OffsetDateTime.parse(ts).toInstant().toEpochMilli();
  }

  private static int digits(String s, int at) {
    int a = s.charAt(at) - '0';
    int b = s.charAt(at + 1) - '0';
    return a < 0 || a > 9 || b < 0 || b > 9 ? -1 : a * 10 + b;
  }
}
