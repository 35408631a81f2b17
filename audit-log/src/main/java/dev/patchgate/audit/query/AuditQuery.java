package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditFields;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which exchange records an audit scan selects: every filter that is set must hold (they are
 * ANDed); an unset filter selects everything.
 *
 * <p>Filters: the period ({@code since} inclusive, {@code until} exclusive), the client address
 * (exact, ignoring case), the downstream gateway that relayed the request ({@code via}, exact,
 * ignoring case), the host (exact or {@code *.suffix}), the decision, the status codes (any of a
 * set), the method, a substring of the URL (ignoring case) and the allowlist entry (exact, ignoring
 * case). Build with {@link #builder()}. Immutable and thread-safe.
 */
public final class AuditQuery {
  private final Instant since;
  private final Instant until;
  private final String client;
  private final String via;
  private final HostFilter host;
  private final String decision;
  private final Set<Integer> statuses;
  private final String method;
  private final String urlContains;
  private final String entry;
  private final String sinceText;
  private final String untilText;
  private final LinePrefilter prefilter;

  private AuditQuery(Builder b) {
    this.since = b.since;
    this.until = b.until;
    this.client = b.client;
    this.via = b.via;
    this.host = b.host;
    this.decision = b.decision;
    this.statuses = Set.copyOf(b.statuses);
    this.method = b.method;
    this.urlContains = b.urlContains;
    this.entry = b.entry;
    this.sinceText = since == null ? null : AuditTimes.canonical(since);
    this.untilText = until == null ? null : AuditTimes.canonical(until);
    this.prefilter = new LinePrefilter(needles(), sinceText, untilText);
  }

  /** A builder with no filter set: it selects every record. */
  public static Builder builder() {
    return new Builder();
  }

  /** The inclusive start of the period, or {@code null} for no bound. */
  public Instant since() {
    return since;
  }

  /** The exclusive end of the period, or {@code null} for no bound. */
  public Instant until() {
    return until;
  }

  /**
   * True when the parsed exchange record {@code fields} (as {@link
   * dev.patchgate.audit.AuditJsonReader} returns them) passes every filter. A missing or mistyped
   * field fails any filter on it.
   */
  public boolean matches(Map<String, Object> fields) {
    if (sinceText != null || untilText != null) {
      if (!(fields.get(AuditFields.TS) instanceof String ts) || !inPeriod(ts)) {
        return false;
      }
    }
    return (client == null || client.equalsIgnoreCase(text(fields, AuditFields.CLIENT)))
        && (via == null || via.equalsIgnoreCase(text(fields, AuditFields.VIA)))
        && (host == null || host.matches(text(fields, AuditFields.HOST)))
        && (decision == null || decision.equals(text(fields, AuditFields.DECISION)))
        && (statuses.isEmpty() || statusMatches(fields.get(AuditFields.STATUS)))
        && (method == null || method.equals(text(fields, AuditFields.METHOD)))
        && (urlContains == null || containsIgnoreCase(text(fields, AuditFields.URL), urlContains))
        && (entry == null || entry.equalsIgnoreCase(text(fields, AuditFields.ENTRY)));
  }

  /**
   * True when the day file of UTC day {@code date} may hold records of the period. A record is in
   * the file of its arrival day or a later one (an exchange that ended after the next day's first
   * line, e.g. a download running over midnight), never an earlier one: so the day after the period
   * is read as well.
   */
  boolean coversDay(LocalDate date) {
    return (since == null || !date.isBefore(AuditTimes.utcDate(since)))
        && (until == null || !date.isAfter(AuditTimes.utcDate(until.minusNanos(1)).plusDays(1)));
  }

  LinePrefilter prefilter() {
    return prefilter;
  }

  private boolean inPeriod(String ts) {
    if (ts.length() == 24 && ts.endsWith("Z")) {
      // The writer's canonical form compares like the instant it stands for.
      return (sinceText == null || ts.compareTo(sinceText) >= 0)
          && (untilText == null || ts.compareTo(untilText) < 0);
    }
    Instant instant;
    try {
      instant = Instant.parse(ts);
    } catch (DateTimeParseException e) {
      return false;
    }
    return (since == null || !instant.isBefore(since))
        && (until == null || instant.isBefore(until));
  }

  private boolean statusMatches(Object status) {
    return status instanceof Long s
        && s >= 0
        && s <= Integer.MAX_VALUE
        && statuses.contains(s.intValue());
  }

  private List<List<AsciiNeedle>> needles() {
    List<List<AsciiNeedle>> groups = new ArrayList<>();
    // Most selective first: a line is usually ruled out by the first group it fails.
    if (urlContains != null) {
      addIfVerbatim(groups, urlContains, urlContains);
    }
    if (client != null) {
      addIfVerbatim(groups, client, field(AuditFields.CLIENT, client));
    }
    if (via != null) {
      addIfVerbatim(groups, via, field(AuditFields.VIA, via));
    }
    if (host != null) {
      addIfVerbatim(groups, host.host(), host.rawNeedle());
    }
    if (entry != null) {
      addIfVerbatim(groups, entry, field(AuditFields.ENTRY, entry));
    }
    // These filters compare exactly (decisions are written in lower case, the method as sent and
    // HTTP methods are case-sensitive), so the faster exact search is safe.
    if (decision != null && AsciiNeedle.isVerbatim(decision)) {
      groups.add(List.of(AsciiNeedle.exact(field(AuditFields.DECISION, decision))));
    }
    if (!statuses.isEmpty()) {
      List<AsciiNeedle> anyStatus = new ArrayList<>();
      for (int status : new TreeSet<>(statuses)) {
        anyStatus.add(AsciiNeedle.exact("\"" + AuditFields.STATUS + "\":" + status));
      }
      groups.add(anyStatus);
    }
    if (method != null && AsciiNeedle.isVerbatim(method)) {
      groups.add(List.of(AsciiNeedle.exact(field(AuditFields.METHOD, method))));
    }
    return groups;
  }

  private static String field(String name, String value) {
    return "\"" + name + "\":\"" + value + "\"";
  }

  /** Adds {@code needle} unless {@code value} is text the writer could have escaped. */
  private static void addIfVerbatim(List<List<AsciiNeedle>> groups, String value, String needle) {
    // An escaped value cannot be looked for in the raw line; the parsed check still applies, so
    // the query stays correct, only slower.
    if (AsciiNeedle.isVerbatim(value)) {
      groups.add(List.of(AsciiNeedle.of(needle)));
    }
  }

  private static String text(Map<String, Object> fields, String name) {
    return fields.get(name) instanceof String s ? s : null;
  }

  static boolean containsIgnoreCase(String haystack, String needle) {
    if (haystack == null) {
      return false;
    }
    int last = haystack.length() - needle.length();
    for (int i = 0; i <= last; i++) {
      if (haystack.regionMatches(true, i, needle, 0, needle.length())) {
        return true;
      }
    }
    return false;
  }

  /** Collects filters; every setter replaces an earlier value. Not thread-safe. */
  public static final class Builder {
    private Instant since;
    private Instant until;
    private String client;
    private String via;
    private HostFilter host;
    private String decision;
    private final Set<Integer> statuses = new TreeSet<>();
    private String method;
    private String urlContains;
    private String entry;

    private Builder() {}

    /** Records from {@code since} on, inclusive; {@code null} for no bound. */
    public Builder since(Instant since) {
      this.since = since;
      return this;
    }

    /** Records before {@code until}, exclusive; {@code null} for no bound. */
    public Builder until(Instant until) {
      this.until = until;
      return this;
    }

    /** Records of this client address (ignoring case); {@code null} for any. */
    public Builder client(String client) {
      this.client = blankToNull(client);
      return this;
    }

    /**
     * Records relayed by this downstream gateway (ignoring case); {@code null} for any. Records
     * that came straight from their client (and lines older than the {@code via} field) never
     * match.
     */
    public Builder via(String via) {
      this.via = blankToNull(via);
      return this;
    }

    /**
     * Records for this host, exact or {@code *.suffix}; {@code null} for any.
     *
     * @throws IllegalArgumentException with a message for the user when it is neither form
     */
    public Builder host(String host) {
      this.host = host == null ? null : HostFilter.parse(host);
      return this;
    }

    /** Records with this decision ({@code allow}, {@code deny}, {@code error}); any case. */
    public Builder decision(String decision) {
      this.decision = decision == null ? null : decision.strip().toLowerCase(Locale.ROOT);
      return this;
    }

    /** Records with one of these status codes; several calls add up. */
    public Builder status(int... codes) {
      for (int code : codes) {
        statuses.add(code);
      }
      return this;
    }

    /** Records with this method, any case; {@code null} for any. */
    public Builder method(String method) {
      this.method = method == null ? null : method.strip().toUpperCase(Locale.ROOT);
      return this;
    }

    /** Records whose URL contains {@code text}, ignoring case; {@code null} for any. */
    public Builder urlContains(String text) {
      this.urlContains = text == null || text.isEmpty() ? null : text.toLowerCase(Locale.ROOT);
      return this;
    }

    /** Records of this allowlist entry, ignoring case; {@code null} for any. */
    public Builder entry(String entry) {
      this.entry = blankToNull(entry);
      return this;
    }

    /**
     * Returns the query.
     *
     * @throws IllegalArgumentException when {@code until} is not after {@code since}
     */
    public AuditQuery build() {
      if (since != null && until != null && !until.isAfter(since)) {
        throw new IllegalArgumentException(
            "--until must be after --since (the period is empty: " + since + " to " + until + ")");
      }
      return new AuditQuery(this);
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s.strip();
    }
  }
}
