package dev.patchgate.audit.alert;

/**
 * Something that raises an alert, before deduplication.
 *
 * @param kind what happened
 * @param client the client address, or {@code ""}
 * @param host the host asked for, or {@code ""}
 * @param detail the reason phrase or description, or {@code ""}
 * @param count how many occurrences it stands for: a summary audit record's {@code count}, else 1
 */
record AlertEvent(AlertKind kind, String client, String host, String detail, long count) {
  // Bounds what one hostile request can make every channel carry.
  private static final int MAX_TEXT = 256;

  AlertEvent(AlertKind kind, String client, String host, String detail) {
    this(kind, client, host, detail, 1);
  }

  AlertEvent {
    count = Math.max(1, count);
    client = cut(client);
    host = cut(host);
    detail = cut(detail);
  }

  private static String cut(String s) {
    if (s == null) {
      return "";
    }
    return s.length() <= MAX_TEXT ? s : s.substring(0, MAX_TEXT) + "...";
  }
}
