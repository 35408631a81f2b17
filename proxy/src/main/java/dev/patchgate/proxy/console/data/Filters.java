package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.query.AuditQuery;
import dev.patchgate.audit.query.AuditTimes;
import dev.patchgate.audit.report.KbNumber;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The filters of the console's pages and JSON API, named like the command line's flags, checked
 * once: each source takes them typed.
 *
 * <p>Reading the audit files is bounded by the period: without {@code since} it is the {@link
 * #DEFAULT_PERIOD} before {@code until} (or now). Audit search pages are {@code limit} records
 * (default {@value #DEFAULT_LIMIT}, at most {@value #MAX_LIMIT}), {@code page} counted from 1.
 *
 * @param client only this client address, or null
 * @param kbs only these KB numbers ({@code KB5034441}), in the order given; empty for any
 * @param entry only this allowlist entry (ignoring case), or null
 * @param host only this host or {@code *.suffix}, or null
 * @param since the inclusive start of the period
 * @param until the exclusive end of the period, or null for now
 * @param decision {@code allow}, {@code deny} or {@code error}, or null
 * @param page the page of an audit search, from 1
 * @param limit records per page of an audit search
 */
public record Filters(
    String client,
    List<String> kbs,
    String entry,
    String host,
    Instant since,
    Instant until,
    String decision,
    int page,
    int limit) {

  /** The period read when {@code since} is not given. */
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(7);

  /** Records per page of an audit search when {@code limit} is not given. */
  public static final int DEFAULT_LIMIT = 100;

  /** The most records a page of an audit search holds. */
  public static final int MAX_LIMIT = 1000;

  /** The parameter names {@link #parse} accepts. */
  public static final List<String> NAMES =
      List.of("client", "kb", "entry", "host", "since", "until", "decision", "page", "limit");

  private static final Set<String> DECISIONS = Set.of("allow", "deny", "error");

  /** Copies the list. */
  public Filters {
    kbs = List.copyOf(kbs);
  }

  /**
   * Reads the filters from query parameters (a {@code kb} may list several, separated by commas).
   *
   * @param params parameter names to values; an empty value counts as not given
   * @param clock now, for the default period
   * @throws BadFilterException naming the first parameter that is not valid, or an unknown one
   */
  public static Filters parse(Map<String, String> params, Clock clock) {
    for (String name : params.keySet()) {
      if (!NAMES.contains(name)) {
        throw new BadFilterException(
            "unknown filter '" + name + "' (expected: " + String.join(", ", NAMES) + ")");
      }
    }
    String client = given(params, "client");
    if (client != null && Scope.literal(client) == null) {
      throw new BadFilterException(
          "client: '" + client + "' (expected: an IP address such as 10.10.1.5)");
    }
    List<String> kbs = new ArrayList<>();
    String kb = given(params, "kb");
    if (kb != null) {
      for (String each : kb.split(",")) {
        String parsed = checked(() -> KbNumber.parse(each));
        if (!kbs.contains(parsed)) {
          kbs.add(parsed);
        }
      }
    }
    String host = given(params, "host");
    if (host != null) {
      checked(() -> AuditQuery.builder().host(host));
    }
    Instant until =
        Optional.ofNullable(given(params, "until"))
            .map(v -> checked(() -> AuditTimes.until(v)))
            .orElse(null);
    String sinceText = given(params, "since");
    Instant since =
        sinceText != null
            ? checked(() -> AuditTimes.since(sinceText))
            : (until != null ? until : clock.instant()).minus(DEFAULT_PERIOD);
    if (until != null && !until.isAfter(since)) {
      throw new BadFilterException(
          "until must be after since (the period is empty: " + since + " to " + until + ")");
    }
    String decision =
        Optional.ofNullable(given(params, "decision"))
            .map(d -> d.toLowerCase(Locale.ROOT))
            .orElse(null);
    if (decision != null && !DECISIONS.contains(decision)) {
      throw new BadFilterException("decision: '" + decision + "' (expected: allow, deny or error)");
    }
    int page = number(params, "page", 1, Integer.MAX_VALUE / MAX_LIMIT);
    int limit = number(params, "limit", DEFAULT_LIMIT, MAX_LIMIT);
    return new Filters(
        client, kbs, given(params, "entry"), host, since, until, decision, page, limit);
  }

  /** No filter but the default period before now. */
  public static Filters lastWeek(Clock clock) {
    return parse(Map.of(), clock);
  }

  /** The records to skip before the page. */
  long offset() {
    return (long) (page - 1) * limit;
  }

  /**
   * An audit query with these filters (the KB numbers as URL substrings: one when one is given);
   * the caller adds what its report needs.
   */
  AuditQuery.Builder query() {
    return AuditQuery.builder()
        .since(since)
        .until(until)
        .client(client)
        .entry(entry)
        .host(host)
        .decision(decision)
        .urlContains(kbs.size() == 1 ? kbs.get(0) : null);
  }

  private static String given(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static int number(Map<String, String> params, String name, int otherwise, int max) {
    String value = given(params, name);
    if (value == null) {
      return otherwise;
    }
    try {
      int n = Integer.parseInt(value);
      if (n >= 1 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new BadFilterException(
        name + ": '" + value + "' (expected: a whole number from 1 to " + max + ")");
  }

  /** Runs a check of audit-log's, its message for the command line made one for a parameter. */
  private static <T> T checked(Supplier<T> check) {
    try {
      return check.get();
    } catch (IllegalArgumentException e) {
      String message = String.valueOf(e.getMessage());
      throw new BadFilterException(message.startsWith("--") ? message.substring(2) : message);
    }
  }
}
