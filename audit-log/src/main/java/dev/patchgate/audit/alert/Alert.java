package dev.patchgate.audit.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * One alert as the channels deliver it: either the first occurrence of something, or a summary of
 * how many more occurred within the deduplication window.
 *
 * @param kind what happened
 * @param client the client address, or {@code ""} when there is none (an audit failure)
 * @param host the host asked for (or the raw target), or {@code ""}
 * @param detail the reason phrase or the gateway's description
 * @param at when it happened; for a summary, when its window closed
 * @param count 1 for a first occurrence; for a summary, how many more occurred
 * @param summary true for a summary
 * @param window the deduplication window a summary covers
 */
public record Alert(
    AlertKind kind,
    String client,
    String host,
    String detail,
    Instant at,
    long count,
    boolean summary,
    Duration window) {

  /** Checks the required components and turns missing text into {@code ""}. */
  public Alert {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(window, "window");
    client = Objects.requireNonNullElse(client, "");
    host = Objects.requireNonNullElse(host, "");
    detail = Objects.requireNonNullElse(detail, "");
  }

  /**
   * One line for people, e.g. {@code patchgate: denied request from 10.10.1.5 to evil.example (host
   * not in allowlist)} or {@code patchgate: 9 more denied requests from 10.10.1.5 to evil.example
   * in the last 10 minutes (host not in allowlist)}. Not yet escaped for any channel.
   */
  public String text() {
    StringBuilder text = new StringBuilder("patchgate: ");
    if (summary) {
      text.append(count).append(" more ").append(kind.phrase(count));
    } else {
      text.append(kind.phrase(1));
    }
    if (!client.isEmpty()) {
      text.append(" from ").append(client);
    }
    if (!host.isEmpty()) {
      text.append(" to ").append(host);
    }
    if (summary) {
      text.append(" in the last ").append(describe(window));
    }
    if (!detail.isEmpty()) {
      text.append(" (").append(detail).append(')');
    }
    return text.toString();
  }

  private static String describe(Duration window) {
    long seconds = window.toSeconds();
    if (seconds % 3600 == 0 && seconds > 0) {
      return plural(seconds / 3600, "hour");
    }
    if (seconds % 60 == 0 && seconds > 0) {
      return plural(seconds / 60, "minute");
    }
    return plural(seconds, "second");
  }

  private static String plural(long n, String unit) {
    return n == 1 ? unit : n + " " + unit + "s";
  }
}
