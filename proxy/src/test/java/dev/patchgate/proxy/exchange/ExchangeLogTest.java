package dev.patchgate.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.alert.AlertChannelCounts;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.proxy.RecordingAuditSink;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/**
 * A finished exchange goes to the audit sink, the metrics and the alerts, each on its own failure
 * path (STYLE.md rule 5): one of them throwing neither stops the others nor is counted as another's
 * failure.
 */
class ExchangeLogTest {
  private final RecordingAuditSink audit = new RecordingAuditSink();
  private final RecordingAlertSink alerts = new RecordingAlertSink();

  @Test
  void aThrowingMetricsRegistryStopsNeitherTheAuditRecordNorTheAlert() {
    BrokenCounters registry = new BrokenCounters(GatewayMetrics.REQUESTS);

    log(registry).finished(exchange(), 10, 20);

    assertThat(audit.records).hasSize(1);
    assertThat(alerts.records).hasSize(1);
    assertThat(count(registry, GatewayMetrics.METRICS_FAILURES)).isEqualTo(1);
    assertThat(count(registry, GatewayMetrics.AUDIT_FAILURES)).isZero();
  }

  @Test
  void aThrowingAuditSinkIsCountedAsAnAuditFailureAndTheMetricsAndAlertsStillSeeTheRecord() {
    audit.failing = true;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    log(registry).finished(exchange(), 10, 20);

    assertThat(count(registry, GatewayMetrics.AUDIT_FAILURES)).isEqualTo(1);
    assertThat(registry.find(GatewayMetrics.REQUESTS).tag("decision", "deny").counter().count())
        .isEqualTo(1);
    assertThat(alerts.records).hasSize(1);
  }

  @Test
  void aThrowingAlertSinkIsCountedApartAndTheRecordIsWrittenAndCounted() {
    alerts.failing = true;
    SimpleMeterRegistry registry = new SimpleMeterRegistry();

    log(registry).finished(exchange(), 10, 20);

    assertThat(audit.records).hasSize(1);
    assertThat(registry.find(GatewayMetrics.REQUESTS).tag("decision", "deny").counter().count())
        .isEqualTo(1);
    assertThat(count(registry, GatewayMetrics.ALERT_RULE_FAILURES)).isEqualTo(1);
    assertThat(count(registry, GatewayMetrics.AUDIT_FAILURES)).isZero();
  }

  @Test
  void aRegistryThatAlsoFailsToCountTheFailureStillLetsTheAlertThrough() {
    BrokenCounters registry =
        new BrokenCounters(GatewayMetrics.REQUESTS, GatewayMetrics.METRICS_FAILURES);

    log(registry).finished(exchange(), 10, 20);

    assertThat(audit.records).hasSize(1);
    assertThat(alerts.records).hasSize(1);
  }

  @Test
  void theDurationIsMeasuredWithTheGivenTicker() {
    long[] now = {1_000_000_000L};
    ExchangeLog log =
        new ExchangeLog(
            audit,
            alerts,
            new GatewayMetrics(new SimpleMeterRegistry(), audit, alerts, new OpenTunnels()),
            Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
            () -> now[0]);
    Exchange exchange =
        new Exchange("t-1", Instant.EPOCH, now[0], "127.0.0.1", "GET", "http://a.test/", false);
    now[0] += 1_500_000_000L;

    log.finished(exchange, 0, 0);

    assertThat(audit.records.get(0).durationMs()).isEqualTo(1500);
  }

  @Test
  void rateLimitedExchangesBeyondTenASecondAreWrittenAndCountedAsOneSummary() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ExchangeLog log = log(registry);
    for (int i = 0; i < 30; i++) {
      Exchange exchange =
          new Exchange("t-" + i, Instant.EPOCH, 0, "127.0.0.1", "GET", "http://a.test/", false);
      exchange.rateLimited(1);
      log.finished(exchange, 100, 50);
    }
    assertThat(audit.records).hasSize(10).allMatch(r -> r.summary() == null);

    log.flushRefusals();

    assertThat(audit.records).hasSize(11);
    AuditRecord summary = audit.records.get(10);
    assertThat(summary.count()).isEqualTo(20);
    assertThat(summary.reason()).isEqualTo(Exchange.RATE_LIMIT);
    assertThat(alerts.records).hasSize(11);
    assertThat(registry.find(GatewayMetrics.REQUESTS).tag("decision", "deny").counter().count())
        .isEqualTo(30);
    assertThat(count(registry, GatewayMetrics.RATE_LIMITED)).isEqualTo(30);
    assertThat(registry.find(GatewayMetrics.BYTES).tag("direction", "to_client").counter().count())
        .as("the summarised exchanges' bytes still count")
        .isEqualTo(3000);
  }

  private ExchangeLog log(SimpleMeterRegistry registry) {
    return new ExchangeLog(
        audit,
        alerts,
        new GatewayMetrics(registry, audit, alerts, new OpenTunnels()),
        Clock.fixed(Instant.EPOCH, ZoneOffset.UTC),
        () -> 0L);
  }

  /** A denied request: something the alert rules look at. */
  private static Exchange exchange() {
    Exchange exchange =
        new Exchange("t-1", Instant.EPOCH, 0, "127.0.0.1", "GET", "http://a.test/", false);
    exchange.denied("host not in allowlist");
    return exchange;
  }

  private static double count(SimpleMeterRegistry registry, String name) {
    Counter counter = registry.find(name).counter();
    return counter == null ? 0 : counter.count();
  }

  /** A registry whose counters of the given names throw when counted. */
  private static final class BrokenCounters extends SimpleMeterRegistry {
    private final List<String> broken;

    BrokenCounters(String... broken) {
      this.broken = List.of(broken);
    }

    @Override
    protected Counter newCounter(Meter.Id id) {
      Counter real = super.newCounter(id);
      if (!broken.contains(id.getName())) {
        return real;
      }
      return new Counter() {
        @Override
        public void increment(double amount) {
          throw new IllegalStateException("metrics backend down");
        }

        @Override
        public double count() {
          return real.count();
        }

        @Override
        public Meter.Id getId() {
          return id;
        }
      };
    }
  }

  private static final class RecordingAlertSink implements AlertSink {
    final List<AuditRecord> records = new CopyOnWriteArrayList<>();
    volatile boolean failing;

    @Override
    public void onRecord(AuditRecord record) {
      if (failing) {
        throw new IllegalStateException("alert rules broken");
      }
      records.add(record);
    }

    @Override
    public void raise(AlertKind kind, String client, String host, String detail) {}

    @Override
    public List<AlertChannelCounts> channelCounts() {
      return List.of();
    }

    @Override
    public long droppedEvents() {
      return 0;
    }

    @Override
    public void close() {}
  }
}
