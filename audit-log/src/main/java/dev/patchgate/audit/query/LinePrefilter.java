package dev.patchgate.audit.query;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A cheap test on a line's raw bytes that rules out most lines a query cannot match, so that only
 * the rest are decoded and parsed.
 *
 * <p>It is a necessary condition only: a line it passes may still fail the query, and the scanner
 * confirms on the parsed fields. It never rejects a line {@link dev.patchgate.audit.AuditJson}
 * wrote for a record the query matches, because every needle is text that writer emits verbatim for
 * the wanted value. Immutable and thread-safe.
 */
final class LinePrefilter {
  private static final byte[] TS_PREFIX = "{\"ts\":\"".getBytes(StandardCharsets.US_ASCII);
  // 2026-11-23T10:15:30.123Z
  private static final int TS_LENGTH = 24;

  // Every group must have at least one of its needles in the line.
  private final List<List<AsciiNeedle>> groups;
  // Canonical ts bounds as bytes (inclusive, exclusive), or null when absent.
  private final byte[] since;
  private final byte[] until;

  /**
   * @param groups every group must have at least one needle in the line
   * @param since the canonical inclusive lower bound of {@code ts}, or {@code null}
   * @param until the canonical exclusive upper bound of {@code ts}, or {@code null}
   */
  LinePrefilter(List<List<AsciiNeedle>> groups, String since, String until) {
    this.groups = List.copyOf(groups);
    this.since = ascii(since);
    this.until = ascii(until);
  }

  /** False when the line {@code bytes[from, to)} cannot match; true when it might. */
  boolean mayMatch(byte[] bytes, int from, int to) {
    if (!timeMayMatch(bytes, from, to)) {
      return false;
    }
    String latin1 = null;
    for (List<AsciiNeedle> group : groups) {
      boolean found = false;
      for (AsciiNeedle needle : group) {
        if (needle.ignoresCase()) {
          found = needle.foundIn(bytes, from, to);
        } else {
          if (latin1 == null) {
            // One copy of the line lets every exact needle use the JDK's vectorised search.
            latin1 = new String(bytes, from, to - from, StandardCharsets.ISO_8859_1);
          }
          found = needle.foundIn(latin1);
        }
        if (found) {
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }

  private boolean timeMayMatch(byte[] bytes, int from, int to) {
    if (since == null && until == null) {
      return true;
    }
    int tsStart = from + TS_PREFIX.length;
    // Only a line in the writer's exact shape can be judged here; others go on to the parser.
    if (tsStart + TS_LENGTH >= to
        || bytes[tsStart + TS_LENGTH] != '"'
        || bytes[tsStart + TS_LENGTH - 1] != 'Z') {
      return true;
    }
    for (int i = 0; i < TS_PREFIX.length; i++) {
      if (bytes[from + i] != TS_PREFIX[i]) {
        return true;
      }
    }
    if (since != null && compare(bytes, tsStart, since) < 0) {
      return false;
    }
    return until == null || compare(bytes, tsStart, until) < 0;
  }

  private static int compare(byte[] bytes, int start, byte[] bound) {
    for (int i = 0; i < TS_LENGTH; i++) {
      int diff = bytes[start + i] - bound[i];
      if (diff != 0) {
        return diff;
      }
    }
    return 0;
  }

  private static byte[] ascii(String canonical) {
    if (canonical == null || canonical.length() != TS_LENGTH) {
      // Years beyond 9999 do not fit the text form; the parsed check still applies.
      return null;
    }
    return canonical.getBytes(StandardCharsets.US_ASCII);
  }
}
