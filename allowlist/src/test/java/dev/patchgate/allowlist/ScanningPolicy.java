package dev.patchgate.allowlist;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The allowlist's rules written out the plain way, for tests that check {@link Allowlist#decide}
 * against them: every entry scanned in file order, every condition re-implemented from the
 * language's description (not by calling {@link Entry#check}), schedules evaluated with {@code
 * java.time} rather than minute-of-week intervals.
 */
final class ScanningPolicy {
  private static final Pattern WINDOW =
      Pattern.compile("(.+) (\\d{1,2}):(\\d{2})-(\\d{1,2}):(\\d{2})");

  /** The order in which conditions are checked; the furthest failing one is reported. */
  private static final List<String> REASONS =
      List.of(
          Decision.UNREGISTERED_CLIENT,
          Decision.CLIENT_NOT_ALLOWED,
          Decision.SCHEME_NOT_ALLOWED,
          Decision.PORT_NOT_ALLOWED,
          Decision.METHOD_NOT_ALLOWED,
          Decision.PATH_NOT_ALLOWED,
          Decision.OUTSIDE_SCHEDULE);

  private static final int PASSED = REASONS.size();

  private ScanningPolicy() {}

  /** What {@link Decision#toString()} should say for the request. */
  static String decide(Allowlist allowlist, AccessRequest request) {
    ClientGroups groups = allowlist.groups();
    List<String> clientGroups =
        groups == null ? null : groups.namesOf(groups.groupsOf(request.client()));
    boolean registered = clientGroups == null || !clientGroups.isEmpty();
    Entry closest = null;
    int closestStage = -1;
    Entry report = null;
    int reportStage = -1;
    for (Entry entry : allowlist.entries()) {
      int stage = -1;
      for (Binding binding : entry.bindings()) {
        if (binding.pattern().matches(request.target().host())) {
          stage =
              Math.max(stage, stage(allowlist, entry, binding, request, registered, clientGroups));
        }
      }
      if (stage == PASSED) {
        return "ALLOW " + entry.name();
      }
      if (stage > closestStage) {
        closest = entry;
        closestStage = stage;
      }
      if (entry.report() && stage > reportStage) {
        report = entry;
        reportStage = stage;
      }
    }
    if (report != null) {
      return "ALLOW " + report.name() + " (would deny: " + REASONS.get(reportStage) + ")";
    }
    if (!registered) {
      return "DENY " + Decision.UNREGISTERED_CLIENT;
    }
    return "DENY " + (closest == null ? Decision.HOST_NOT_ALLOWED : REASONS.get(closestStage));
  }

  private static int stage(
      Allowlist allowlist,
      Entry entry,
      Binding binding,
      AccessRequest request,
      boolean registered,
      List<String> clientGroups) {
    EntryRules rules = entry.rules();
    Target target = request.target();
    if (!registered) {
      return 0;
    }
    if (rules.clients() != null && rules.clients().stream().noneMatch(clientGroups::contains)) {
      return 1;
    }
    int[] ports = binding.ports(target.scheme());
    if (ports.length == 0) {
      return 2;
    }
    boolean portListed = false;
    for (int port : ports) {
      portListed |= port == target.port();
    }
    if (!portListed) {
      return 3;
    }
    if (target.scheme() == Scheme.HTTP) {
      if (!rules.methods().contains(request.method())) {
        return 4;
      }
      if (rules.paths() != null && !pathListed(rules.paths().prefixes(), target.path())) {
        return 5;
      }
      if (binding.paths() != null && !pathListed(binding.paths().prefixes(), target.path())) {
        return 5;
      }
    }
    if (rules.schedule() != null && !inSchedule(allowlist, rules.schedule(), request)) {
      return 6;
    }
    return PASSED;
  }

  private static boolean pathListed(List<String> prefixes, String pathAndQuery) {
    String path = pathAndQuery.split("\\?", 2)[0];
    for (String prefix : prefixes) {
      String directory = prefix.endsWith("/") ? prefix : prefix + "/";
      if (path.equals(prefix) || path.startsWith(directory)) {
        return true;
      }
    }
    return false;
  }

  private static boolean inSchedule(Allowlist allowlist, Schedule schedule, AccessRequest request) {
    LocalDateTime now = LocalDateTime.ofInstant(request.at(), allowlist.timeZone());
    for (String window : schedule.windows()) {
      Matcher m = WINDOW.matcher(window);
      if (!m.matches()) {
        throw new AssertionError("window the scan cannot read: " + window);
      }
      Set<DayOfWeek> days = days(m.group(1));
      int start = Integer.parseInt(m.group(2)) * 60 + Integer.parseInt(m.group(3));
      int end = Integer.parseInt(m.group(4)) * 60 + Integer.parseInt(m.group(5));
      for (LocalDate day : List.of(now.toLocalDate(), now.toLocalDate().minusDays(1))) {
        if (!days.contains(day.getDayOfWeek())) {
          continue;
        }
        LocalDateTime from = day.atTime(LocalTime.MIDNIGHT).plusMinutes(start);
        LocalDateTime to =
            end > start
                ? day.atTime(LocalTime.MIDNIGHT).plusMinutes(end)
                : day.plusDays(1).atTime(LocalTime.MIDNIGHT).plusMinutes(end);
        if (!now.isBefore(from) && now.isBefore(to)) {
          return true;
        }
      }
    }
    return false;
  }

  private static Set<DayOfWeek> days(String text) {
    Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
    for (String part : text.split(",", -1)) {
      String[] range = part.trim().split("-", -1);
      DayOfWeek from = day(range[0]);
      DayOfWeek to = range.length == 1 ? from : day(range[1]);
      for (DayOfWeek d = from; ; d = d.plus(1)) {
        days.add(d);
        if (d == to) {
          break;
        }
      }
    }
    return days;
  }

  private static DayOfWeek day(String name) {
    for (DayOfWeek day : DayOfWeek.values()) {
      if (day.name().substring(0, 3).equalsIgnoreCase(name.trim().toUpperCase(Locale.ROOT))) {
        return day;
      }
    }
    throw new AssertionError("day the scan cannot read: " + name);
  }
}
