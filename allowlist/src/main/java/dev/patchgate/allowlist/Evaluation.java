package dev.patchgate.allowlist;

import java.time.ZoneId;

/**
 * The allowlist's work on one request: the facts about it that several entries ask for, worked out
 * once and only when first asked (the client's groups, the minute of the week), and the best
 * candidates found so far.
 *
 * <p>One instance per {@link Allowlist#decide} call, used by one thread and then dropped.
 */
final class Evaluation {
  private final AccessRequest request;
  private final ClientGroups groups;
  private final ZoneId zone;
  private long[] clientGroups;
  private int minuteOfWeek = -1;

  /** The earliest entry in file order that permits the request. */
  private Entry permit;

  /** The entry that got furthest in the check order (ties to file order), and how far. */
  private Entry closest;

  private Check closestCheck;

  /** The same, among report-mode entries only. */
  private Entry report;

  private Check reportCheck;

  /**
   * @param groups the file's client groups; null when it has none, and every client is registered
   */
  Evaluation(AccessRequest request, ClientGroups groups, ZoneId zone) {
    this.request = request;
    this.groups = groups;
    this.zone = zone;
  }

  Target target() {
    return request.target();
  }

  String method() {
    return request.method();
  }

  /** True when the file has no client groups, or the client is in at least one. */
  boolean registered() {
    return groups == null || !ClientGroups.isEmpty(clientGroups());
  }

  /** True when the client is in one of the groups of {@code set}. */
  boolean inAnyOf(long[] set) {
    return groups == null || ClientGroups.intersects(clientGroups(), set);
  }

  /** The client's groups; only asked for when the file has groups. */
  long[] clientGroups() {
    if (clientGroups == null) {
      clientGroups = groups.groupsOf(request.client());
    }
    return clientGroups;
  }

  /** The minute of the week, in the allowlist's zone, at which the request arrived. */
  int minuteOfWeek() {
    if (minuteOfWeek < 0) {
      minuteOfWeek = Schedule.minuteOfWeek(request.at(), zone);
    }
    return minuteOfWeek;
  }

  /**
   * Checks the entries of {@code candidates} (sorted by file order; null for none) that could still
   * beat the best permitting entry found so far.
   */
  void consider(Binding[] candidates) {
    if (candidates == null) {
      return;
    }
    for (Binding binding : candidates) {
      Entry entry = binding.entry();
      if (permit != null && entry.order() >= permit.order()) {
        return;
      }
      Check check = entry.check(binding, this);
      if (check == Check.PASSED) {
        permit = entry;
        return;
      }
      if (closest == null || isCloser(entry, check, closest, closestCheck)) {
        closest = entry;
        closestCheck = check;
      }
      if (entry.report() && (report == null || isCloser(entry, check, report, reportCheck))) {
        report = entry;
        reportCheck = check;
      }
    }
  }

  /**
   * The decision for everything considered: the earliest permitting entry; else the report-mode
   * entry that got furthest, letting the request through with the reason it would be denied; else a
   * denial with the reason of the entry that got furthest.
   */
  Decision decision() {
    Target target = request.target();
    if (permit != null) {
      return permit.allowing(target);
    }
    if (report != null) {
      return report.reporting(reportCheck, target);
    }
    if (!registered()) {
      return Decision.deny(Decision.UNREGISTERED_CLIENT);
    }
    if (closest != null) {
      return Decision.deny(closestCheck.reason);
    }
    return Decision.deny(Decision.HOST_NOT_ALLOWED);
  }

  private static boolean isCloser(Entry entry, Check check, Entry best, Check bestCheck) {
    return check.isFurtherThan(bestCheck) || (check == bestCheck && entry.order() < best.order());
  }
}
