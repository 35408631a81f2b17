package dev.patchgate.audit.alert;

/**
 * Something that raises an alert, before deduplication.
 *
 * @param kind what happened
 * @param client the client address, or {@code ""}
 * @param host the host asked for, or {@code ""}
 * @param detail the reason phrase or description, or {@code ""}
 */
record AlertEvent(AlertKind kind, String client, String host, String detail) {
  // Bounds what one hostile request can make every channel carry.
  private static final int MAX_TEXT = 256;

  AlertEvent {
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
