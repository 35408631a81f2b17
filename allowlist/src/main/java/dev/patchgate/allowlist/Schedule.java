package dev.patchgate.allowlist;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The weekly windows in which an entry lets requests through, e.g. {@code "Mon-Fri 22:00-06:00"}
 * and {@code "Sat,Sun 00:00-24:00"}.
 *
 * <p>A window is a set of days and a start and end in 24-hour local time, the end excluded. A
 * window whose end is earlier than its start crosses midnight and belongs to the day it starts:
 * {@code "Fri 22:00-06:00"} is Friday 22:00 to Saturday 06:00, and {@code "Sun 22:00-06:00"} runs
 * into Monday. Times are read in the allowlist's time zone, as a wall clock shows them, so a
 * daylight-saving change moves a window with the clock.
 *
 * <p>Windows are compiled to minute-of-week intervals (Monday 00:00 is 0), so checking a request is
 * a scan of a few integer pairs. Immutable and thread-safe.
 */
final class Schedule {
  static final int MINUTES_PER_DAY = 24 * 60;
  static final int MINUTES_PER_WEEK = 7 * MINUTES_PER_DAY;

  private static final Pattern WINDOW =
      Pattern.compile("(.+?)\\s+(\\d{1,2}):(\\d{2})\\s*-\\s*(\\d{1,2}):(\\d{2})");
  private static final String DAY_NAMES = "Mon, Tue, Wed, Thu, Fri, Sat or Sun";
  private static final String FORM =
      "expected days and a time range, e.g. \"Mon-Fri 22:00-06:00\" or \"Sat,Sun 00:00-24:00\"";

  private final List<String> windows;

  /** Half-open [start, end) minute-of-week intervals, none wrapping past the week's end. */
  private final int[] starts;

  private final int[] ends;

  private Schedule(List<String> windows, int[] starts, int[] ends) {
    this.windows = List.copyOf(windows);
    this.starts = starts;
    this.ends = ends;
  }

  /**
   * Compiles validated windows; each must have passed {@link #checkWindow}.
   *
   * @param windows the windows as written (trimmed), for explanations
   */
  static Schedule of(List<String> windows) {
    List<int[]> intervals = new ArrayList<>();
    for (String window : windows) {
      intervals.addAll(intervals(window));
    }
    int[] starts = new int[intervals.size()];
    int[] ends = new int[intervals.size()];
    for (int i = 0; i < intervals.size(); i++) {
      starts[i] = intervals.get(i)[0];
      ends[i] = intervals.get(i)[1];
    }
    return new Schedule(windows, starts, ends);
  }

  /**
   * Checks one window as written in the allowlist file.
   *
   * @throws IllegalArgumentException with a message for the administrator saying what is wrong and
   *     how to fix it (without repeating the window, which the caller quotes)
   */
  static void checkWindow(String text) {
    intervals(text);
  }

  /** The windows as written (trimmed, inner spaces collapsed). */
  List<String> windows() {
    return windows;
  }

  /** True when {@code minuteOfWeek} (Monday 00:00 is 0) is inside a window. */
  boolean contains(int minuteOfWeek) {
    for (int i = 0; i < starts.length; i++) {
      if (minuteOfWeek >= starts[i] && minuteOfWeek < ends[i]) {
        return true;
      }
    }
    return false;
  }

  /** The minute of the week (Monday 00:00 is 0) that the wall clock in {@code zone} shows. */
  static int minuteOfWeek(Instant at, ZoneId zone) {
    LocalDateTime local = LocalDateTime.ofInstant(at, zone);
    return (local.getDayOfWeek().getValue() - 1) * MINUTES_PER_DAY
        + local.getHour() * 60
        + local.getMinute();
  }

  /** {@code "Sat 14:00"}: a minute of the week as the windows are written. */
  static String describe(int minuteOfWeek) {
    DayOfWeek day = DayOfWeek.of(minuteOfWeek / MINUTES_PER_DAY + 1);
    int minute = minuteOfWeek % MINUTES_PER_DAY;
    return day.getDisplayName(TextStyle.SHORT, Locale.ROOT)
        + String.format(Locale.ROOT, " %02d:%02d", minute / 60, minute % 60);
  }

  /** The windows as written, joined by {@code ", "}. */
  @Override
  public String toString() {
    return String.join(", ", windows);
  }

  private static List<int[]> intervals(String text) {
    Matcher m = WINDOW.matcher(text.trim());
    if (!m.matches()) {
      throw new IllegalArgumentException(FORM);
    }
    boolean[] days = days(m.group(1));
    int start = minuteOfDay(m.group(2), m.group(3));
    int end = minuteOfDay(m.group(4), m.group(5));
    if (start == MINUTES_PER_DAY) {
      throw new IllegalArgumentException(
          "a window cannot start at 24:00; start it at 00:00 of the next day");
    }
    if (start == end) {
      throw new IllegalArgumentException(
          "start and end are both "
              + m.group(2)
              + ":"
              + m.group(3)
              + "; for a whole day write 00:00-24:00");
    }
    int length = end > start ? end - start : MINUTES_PER_DAY - start + end;
    List<int[]> result = new ArrayList<>();
    for (int day = 0; day < 7; day++) {
      if (!days[day]) {
        continue;
      }
      int from = day * MINUTES_PER_DAY + start;
      int to = from + length;
      if (to <= MINUTES_PER_WEEK) {
        result.add(new int[] {from, to});
      } else {
        // Sunday's night window runs into Monday morning of the same weekly cycle.
        result.add(new int[] {from, MINUTES_PER_WEEK});
        result.add(new int[] {0, to - MINUTES_PER_WEEK});
      }
    }
    return result;
  }

  private static boolean[] days(String text) {
    boolean[] days = new boolean[7];
    for (String part : text.split(",", -1)) {
      String range = part.trim();
      int dash = range.indexOf('-');
      int from = day(dash < 0 ? range : range.substring(0, dash).trim());
      int to = dash < 0 ? from : day(range.substring(dash + 1).trim());
      // "Fri-Mon" wraps through the weekend.
      for (int d = from; ; d = (d + 1) % 7) {
        days[d] = true;
        if (d == to) {
          break;
        }
      }
    }
    return days;
  }

  private static int day(String name) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.getDisplayName(TextStyle.SHORT, Locale.ROOT).equalsIgnoreCase(name)) {
        return day.getValue() - 1;
      }
    }
    throw new IllegalArgumentException(
        "unknown day " + AllowlistReader.quote(name) + "; use " + DAY_NAMES);
  }

  private static int minuteOfDay(String hours, String minutes) {
    int h = Integer.parseInt(hours);
    int m = Integer.parseInt(minutes);
    if (h > 24 || m > 59 || (h == 24 && m != 0)) {
      throw new IllegalArgumentException(
          "'" + hours + ":" + minutes + "' is not a time of day; use 00:00 to 24:00");
    }
    return h * 60 + m;
  }
}
