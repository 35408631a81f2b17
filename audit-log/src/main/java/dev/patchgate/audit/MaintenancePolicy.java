package dev.patchgate.audit;

import java.time.LocalDate;

/**
 * Decides what housekeeping does with one file of the audit directory: keep it, gzip it, or delete
 * it. Pure: no I/O, never throws.
 */
final class MaintenancePolicy {
  private MaintenancePolicy() {}

  /** What to do with a file. */
  enum Action {
    KEEP,
    COMPRESS,
    DELETE
  }

  /**
   * Decides for the file named {@code name}.
   *
   * <p>A {@code .gz.tmp} is an interrupted compression (housekeeping runs one task at a time, so
   * none is in progress): deleted; the plain file it came from is still there. A day on or after
   * {@code finishedBefore} may still be written: kept whatever its age. A day before {@code today}
   * minus {@code retainDays} has expired: deleted, so today and the {@code retainDays} days before
   * it are kept. Any other finished plain day is gzipped; if a {@code .gz} of it exists too, that
   * one is the unfinished copy and is replaced.
   *
   * @param name the parsed file name
   * @param today the current UTC date
   * @param retainDays how many days before today to keep, at least 1
   * @param finishedBefore the first day the writer may still append to
   */
  static Action decide(
      DayFileName name, LocalDate today, int retainDays, LocalDate finishedBefore) {
    return decide(name, today, retainDays, finishedBefore, null);
  }

  /**
   * Decides as {@link #decide(DayFileName, LocalDate, int, LocalDate)} does, except that a day on
   * or after {@code unforwardedFrom} is never deleted: the audit forwarder has not handed all of it
   * to the collector yet (it reads gzipped days too, so compressing it is fine).
   *
   * @param unforwardedFrom the day of the forwarder's cursor, or {@code null} when none is kept
   */
  static Action decide(
      DayFileName name,
      LocalDate today,
      int retainDays,
      LocalDate finishedBefore,
      LocalDate unforwardedFrom) {
    Action action = decideAlone(name, today, retainDays, finishedBefore);
    boolean unforwarded =
        !name.temporary() && unforwardedFrom != null && !name.date().isBefore(unforwardedFrom);
    return action == Action.DELETE && unforwarded ? Action.KEEP : action;
  }

  private static Action decideAlone(
      DayFileName name, LocalDate today, int retainDays, LocalDate finishedBefore) {
    if (name.temporary()) {
      return Action.DELETE;
    }
    if (!name.date().isBefore(finishedBefore)) {
      return Action.KEEP;
    }
    if (name.date().isBefore(today.minusDays(retainDays))) {
      return Action.DELETE;
    }
    return name.gzipped() ? Action.KEEP : Action.COMPRESS;
  }
}
