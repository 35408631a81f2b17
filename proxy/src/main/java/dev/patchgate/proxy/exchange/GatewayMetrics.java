package dev.patchgate.proxy.exchange;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditSink;
import dev.patchgate.audit.alert.AlertChannelCounts;
import dev.patchgate.audit.alert.AlertSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import java.time.InstantSource;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToLongFunction;

/**
 * The gateway's counters, registered once; names and tags are part of the operator's interface.
 *
 * <p>Public for the gateway's wiring and the end-to-end tests, which read its meter names.
 */
public final class GatewayMetrics {
  public static final String REQUESTS = "patchgate.requests";
  public static final String BYTES = "patchgate.bytes";
  public static final String RATE_LIMITED = "patchgate.requests.rate_limited";
  static final String AUDIT_FAILURES = "patchgate.audit.failures";
  public static final String AUDIT_WRITE_FAILURES = "patchgate.audit.write.failures";
  public static final String AUDIT_DROPPED = "patchgate.audit.dropped";
  public static final String AUDIT_HEALTHY = "patchgate.audit.healthy";
  public static final String ALERTS_SENT = "patchgate.alerts.sent";
  public static final String CONNECTIONS_ACTIVE = "patchgate.connections.active";
  public static final String CONNECTIONS_TIMED_OUT = "patchgate.connections.timed_out";
  public static final String TUNNELS_ACTIVE = "patchgate.tunnels.active";
  public static final String MIRROR_HITS = "patchgate.mirror.hits";
  public static final String MIRROR_MISSES = "patchgate.mirror.misses";
  public static final String MIRROR_SERVED_BYTES = "patchgate.mirror.served";
  public static final String UPSTREAM_ERRORS = "patchgate.upstream.errors";
  static final String ALERTS_FAILED = "patchgate.alerts.failed";
  static final String ALERTS_DROPPED = "patchgate.alerts.dropped";
  static final String METRICS_FAILURES = "patchgate.metrics.failures";
  static final String ALERT_RULE_FAILURES = "patchgate.alerts.rule.failures";

  private final Map<AuditDecision, Counter> requests = new EnumMap<>(AuditDecision.class);
  // An exchange's reason phrase, when it names an upstream failure, and the tag it is counted
  // under.
  private static final Map<String, String> UPSTREAM_REASONS =
      Map.of(
          Exchange.UPSTREAM_NOT_FOUND, "not_found",
          Exchange.UPSTREAM_UNREACHABLE, "unreachable",
          Exchange.UPSTREAM_TIMEOUT, "timeout",
          Exchange.UPSTREAM_BROKEN, "broken",
          Exchange.UPSTREAM_SWITCHED_PROTOCOLS, "switched_protocols",
          Exchange.PARENT_UNREACHABLE, "parent_unreachable",
          Exchange.PARENT_REFUSED_CREDENTIALS, "parent_refused_credentials",
          Exchange.PARENT_REFUSED, "parent_refused");

  private final Map<String, Counter> upstreamErrors = new HashMap<>();
  private final AtomicInteger connections = new AtomicInteger();
  private final Counter headerTimeouts;
  private final Counter mirrorHits;
  private final Counter mirrorServedBytes;
  private final Counter mirrorMisses;
  private final Counter bytesToClients;
  private final Counter bytesFromClients;
  private final Counter rateLimited;
  private final Counter auditFailures;
  private final Counter metricsFailures;
  private final Counter alertFailures;
  private final RequestsPerMinute perMinute;

  public GatewayMetrics(
      MeterRegistry registry, AuditSink audit, AlertSink alerts, OpenTunnels tunnels) {
    this(registry, audit, alerts, tunnels, new RequestsPerMinute(InstantSource.system()));
  }

  /**
   * Also counts each request in {@code perMinute}, the Overview chart's last hour, exactly as the
   * {@value #REQUESTS} counter does.
   */
  public GatewayMetrics(
      MeterRegistry registry,
      AuditSink audit,
      AlertSink alerts,
      OpenTunnels tunnels,
      RequestsPerMinute perMinute) {
    this.perMinute = perMinute;
    for (AuditDecision d : AuditDecision.values()) {
      requests.put(
          d,
          Counter.builder(REQUESTS)
              .description("Requests and tunnels, by the gateway's decision")
              .tag("decision", d.wireName())
              .register(registry));
    }
    rateLimited =
        Counter.builder(RATE_LIMITED)
            .description(
                "Requests refused with 429 because their client was over its request rate (also"
                    + " counted in patchgate.requests as deny)")
            .register(registry);
    bytesToClients =
        Counter.builder(BYTES).baseUnit("bytes").tag("direction", "to_client").register(registry);
    bytesFromClients =
        Counter.builder(BYTES).baseUnit("bytes").tag("direction", "from_client").register(registry);
    Gauge.builder(CONNECTIONS_ACTIVE, connections, AtomicInteger::get)
        .description("Client connections open")
        .register(registry);
    headerTimeouts =
        Counter.builder(CONNECTIONS_TIMED_OUT)
            .description("Client connections closed at a timeout, by what they were waiting for")
            .tag("phase", "header")
            .register(registry);
    Gauge.builder(TUNNELS_ACTIVE, tunnels, OpenTunnels::size)
        .description("CONNECT tunnels open")
        .register(registry);
    // Counted per answer to a client, from its record: never per internal fill or range piece.
    mirrorHits =
        Counter.builder(MIRROR_HITS)
            .description("Answers served from the mirror (stale copies included)")
            .register(registry);
    mirrorServedBytes =
        Counter.builder(MIRROR_SERVED_BYTES)
            .baseUnit("bytes")
            .description("Bytes sent to clients from the mirror: what the upstream link was spared")
            .register(registry);
    mirrorMisses =
        Counter.builder(MIRROR_MISSES)
            .description("Mirrorable answers fetched upstream")
            .register(registry);
    for (var reason : UPSTREAM_REASONS.entrySet()) {
      upstreamErrors.put(
          reason.getKey(),
          Counter.builder(UPSTREAM_ERRORS)
              .description("Exchanges that failed upstream, by what went wrong")
              .tag("reason", reason.getValue())
              .register(registry));
    }
    auditFailures =
        Counter.builder(AUDIT_FAILURES)
            .description("Exchanges whose audit record could not be produced")
            .register(registry);
    metricsFailures =
        Counter.builder(METRICS_FAILURES)
            .description("Finished exchanges the metrics could not count")
            .register(registry);
    alertFailures =
        Counter.builder(ALERT_RULE_FAILURES)
            .description("Finished exchanges the alert rules could not look at")
            .register(registry);
    // The sink counts its own troubles; these read them, so a metrics failure cannot touch it.
    FunctionCounter.builder(AUDIT_WRITE_FAILURES, audit, AuditSink::writeFailures)
        .description("Failed attempts to write audit records (each retry counts)")
        .register(registry);
    FunctionCounter.builder(AUDIT_DROPPED, audit, AuditSink::droppedRecords)
        .description("Audit records given up")
        .register(registry);
    Gauge.builder(AUDIT_HEALTHY, audit, sink -> sink.healthy() ? 1 : 0)
        .description("1 while audit records are being written, 0 while writes fail")
        .register(registry);
    // Alert channels count their own deliveries; these read them.
    for (AlertChannelCounts channel : alerts.channelCounts()) {
      String name = channel.channel();
      FunctionCounter.builder(ALERTS_SENT, alerts, a -> count(a, name, AlertChannelCounts::sent))
          .description("Alerts delivered, by channel")
          .tag("channel", name)
          .register(registry);
      FunctionCounter.builder(
              ALERTS_FAILED, alerts, a -> count(a, name, AlertChannelCounts::failed))
          .description("Alerts given up after their retries, by channel")
          .tag("channel", name)
          .register(registry);
    }
    FunctionCounter.builder(ALERTS_DROPPED, alerts, AlertSink::droppedEvents)
        .description("Alert events refused because the alert queue was full")
        .register(registry);
  }

  private static double count(
      AlertSink alerts, String channel, ToLongFunction<AlertChannelCounts> which) {
    for (AlertChannelCounts counts : alerts.channelCounts()) {
      if (counts.channel().equals(channel)) {
        return which.applyAsLong(counts);
      }
    }
    return 0;
  }

  /**
   * Counts a finished exchange, or a summary record as the {@code count} requests it stands for
   * (their bytes were counted by {@link #summarised} as each ended).
   */
  void exchangeFinished(AuditRecord record) {
    requests.get(record.decision()).increment((double) record.count());
    perMinute.count(record.decision(), record.count());
    countBytes(record);
    switch (record.cache()) {
      case HIT, STALE -> {
        mirrorHits.increment();
        mirrorServedBytes.increment((double) record.bytesToClient());
      }
      case MISS -> mirrorMisses.increment();
      default -> {}
    }
    if (record.reason() != null) {
      Counter upstream = upstreamErrors.get(record.reason());
      if (upstream != null) {
        upstream.increment();
      }
    }
  }

  /**
   * A refused exchange whose record a summary carries: its bytes count now; the request itself
   * counts when the summary record does.
   */
  void summarised(AuditRecord record) {
    countBytes(record);
  }

  /** A request was refused because its client was over its rate. */
  void rateLimited() {
    rateLimited.increment();
  }

  private void countBytes(AuditRecord record) {
    bytesToClients.increment((double) record.bytesToClient());
    bytesFromClients.increment((double) record.bytesFromClient());
  }

  /** A client connection was accepted: counted as open until it closes. */
  public void connectionAccepted(Channel channel) {
    connections.incrementAndGet();
    channel.closeFuture().addListener(closed -> connections.decrementAndGet());
  }

  /**
   * A client connection was closed because a request head did not arrive in time (with a 408 if
   * part of it had).
   */
  public void headerTimedOut() {
    quietly(headerTimeouts);
  }

  /** A finished exchange's audit record could not be produced or handed to the sink. */
  void auditFailure() {
    quietly(auditFailures);
  }

  /** Counting a finished exchange failed: counted apart from audit failures. */
  void metricsFailure() {
    quietly(metricsFailures);
  }

  /** The alert rules could not look at a finished exchange. */
  void alertFailure() {
    quietly(alertFailures);
  }

  private static void quietly(Counter counter) {
    try {
      counter.increment();
    } catch (RuntimeException e) {
      // The registry itself is broken: the caller logged the failure, nothing more can be done.
    }
  }
}
