package dev.patchgate.audit.report;

import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.query.AuditLine;
import dev.patchgate.audit.report.ReportModel.Column;
import dev.patchgate.audit.report.ReportModel.Kind;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.time.zone.ZoneRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The anomaly report: what a client did in the period that is unlike its baseline (the weeks
 * before), one finding per row, for the kinds and thresholds of {@link AnomalySettings}.
 *
 * <p>It reads baseline and period in one pass, records in time order (as the day files hold them).
 * Memory grows with the number of clients and of (client, host) pairs, never with the number of
 * records: per client a bit set of its baseline days and hours of the week, its busiest baseline
 * hour of denied requests, and its period's active hours and heavy hours; per pair whether it was
 * asked in the baseline, the period's counts and the rhythm of its denied requests ({@link Beat});
 * per (client, entry, day) the requests refused outside the entry's schedule.
 *
 * <p>Hours of the week and days are read in the allowlist's time zone (a PC that updates at 03:00
 * does so in local time). A summary record counts as its {@code count} requests, but not as a beat.
 * Not thread-safe.
 *
 * <p>The command line and the console's Anomalies page both use it; the console through {@link
 * #of}, {@link #add(AuditLine)} and {@link #findings()}.
 */
public final class AnomalyReport {
  static final List<Column> COLUMNS =
      List.of(
          new Column("kind", "Kind", Kind.TEXT, 0, true),
          new Column("subject", "Unusual", Kind.TEXT, 48, true),
          new Column("count", "Count", Kind.COUNT, 0, true),
          new Column("first_seen", "First seen", Kind.TEXT, 0, true),
          new Column("last_seen", "Last seen", Kind.TEXT, 0, true),
          new Column("evidence", "Evidence", Kind.TEXT, 0, true),
          new Column("baseline", "Compared with", Kind.TEXT, 0, true));

  // As the writer writes ts: always with milliseconds.
  private static final DateTimeFormatter TS =
      DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
  private static final long HOUR = 3_600_000L;
  private static final long DAY = 24 * HOUR;
  private static final int HOURS_OF_WEEK = 168;
  private static final String[] WEEKDAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  // The burst's hosts named in its evidence, and the distinct hosts counted for one hour.
  private static final int TOP_HOSTS = 3;
  private static final int MAX_HOSTS_PER_HOUR = 1000;
  // Marks the group key of a client in no group: it is a group of its own.
  private static final String OWN = "\u0000";

  private final AnomalySettings settings;
  private final Set<AnomalyKind> kinds;
  private final long baselineStart;
  private final long periodStart;
  private final long periodEnd;
  private final ClientGroups groups;
  private final ClientScope scope;
  private final Map<String, ClientHistory> clients = new HashMap<>();
  private final Map<String, Refusals> refusals = new HashMap<>();
  private final LocalTimes times;
  private final Timestamps timestamps = new Timestamps();

  /**
   * @param kinds the kinds to report (those the settings turn off are never reported)
   * @param baselineStart the first instant of the baseline, which ends where the period starts
   * @param periodStart the period's first instant
   * @param periodEnd the instant after the period
   * @param scope the clients findings are reported for, or null for all (every client still counts
   *     for its group's baseline)
   */
  AnomalyReport(
      AnomalySettings settings,
      Set<AnomalyKind> kinds,
      Instant baselineStart,
      Instant periodStart,
      Instant periodEnd,
      ClientGroups groups,
      ClientScope scope) {
    this.settings = settings;
    this.kinds = Set.copyOf(kinds);
    this.baselineStart = baselineStart.toEpochMilli();
    this.periodStart = periodStart.toEpochMilli();
    this.periodEnd = periodEnd.toEpochMilli();
    this.groups = groups;
    this.scope = scope;
    this.times = new LocalTimes(groups.zone());
  }

  /**
   * The report of the period {@code since} to {@code until} against the {@code baseline} before it,
   * for callers outside this package; read it the records from {@link #baselineStart()} to {@code
   * until}.
   *
   * @param kinds the kinds to report (those the settings turn off are never reported)
   * @param groups the allowlist's client groups and time zone
   * @param clients a client group or address block, as {@code --clients} takes it, or null for
   *     every client
   * @throws IllegalArgumentException when {@code clients} is neither, with a message for the user
   *     (beginning {@code --clients:}), or when the period is empty
   */
  public static AnomalyReport of(
      AnomalySettings settings,
      Set<AnomalyKind> kinds,
      Instant since,
      Instant until,
      Duration baseline,
      ClientGroups groups,
      String clients) {
    if (!since.isBefore(until)) {
      throw new IllegalArgumentException("since must be before until");
    }
    ClientScope scope = clients == null ? null : ClientScope.parse(clients, groups);
    return new AnomalyReport(settings, kinds, since.minus(baseline), since, until, groups, scope);
  }

  /** The first instant of the baseline: where reading starts. */
  public Instant baselineStart() {
    return Instant.ofEpochMilli(baselineStart);
  }

  /** Takes one record of the baseline or the period; records outside both are ignored. */
  public void add(AuditLine line) {
    String ts = line.text(AuditFields.TS);
    String client = line.text(AuditFields.CLIENT);
    if (ts == null || client == null) {
      return;
    }
    long millis;
    try {
      millis = timestamps.millis(ts);
    } catch (DateTimeException e) {
      return;
    }
    add(
        millis,
        client,
        line.text(AuditFields.HOST),
        "deny".equals(line.text(AuditFields.DECISION)),
        line.text(AuditFields.REASON),
        line.text(AuditFields.ENTRY),
        line.count());
  }

  /**
   * Takes one record.
   *
   * @param millis its {@code ts}; records outside baseline and period are ignored
   * @param host may be null (a request whose target could not be read)
   * @param reason the deny reason, or null
   * @param entry the allowlist entry it matched, or null
   * @param count the requests it stands for (a summary record's count, else 1)
   */
  void add(
      long millis,
      String client,
      String host,
      boolean denied,
      String reason,
      String entry,
      long count) {
    if (millis < baselineStart || millis >= periodEnd) {
      return;
    }
    boolean baseline = millis < periodStart;
    long localHour = times.localHour(millis);
    ClientHistory history = clients.computeIfAbsent(client, c -> new ClientHistory());
    PairHistory pair = null;
    if (host != null) {
      pair = history.hosts.get(host);
      if (pair == null) {
        pair = new PairHistory(client, host);
        history.hosts.put(host, pair);
      }
    }
    if (baseline) {
      history.baselineDays.set((int) ((millis - baselineStart) / DAY));
      history.baselineHours.set(hourOfWeek(localHour));
      if (denied) {
        history.baselineDenied(localHour, count);
      }
      if (pair != null) {
        pair.inBaseline = true;
      }
      return;
    }
    history.active(hourOfWeek(localHour), millis, count);
    if (denied) {
      history.periodDenied(localHour, millis, count, host, settings.burstMinDenied());
    }
    if (pair != null) {
      pair.period(millis, count, denied);
      if (denied && count == 1) {
        if (pair.beat == null) {
          pair.beat =
              new Beat(
                  settings.beaconMaxGap().toMillis(),
                  settings.beaconMinAttempts(),
                  settings.beaconMaxSpread());
        }
        pair.beat.add(millis);
      }
    }
    if (denied && AlertRules.OUTSIDE_SCHEDULE.equals(reason)) {
      String what = entry != null ? entry : host;
      LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(localHour, 24));
      refusals
          .computeIfAbsent(
              client + '\u0000' + what + '\u0000' + day, k -> new Refusals(client, what, day))
          .add(millis, count, host);
    }
  }

  /** The findings of the kinds asked for, by client ({@link ClientOrder}), kind, then time. */
  public List<AnomalyFinding> findings() {
    List<AnomalyFinding> found = new ArrayList<>();
    if (on(AnomalyKind.NEW_DESTINATION)) {
      newDestinations(found);
    }
    if (on(AnomalyKind.UNUSUAL_HOURS)) {
      unusualHours(found);
    }
    if (on(AnomalyKind.BEACONING)) {
      beacons(found);
    }
    if (on(AnomalyKind.BURST)) {
      bursts(found);
    }
    if (on(AnomalyKind.OUTSIDE_SCHEDULE)) {
      scheduleRefusals(found);
    }
    found.removeIf(f -> scope != null && !scope.contains(f.client()));
    Map<String, Integer> ranks =
        ClientOrder.ranks(found.stream().map(AnomalyFinding::client).toList());
    found.sort(
        Comparator.comparing((AnomalyFinding f) -> ranks.get(f.client()))
            .thenComparing(AnomalyFinding::kind)
            .thenComparing(AnomalyFinding::first)
            .thenComparing(AnomalyFinding::subject));
    return found;
  }

  /** The findings as a report. */
  ReportModel model(List<String> notes) {
    List<ReportModel.Row> rows = new ArrayList<>();
    for (AnomalyFinding f : findings()) {
      List<Object> cells =
          Arrays.asList(
              f.kind().wireName(),
              f.subject(),
              f.count(),
              TS.format(Instant.ofEpochMilli(f.first())),
              TS.format(Instant.ofEpochMilli(f.last())),
              f.evidence(),
              f.baseline());
      rows.add(new ReportModel.Row(f.client(), false, cells));
    }
    return new ReportModel("Unusual traffic", notes, null, COLUMNS, rows, "nothing unusual");
  }

  private boolean on(AnomalyKind kind) {
    return settings.on(kind) && kinds.contains(kind);
  }

  // A client is judged against its own usual only once it has one.
  private boolean established(ClientHistory history) {
    return history.baselineDays.cardinality() >= settings.minBaselineDays();
  }

  private void newDestinations(List<AnomalyFinding> found) {
    // What each group (or a client in none, alone) asked for in the baseline, and on which days.
    Map<String, Set<String>> hostsOf = new HashMap<>();
    Map<String, BitSet> daysOf = new HashMap<>();
    Map<String, Set<String>> membersOf = new HashMap<>();
    Map<String, List<String>> keysOf = new HashMap<>();
    for (Map.Entry<String, ClientHistory> e : clients.entrySet()) {
      List<String> keys = groupKeys(e.getKey());
      keysOf.put(e.getKey(), keys);
      for (String key : keys) {
        daysOf.computeIfAbsent(key, k -> new BitSet()).or(e.getValue().baselineDays);
        if (!e.getValue().baselineDays.isEmpty()) {
          membersOf.computeIfAbsent(key, k -> new HashSet<>()).add(e.getKey());
        }
      }
    }
    for (PairHistory pair : pairs()) {
      if (pair.inBaseline) {
        for (String key : keysOf.get(pair.client)) {
          hostsOf.computeIfAbsent(key, k -> new HashSet<>()).add(pair.host);
        }
      }
    }
    for (PairHistory pair : pairs()) {
      if (pair.inBaseline || pair.periodCount == 0) {
        continue;
      }
      List<String> keys = keysOf.get(pair.client);
      boolean known = false;
      boolean judged = false;
      for (String key : keys) {
        known |= hostsOf.getOrDefault(key, Set.of()).contains(pair.host);
        judged |= daysOf.get(key).cardinality() >= settings.minBaselineDays();
      }
      if (known || !judged) {
        continue;
      }
      String evidence =
          count(pair.periodCount, "request")
              + (pair.periodDenied > 0 ? " (" + pair.periodDenied + " denied)" : " (allowed)");
      String compared;
      if (keys.get(0).startsWith(OWN)) {
        compared = "never asked in the baseline (the client is in no client group)";
      } else {
        int members = 0;
        for (String key : keys) {
          members += membersOf.getOrDefault(key, Set.of()).size();
        }
        compared =
            "never asked in the baseline by it or any of the "
                + count(members, "client")
                + " of "
                + String.join(", ", keys);
      }
      found.add(
          new AnomalyFinding(
              AnomalyKind.NEW_DESTINATION,
              pair.client,
              pair.host,
              pair.periodCount,
              pair.periodFirst,
              pair.periodLast,
              evidence,
              compared));
    }
  }

  private List<PairHistory> pairs() {
    List<PairHistory> all = new ArrayList<>();
    for (ClientHistory history : clients.values()) {
      all.addAll(history.hosts.values());
    }
    return all;
  }

  private List<String> groupKeys(String client) {
    List<String> names = groups.groupsOf(client);
    return names.isEmpty() ? List.of(OWN + client) : names;
  }

  private void unusualHours(List<AnomalyFinding> found) {
    for (Map.Entry<String, ClientHistory> e : clients.entrySet()) {
      ClientHistory history = e.getValue();
      if (!established(history) || history.activeHours == null) {
        continue;
      }
      for (int hour = 0; hour < HOURS_OF_WEEK; hour++) {
        Span span = history.activeHours[hour];
        if (span == null
            || history.baselineHours.get(hour)
            || span.count < settings.unusualHoursMinRequests()) {
          continue;
        }
        found.add(
            new AnomalyFinding(
                AnomalyKind.UNUSUAL_HOURS,
                e.getKey(),
                hourName(hour),
                span.count,
                span.first,
                span.last,
                count(span.count, "request")
                    + " in this hour of the week (hours in "
                    + zoneName()
                    + ")",
                "no activity in this hour of the week on the "
                    + count(history.baselineDays.cardinality(), "day")
                    + " the client was seen in the baseline"));
      }
    }
  }

  private void beacons(List<AnomalyFinding> found) {
    for (PairHistory pair : pairs()) {
      Beat beat = pair.beat;
      if (beat == null || !beat.found()) {
        continue;
      }
      found.add(
          new AnomalyFinding(
              AnomalyKind.BEACONING,
              pair.client,
              pair.host,
              beat.attempts(),
              beat.first(),
              beat.last(),
              String.format(
                  Locale.ROOT,
                  "%d denied requests every %s (gaps %s to %s, spread %.3f)",
                  beat.attempts(),
                  duration(Math.round(beat.meanGap())),
                  duration(beat.minGap()),
                  duration(beat.maxGap()),
                  beat.spread()),
              String.format(
                  Locale.ROOT,
                  "a beat: at least %d attempts, gaps up to %s, spread at most %.2f",
                  settings.beaconMinAttempts(),
                  duration(settings.beaconMaxGap().toMillis()),
                  settings.beaconMaxSpread())));
    }
  }

  private void bursts(List<AnomalyFinding> found) {
    for (Map.Entry<String, ClientHistory> e : clients.entrySet()) {
      ClientHistory history = e.getValue();
      history.closePeriodHour(settings.burstMinDenied());
      if (!established(history) || history.heavyHours == null) {
        continue;
      }
      history.closeBaselineHour();
      long usual = Math.max(1, history.baselineMaxDenied);
      for (HeavyHour hour : history.heavyHours) {
        if (hour.count <= settings.burstFactor() * usual
            || hour.count < settings.burstMinDenied()) {
          continue;
        }
        found.add(
            new AnomalyFinding(
                AnomalyKind.BURST,
                e.getKey(),
                localHourName(hour.localHour),
                hour.count,
                hour.first,
                hour.last,
                count(hour.count, "denied request")
                    + " in one hour, to "
                    + count(hour.hosts.size(), "host")
                    + (hour.hosts.size() >= MAX_HOSTS_PER_HOUR ? " or more" : "")
                    + ": "
                    + topHosts(hour.hosts),
                String.format(
                    Locale.ROOT,
                    "its busiest baseline hour: %s (a burst is more than %s times that, at least"
                        + " %d)",
                    count(history.baselineMaxDenied, "denied request"),
                    trim(settings.burstFactor()),
                    settings.burstMinDenied())));
      }
    }
  }

  private void scheduleRefusals(List<AnomalyFinding> found) {
    for (Refusals r : refusals.values()) {
      if (r.count < settings.scheduleMinAttempts()) {
        continue;
      }
      found.add(
          new AnomalyFinding(
              AnomalyKind.OUTSIDE_SCHEDULE,
              r.client,
              r.entry + " on " + r.day,
              r.count,
              r.first,
              r.last,
              count(r.count, "request")
                  + " refused outside the entry's schedule, to "
                  + String.join(", ", new TreeSet<>(r.hosts)),
              "at least " + settings.scheduleMinAttempts() + " in one day make a finding"));
    }
  }

  private String zoneName() {
    String id = groups.zone().normalized().getId();
    return id.equals("Z") ? "UTC" : id;
  }

  private int hourOfWeek(long localHour) {
    long day = Math.floorDiv(localHour, 24);
    // 1970-01-01 was a Thursday: day 0 is index 3 from Monday.
    int weekday = (int) Math.floorMod(day + 3, 7);
    return weekday * 24 + (int) Math.floorMod(localHour, 24);
  }

  private static String hourName(int hourOfWeek) {
    int hour = hourOfWeek % 24;
    return String.format(
        Locale.ROOT, "%s %02d:00-%02d:00", WEEKDAYS[hourOfWeek / 24], hour, (hour + 1) % 24);
  }

  private static String localHourName(long localHour) {
    LocalDate day = LocalDate.ofEpochDay(Math.floorDiv(localHour, 24));
    int hour = (int) Math.floorMod(localHour, 24);
    String weekday = day.getDayOfWeek().getDisplayName(TextStyle.SHORT, Locale.ROOT);
    return String.format(Locale.ROOT, "%s %s %02d:00-%02d:00", day, weekday, hour, (hour + 1) % 24);
  }

  private static String topHosts(Map<String, Long> hosts) {
    List<Map.Entry<String, Long>> sorted = new ArrayList<>(hosts.entrySet());
    sorted.sort(
        Map.Entry.<String, Long>comparingByValue()
            .reversed()
            .thenComparing(Map.Entry.comparingByKey()));
    List<String> top = new ArrayList<>();
    for (Map.Entry<String, Long> e : sorted.subList(0, Math.min(TOP_HOSTS, sorted.size()))) {
      top.add(e.getKey() + " " + e.getValue());
    }
    return String.join(", ", top) + (sorted.size() > TOP_HOSTS ? ", ..." : "");
  }

  static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  private static String trim(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  /** {@code 5m00s}, {@code 1h02m}, {@code 12.5s}. */
  static String duration(long millis) {
    long s = Math.round(millis / 1000.0);
    if (s < 60) {
      return millis % 1000 == 0 ? s + "s" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
    }
    if (s < 3600) {
      return String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60);
    }
    return String.format(Locale.ROOT, "%dh%02dm", s / 3600, s % 3600 / 60);
  }

  /** What one client did: its baseline, and its period's hours. */
  private static final class ClientHistory {
    private final Map<String, PairHistory> hosts = new HashMap<>();
    private final BitSet baselineDays = new BitSet();
    private final BitSet baselineHours = new BitSet(HOURS_OF_WEEK);
    private long baselineHour = Long.MIN_VALUE;
    private long baselineHourDenied;
    private long baselineMaxDenied;
    // Hour of the week -> activity in the period; null until the client is seen in it.
    // By hour of the week; null until the client is active in the period.
    private Span[] activeHours;
    private HeavyHour periodHour;
    private List<HeavyHour> heavyHours;

    void baselineDenied(long localHour, long count) {
      if (localHour != baselineHour) {
        closeBaselineHour();
        baselineHour = localHour;
      }
      baselineHourDenied += count;
    }

    void closeBaselineHour() {
      baselineMaxDenied = Math.max(baselineMaxDenied, baselineHourDenied);
      baselineHourDenied = 0;
    }

    void active(int hourOfWeek, long millis, long count) {
      if (activeHours == null) {
        activeHours = new Span[HOURS_OF_WEEK];
      }
      Span span = activeHours[hourOfWeek];
      if (span == null) {
        span = new Span();
        activeHours[hourOfWeek] = span;
      }
      span.add(millis, count);
    }

    void periodDenied(long localHour, long millis, long count, String host, int minDenied) {
      if (periodHour == null || periodHour.localHour != localHour) {
        closePeriodHour(minDenied);
        periodHour = new HeavyHour(localHour);
      }
      periodHour.add(millis, count, host);
    }

    void closePeriodHour(int minDenied) {
      if (periodHour != null && periodHour.count >= minDenied) {
        if (heavyHours == null) {
          heavyHours = new ArrayList<>();
        }
        heavyHours.add(periodHour);
      }
      periodHour = null;
    }
  }

  /** Requests in a span of time: how many, first and last. */
  private static class Span {
    long count;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;

    void add(long millis, long n) {
      count += n;
      first = Math.min(first, millis);
      last = Math.max(last, millis);
    }
  }

  /** One local clock hour of a client's denied requests in the period. */
  private static final class HeavyHour extends Span {
    private final long localHour;
    private final Map<String, Long> hosts = new HashMap<>();

    HeavyHour(long localHour) {
      this.localHour = localHour;
    }

    void add(long millis, long n, String host) {
      add(millis, n);
      if (host != null && (hosts.size() < MAX_HOSTS_PER_HOUR || hosts.containsKey(host))) {
        hosts.merge(host, n, Long::sum);
      }
    }
  }

  /** One client and one host. */
  private static final class PairHistory {
    private final String client;
    private final String host;
    private boolean inBaseline;
    private long periodCount;
    private long periodDenied;
    private long periodFirst = Long.MAX_VALUE;
    private long periodLast = Long.MIN_VALUE;
    private Beat beat;

    PairHistory(String client, String host) {
      this.client = client;
      this.host = host;
    }

    void period(long millis, long count, boolean denied) {
      periodCount += count;
      periodDenied += denied ? count : 0;
      periodFirst = Math.min(periodFirst, millis);
      periodLast = Math.max(periodLast, millis);
    }
  }

  /** Requests refused outside an entry's schedule, from one client on one local day. */
  private static final class Refusals extends Span {
    private final String client;
    private final String entry;
    private final LocalDate day;
    private final Set<String> hosts = new HashSet<>();

    Refusals(String client, String entry, LocalDate day) {
      this.client = client;
      this.entry = entry;
      this.day = day;
    }

    void add(long millis, long n, String host) {
      add(millis, n);
      if (host != null && hosts.size() < TOP_HOSTS) {
        hosts.add(host);
      }
    }
  }

  /** Local hours since the epoch, with the zone's offset looked up once per UTC hour. */
  private static final class LocalTimes {
    private final ZoneRules rules;
    private long utcHour = Long.MIN_VALUE;
    private long offsetMillis;

    LocalTimes(ZoneId zone) {
      this.rules = zone.getRules();
    }

    long localHour(long millis) {
      long hour = Math.floorDiv(millis, HOUR);
      if (hour != utcHour) {
        utcHour = hour;
        offsetMillis = rules.getOffset(Instant.ofEpochMilli(millis)).getTotalSeconds() * 1000L;
      }
      return Math.floorDiv(millis + offsetMillis, HOUR);
    }
  }
}
