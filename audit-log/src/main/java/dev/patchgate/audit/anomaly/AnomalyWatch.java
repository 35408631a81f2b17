package dev.patchgate.audit.anomaly;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.alert.AlertChannelCounts;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.audit.query.AuditQuery;
import dev.patchgate.audit.query.AuditScanner;
import dev.patchgate.audit.query.ScanSummary;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the records as the gateway writes them and raises the {@code anomaly_*} alerts that can
 * be told live (issue 15): {@link AnomalyKind#BEACONING beaconing}, {@link AnomalyKind#BURST burst}
 * and {@link AnomalyKind#NEW_DESTINATION new destination}, with the thresholds of {@link
 * AnomalySettings} that the anomaly report uses too. Alerts go through {@link AlertSink#raise}, so
 * the dispatcher's deduplication applies: the watch raises on every record that qualifies, the
 * channels get one alert and then a summary with the count, per kind, client and host and window.
 *
 * <ul>
 *   <li>Beaconing: per (client, host), the arrival times of the last {@code beaconMinAttempts}
 *       denied requests; when every gap is at most {@code beaconMaxGap} and their spread (standard
 *       deviation over mean) at most {@code beaconMaxSpread}. Allowed requests never count: a
 *       nightly update is not a beacon.
 *   <li>Burst: per client, the denied requests of the current UTC clock hour against its busiest
 *       hour of denied requests known (at least 1): more than {@code burstFactor} times, and at
 *       least {@code burstMinDenied}; raised once per hour. A burst hour does not become the usual.
 *   <li>New destination: a host that neither the client nor any of its client groups asked for
 *       (allowed or denied) in what the watch knows.
 * </ul>
 *
 * <p>Burst judges only clients seen on at least {@code minBaselineDays} UTC days before today, and
 * new destination only clients that, or one of whose client groups, were: a new PC has no usual yet
 * (though its group may), and a fresh installation has no history at all. What is known is learnt
 * from the last {@code baseline} of audit files (plain and gzipped), read in the background at
 * start ({@link #readBaselineInBackground}); until that has finished no new-destination alert is
 * raised. Then the watch keeps learning from the live records. A client's groups are those the
 * allowlist gave it when the watch first saw it.
 *
 * <p>Memory is bounded whatever the traffic: three tables (clients and groups, (client, host)
 * beats, and known (client or group, host) pairs), each of at most {@code liveMaxTracked} entries;
 * beyond that Caffeine forgets the least useful. Measured (heap after a full GC, three full
 * tables): about 270 bytes per entry with 36-character host names, 360 with hosts of the maximal
 * 253 characters; so the default of 10,000 per table takes about 8 MB, and at most about 11 MB. A
 * forgotten known pair may make a host look new again.
 *
 * <p>On the request path {@link #observe} does a few hash-table operations and takes only the
 * monitor of the one client's or one pair's state: no I/O, no shared lock. It never throws.
 * Thread-safe.
 */
public final class AnomalyWatch implements AutoCloseable {
  static final String BASELINE_THREAD = "patchgate-anomaly-baseline";
  private static final Logger LOG = LoggerFactory.getLogger(AnomalyWatch.class);
  // Group keys cannot clash with a client: no address contains a space.
  private static final String GROUP = "group ";

  private final AnomalySettings settings;
  private final AlertSink alerts;
  private final Function<String, List<String>> groupsOf;
  private final Cache<String, ClientUsual> clients;
  private final Cache<Pair, Beat> beats;
  private final Cache<Pair, Boolean> known;
  private final Map<AnomalyKind, LongAdder> raised = new EnumMap<>(AnomalyKind.class);
  private final boolean active;
  private volatile boolean baselineRead;
  private volatile boolean closed;
  private volatile Thread reader;

  /** A client or a group, and a host. */
  private record Pair(String who, String host) {}

  /**
   * A watch that knows nothing yet; {@link #readBaseline} or {@link #baselineSkipped} tells it the
   * baseline is in.
   *
   * @param alerts where the alerts are raised
   * @param groupsOf a client's client groups (empty when it is in none); called once per client the
   *     watch tracks, must be cheap and must not throw
   */
  public AnomalyWatch(
      AnomalySettings settings, AlertSink alerts, Function<String, List<String>> groupsOf) {
    this.settings = Objects.requireNonNull(settings, "settings");
    this.alerts = Objects.requireNonNull(alerts, "alerts");
    this.groupsOf = Objects.requireNonNull(groupsOf, "groupsOf");
    // Evictions run on the caller's thread: the bound holds at once, no pool is needed.
    this.clients = bounded(settings.liveMaxTracked());
    this.beats = bounded(settings.liveMaxTracked());
    this.known = bounded(settings.liveMaxTracked());
    for (AnomalyKind kind : AnomalyKind.values()) {
      raised.put(kind, new LongAdder());
    }
    this.active =
        settings.on(AnomalyKind.BEACONING)
            || settings.on(AnomalyKind.BURST)
            || settings.on(AnomalyKind.NEW_DESTINATION);
  }

  private static <K, V> Cache<K, V> bounded(int max) {
    return Caffeine.newBuilder().maximumSize(max).executor(Runnable::run).build();
  }

  /**
   * Reads the baseline from the audit files of {@code auditDir} for the {@code baseline} before
   * {@code now}, on a daemon thread of low priority; returns at once. A directory that cannot be
   * read leaves the watch without a baseline (logged), not without a watch. Does nothing when no
   * live kind is looked for. Call it once.
   */
  public void readBaselineInBackground(Path auditDir, Instant now) {
    if (!active) {
      return;
    }
    Thread thread =
        new Thread(
            () -> {
              try {
                readBaseline(auditDir, now);
              } catch (IOException | RuntimeException e) {
                LOG.warn(
                    "could not read the anomaly baseline from {}: new destinations are judged on"
                        + " what the live records teach from now on",
                    auditDir,
                    e);
                baselineSkipped();
              }
            },
            BASELINE_THREAD);
    thread.setDaemon(true);
    thread.setPriority(Thread.MIN_PRIORITY);
    reader = thread;
    thread.start();
  }

  /** True when at least one of the live kinds is looked for; when not, the watch does nothing. */
  public boolean active() {
    return active;
  }

  /**
   * Learns what was usual from the records of {@code auditDir} in the {@code baseline} before
   * {@code now}, then judges new destinations. Blocks; {@link #readBaselineInBackground} calls it
   * on its own thread.
   *
   * @throws IOException when {@code auditDir} cannot be listed
   */
  public void readBaseline(Path auditDir, Instant now) throws IOException {
    long started = System.nanoTime();
    AuditQuery period =
        AuditQuery.builder().since(now.minus(settings.baseline())).until(now).build();
    ByteArrayOutputStream warningText = new ByteArrayOutputStream();
    ScanSummary summary;
    try (PrintStream warnings = new PrintStream(warningText, true, StandardCharsets.UTF_8)) {
      summary =
          AuditScanner.scan(
              auditDir,
              period,
              line -> {
                if (closed) {
                  return false;
                }
                learn(
                    line.text(AuditFields.CLIENT),
                    line.text(AuditFields.HOST),
                    AuditDecision.DENY.wireName().equals(line.text(AuditFields.DECISION)),
                    line.text(AuditFields.TS),
                    line.count());
                return true;
              },
              warnings);
    }
    if (warningText.size() > 0) {
      LOG.warn(
          "reading the anomaly baseline from {}:\n{}",
          auditDir,
          warningText.toString(StandardCharsets.UTF_8).strip());
    }
    for (ClientUsual usual : clients.asMap().values()) {
      usual.baselineRead();
    }
    baselineRead = true;
    LOG.info(
        "anomaly baseline read: {} records in {} files of {} in {} ms; tracking {} entries",
        summary.matched(),
        summary.files(),
        auditDir,
        (System.nanoTime() - started) / 1_000_000,
        tracked());
  }

  /** There is no baseline to read: new destinations are judged on what the watch learns live. */
  public void baselineSkipped() {
    for (ClientUsual usual : clients.asMap().values()) {
      usual.baselineRead();
    }
    baselineRead = true;
  }

  /**
   * True once the baseline has been read (or skipped): new destinations are judged from then on.
   */
  public boolean baselineRead() {
    return baselineRead;
  }

  /** One baseline record. */
  private void learn(String client, String host, boolean denied, String ts, long count) {
    if (client == null || client.isEmpty() || ts == null) {
      return;
    }
    long hour = epochHour(ts);
    if (hour == Long.MIN_VALUE) {
      return;
    }
    ClientUsual usual = usualOf(client);
    seen(usual, Math.floorDiv(hour, 24));
    if (denied) {
      usual.learnDenied(hour, count);
    }
    if (host != null) {
      remember(client, usual.groups(), host);
    }
  }

  /**
   * Takes one finished record (a {@code null} is ignored) and raises what it shows. Cheap, never
   * blocks, never throws.
   */
  public void observe(AuditRecord record) {
    if (!active || closed || record == null || record.client().isEmpty()) {
      return;
    }
    try {
      judge(record);
    } catch (RuntimeException e) {
      // A side channel: it must not break the request path (STYLE 5).
      LOG.error("could not watch a record for anomalies", e);
    }
  }

  private void judge(AuditRecord record) {
    String client = record.client();
    String host = record.host();
    long millis = record.ts().toEpochMilli();
    long hour = Math.floorDiv(millis, 3_600_000L);
    long today = Math.floorDiv(hour, 24);
    ClientUsual usual = usualOf(client);
    seen(usual, today);
    boolean denied = record.decision() == AuditDecision.DENY;
    if (denied && host != null && record.summary() == null && settings.on(AnomalyKind.BEACONING)) {
      Beat beat = beats.get(new Pair(client, host), k -> new Beat(settings.beaconMinAttempts()));
      Beat.Rhythm rhythm = beat.add(millis, settings.beaconMaxGap(), settings.beaconMaxSpread());
      if (rhythm != null) {
        raise(AnomalyKind.BEACONING, client, host, rhythm.describe());
      }
    }
    if (denied && settings.on(AnomalyKind.BURST)) {
      long count =
          usual.deniedNow(
              hour,
              record.count(),
              usual.hasBaseline(today),
              settings.burstFactor(),
              settings.burstMinDenied());
      if (count >= 0) {
        raise(
            AnomalyKind.BURST,
            client,
            null,
            String.format(
                Locale.ROOT,
                "%d denied requests in the hour from %s; its busiest hour before had %d",
                count,
                Instant.ofEpochSecond(hour * 3600),
                usual.busiest()));
      }
    }
    if (host != null) {
      boolean isNew = remember(client, usual.groups(), host);
      if (isNew
          && baselineRead
          && settings.on(AnomalyKind.NEW_DESTINATION)
          && hasBaseline(usual, today)) {
        raise(
            AnomalyKind.NEW_DESTINATION,
            client,
            host,
            usual.groups().isEmpty()
                ? "never asked for before by this client"
                : "never asked for before by this client nor its groups "
                    + usual.groups().stream()
                        .map(key -> key.substring(GROUP.length()))
                        .collect(Collectors.joining(", ")));
      }
    }
  }

  /** Notes the day for the client and for each of its groups. */
  private void seen(ClientUsual usual, long day) {
    usual.seen(day);
    for (String group : usual.groups()) {
      usualOf(group).seen(day);
    }
  }

  /** The client, or one of its groups, was seen on enough days before {@code today}. */
  private boolean hasBaseline(ClientUsual usual, long today) {
    if (usual.hasBaseline(today)) {
      return true;
    }
    for (String group : usual.groups()) {
      if (usualOf(group).hasBaseline(today)) {
        return true;
      }
    }
    return false;
  }

  private ClientUsual usualOf(String client) {
    return clients.get(
        client,
        c ->
            new ClientUsual(
                settings.minBaselineDays(),
                c.startsWith(GROUP)
                    ? List.of()
                    : groupsOf.apply(c).stream().map(group -> GROUP + group).toList()));
  }

  /**
   * Notes that {@code client} asked for {@code host}; true when neither it nor any of its groups
   * had before. A host the client knows costs one lookup.
   */
  private boolean remember(String client, List<String> groups, String host) {
    Pair own = new Pair(client, host);
    if (known.getIfPresent(own) != null) {
      return false;
    }
    boolean isNew = true;
    for (String group : groups) {
      Pair theirs = new Pair(group, host);
      if (known.getIfPresent(theirs) != null) {
        isNew = false;
      } else {
        known.put(theirs, Boolean.TRUE);
      }
    }
    known.put(own, Boolean.TRUE);
    return isNew;
  }

  private void raise(AnomalyKind kind, String client, String host, String detail) {
    raised.get(kind).increment();
    alerts.raise(alertKind(kind), client, host, detail);
  }

  private static AlertKind alertKind(AnomalyKind kind) {
    return switch (kind) {
      case BEACONING -> AlertKind.ANOMALY_BEACONING;
      case BURST -> AlertKind.ANOMALY_BURST;
      case NEW_DESTINATION -> AlertKind.ANOMALY_NEW_DESTINATION;
      default -> throw new IllegalArgumentException("not a live kind: " + kind);
    };
  }

  /** How many times the watch raised {@code kind} (before the dispatcher's deduplication). */
  public long raised(AnomalyKind kind) {
    return raised.get(kind).sum();
  }

  /** The entries of the three tables together; each stays at or below {@code liveMaxTracked}. */
  public long tracked() {
    return clients.estimatedSize() + beats.estimatedSize() + known.estimatedSize();
  }

  /** The sizes of the tables (clients, beats, known pairs) after pending evictions, for tests. */
  long[] tableSizes() {
    clients.cleanUp();
    beats.cleanUp();
    known.cleanUp();
    return new long[] {clients.estimatedSize(), beats.estimatedSize(), known.estimatedSize()};
  }

  /**
   * The sink the gateway hands its records to: {@code alerts} (which the watch raises on too), and
   * every record also to this watch. Closing it closes {@code alerts}, not the watch.
   */
  public AlertSink feeding() {
    return new Feeding();
  }

  /** Stops reading the baseline, if it still is, and stops watching. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Thread thread = reader;
    if (thread != null) {
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * The epoch hour of a record's {@code ts}: the writer's {@code 2026-11-23T10:15:30.123Z} is read
   * by position (the baseline reads millions); any other form through {@link Instant#parse}. {@link
   * Long#MIN_VALUE} when it is not a time.
   */
  static long epochHour(String ts) {
    try {
      if (ts.length() == 24 && ts.charAt(10) == 'T' && ts.charAt(23) == 'Z') {
        long day =
            LocalDate.of(
                    Integer.parseInt(ts, 0, 4, 10),
                    Integer.parseInt(ts, 5, 7, 10),
                    Integer.parseInt(ts, 8, 10, 10))
                .toEpochDay();
        return day * 24 + Integer.parseInt(ts, 11, 13, 10);
      }
      return Math.floorDiv(Instant.parse(ts).getEpochSecond(), 3600L);
    } catch (NumberFormatException | DateTimeException e) {
      return Long.MIN_VALUE;
    }
  }

  /** {@link #feeding()}. */
  private final class Feeding implements AlertSink {
    @Override
    public void onRecord(AuditRecord record) {
      alerts.onRecord(record);
      observe(record);
    }

    @Override
    public void raise(AlertKind kind, String client, String host, String detail) {
      alerts.raise(kind, client, host, detail);
    }

    @Override
    public List<AlertChannelCounts> channelCounts() {
      return alerts.channelCounts();
    }

    @Override
    public long droppedEvents() {
      return alerts.droppedEvents();
    }

    @Override
    public void close() {
      alerts.close();
    }
  }
}
