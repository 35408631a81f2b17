package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.query.AuditQuery;
import dev.patchgate.audit.query.AuditTimes;
import dev.patchgate.audit.query.ScanSummary;
import dev.patchgate.audit.report.AnomalyReport;
import dev.patchgate.audit.report.ClientGroups;
import java.nio.file.Path;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The Anomalies page's data: {@code audit report anomalies} (the same {@link AnomalyReport}, the
 * gateway's {@code patchgate.anomalies} settings, the allowlist's client groups and time zone), for
 * the administrator only.
 *
 * <p>Its filters are the command line's: {@code since} and {@code until} (default the last {@link
 * #DEFAULT_PERIOD}, the weekly review), {@code kind} (one or more, separated by commas) and {@code
 * client}, a client group or address block as {@code --clients} takes it (a single address is a
 * block of one). Other filters are refused: the report judges every client against its group.
 *
 * <p><b>Cost.</b> It reads the period and its baseline (by default 28 days before it): five weeks
 * of records, in one pass, memory growing with clients and (client, host) pairs, not records. Call
 * it off the event loop. Thread-safe.
 */
public final class AnomalyData {
  /** The period reviewed when {@code since} is not given. */
  public static final Duration DEFAULT_PERIOD = Duration.ofDays(7);

  /** The parameter names {@link #review} accepts. */
  public static final List<String> NAMES = List.of("since", "until", "kind", "client");

  private final Path dir;
  private final Supplier<ClientGroups> groups;
  private final AnomalySettings settings;
  private final Clock clock;

  /**
   * @param dir the audit directory
   * @param groups the allowlist in force's client groups and time zone, asked at each review
   * @param settings what is unusual: the gateway's {@code patchgate.anomalies}
   * @param clock now, the end of the default period
   */
  public AnomalyData(
      Path dir, Supplier<ClientGroups> groups, AnomalySettings settings, Clock clock) {
    this.dir = dir;
    this.groups = groups;
    this.settings = settings;
    this.clock = clock;
  }

  /**
   * The findings of the period the parameters give.
   *
   * @param params parameter names to values; an empty value counts as not given
   * @throws OutOfScopeException for a vendor
   * @throws BadFilterException naming the first parameter that is not valid, or an unknown one
   * @throws java.io.UncheckedIOException when the audit directory cannot be read
   */
  public AnomalyPage review(Map<String, String> params, Scope scope) {
    scope.requireAdmin("the anomaly report");
    for (String name : params.keySet()) {
      if (!NAMES.contains(name)) {
        throw new BadFilterException(
            "unknown filter '" + name + "' (expected: " + String.join(", ", NAMES) + ")");
      }
    }
    Instant until;
    Instant since;
    try {
      String untilText = given(params, "until");
      until =
          untilText == null
              ? clock.instant().truncatedTo(ChronoUnit.SECONDS)
              : AuditTimes.until(untilText);
      String sinceText = given(params, "since");
      since = sinceText == null ? until.minus(DEFAULT_PERIOD) : AuditTimes.since(sinceText);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new BadFilterException(withoutDashes(e.getMessage()));
    }
    if (!since.isBefore(until)) {
      throw new BadFilterException(
          "until must be after since (the period is empty: " + since + " to " + until + ")");
    }
    Set<AnomalyKind> kinds = EnumSet.allOf(AnomalyKind.class);
    String kind = given(params, "kind");
    if (kind != null) {
      try {
        kinds = AnomalyKind.parseAll(kind);
      } catch (IllegalArgumentException e) {
        throw new BadFilterException("kind: " + e.getMessage());
      }
    }
    String clients = given(params, "client");
    AnomalyReport report;
    try {
      report =
          AnomalyReport.of(
              settings, kinds, since, until, settings.baseline(), groups.get(), clients);
    } catch (IllegalArgumentException e) {
      // The command line's message names --clients; here the parameter is client.
      throw new BadFilterException(
          String.valueOf(e.getMessage()).replaceFirst("^--clients:", "client:"));
    }
    AuditQuery query = AuditQuery.builder().since(report.baselineStart()).until(until).build();
    ScanSummary summary = AuditData.scan(dir, query, scope, report::add);
    List<String> looked = new ArrayList<>();
    List<String> off = new ArrayList<>();
    for (AnomalyKind k : kinds) {
      (settings.on(k) ? looked : off).add(k.wireName());
    }
    return new AnomalyPage(
        report.findings(),
        report.baselineStart(),
        clients == null ? "" : clients,
        looked,
        off,
        new Period(
            since,
            until,
            summary.files(),
            summary.lines(),
            summary.malformed(),
            summary.unreadableFiles()));
  }

  private static String given(Map<String, String> params, String name) {
    String value = params.get(name);
    return value == null || value.isBlank() ? null : value.strip();
  }

  private static String withoutDashes(String message) {
    String m = String.valueOf(message);
    return m.startsWith("--") ? m.substring(2) : m;
  }
}
