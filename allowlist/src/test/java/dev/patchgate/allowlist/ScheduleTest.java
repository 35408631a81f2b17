package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScheduleTest {

  static Stream<Arguments> windows() {
    return Stream.of(
        arguments("Mon-Fri 22:00-06:00", "Mon 22:00", true),
        arguments("Mon-Fri 22:00-06:00", "Tue 05:59", true),
        arguments("Mon-Fri 22:00-06:00", "Tue 06:00", false),
        arguments("Mon-Fri 22:00-06:00", "Sat 05:59", true),
        arguments("Mon-Fri 22:00-06:00", "Mon 05:59", false),
        arguments("Mon-Fri 22:00-06:00", "Sat 22:00", false),
        // Sunday's night window runs past the end of the week
        arguments("Sun 22:00-02:00", "Sun 23:59", true),
        arguments("Sun 22:00-02:00", "Mon 01:59", true),
        arguments("Sun 22:00-02:00", "Mon 02:00", false),
        // a range of days wrapping through the weekend
        arguments("Fri-Mon 09:00-17:00", "Sun 12:00", true),
        arguments("Fri-Mon 09:00-17:00", "Tue 12:00", false),
        // whole days, and day names in any case with spaces after commas
        arguments("sat, SUN 00:00-24:00", "Sun 23:59", true),
        arguments("sat, SUN 00:00-24:00", "Mon 00:00", false),
        arguments("Wed 7:30-8:00", "Wed 07:30", true),
        arguments("Wed 7:30-8:00", "Wed 08:00", false));
  }

  @ParameterizedTest(name = "[{index}] {0} at {1}: {2}")
  @MethodSource("windows")
  void contains_readsWindowsByTheDayTheyStart(String window, String when, boolean expected) {
    Schedule schedule = Schedule.of(List.of(window));

    assertThat(schedule.contains(minuteOfWeek(when))).isEqualTo(expected);
  }

  @Test
  void minuteOfWeekReadsTheWallClockOfTheZone() {
    // 2024-01-07T15:00Z is Sunday 15:00 in UTC and Monday 00:00 in Tokyo.
    Instant at = Instant.parse("2024-01-07T15:00:00Z");

    assertThat(Schedule.describe(Schedule.minuteOfWeek(at, ZoneId.of("UTC"))))
        .isEqualTo("Sun 15:00");
    assertThat(Schedule.minuteOfWeek(at, ZoneId.of("Asia/Tokyo"))).isZero();
  }

  private static int minuteOfWeek(String when) {
    List<String> days = List.of("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun");
    int day = days.indexOf(when.substring(0, 3));
    int hour = Integer.parseInt(when.substring(4, 6));
    int minute = Integer.parseInt(when.substring(7, 9));
    return day * Schedule.MINUTES_PER_DAY + hour * 60 + minute;
  }
}
