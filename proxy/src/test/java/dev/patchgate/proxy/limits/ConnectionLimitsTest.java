package dev.patchgate.proxy.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.proxy.RecordingAuditSink;
import dev.patchgate.proxy.exchange.ExchangeLog;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import dev.patchgate.proxy.exchange.OpenTunnels;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Per-client and gateway-wide connection counting, without sockets. */
class ConnectionLimitsTest {
  private static final String GROUPS =
      """
      clients {
        pcs = ["10.10.0.0/16"]
        wsus = ["10.20.0.10"]
        kiosk = ["10.30.0.5"]
      }
      entries { updates { hosts = ["updates.example"] } }
      """;

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final RecordingAuditSink audit = new RecordingAuditSink();
  private final AtomicLong nanos = new AtomicLong();
  private ExchangeLog log;
  private final AtomicReference<Allowlist> policy = new AtomicReference<>(parse(GROUPS));

  @Test
  void aClientGetsTheDefaultNumberOfConnectionsAndTheNextIsRefused() {
    ConnectionLimits limits = limits(3, 100);
    InetAddress pc = address("10.10.1.5");

    assertThat(limits.admit(pc)).isTrue();
    assertThat(limits.admit(pc)).isTrue();
    assertThat(limits.admit(pc)).isTrue();
    assertThat(limits.admit(pc)).isFalse();

    assertThat(limits.openOf(pc)).isEqualTo(3);
    assertThat(limits.open()).isEqualTo(3);
    assertThat(refused("per_client")).isEqualTo(1);
    assertThat(refused("total")).isZero();
    AuditRecord record = audit.records.get(0);
    assertThat(record.client()).isEqualTo("10.10.1.5");
    assertThat(record.decision()).isEqualTo(AuditDecision.DENY);
    assertThat(record.reason()).isEqualTo("connection limit (3 per client)");
    assertThat(record.method()).isEmpty();
    assertThat(record.url()).isEmpty();
    assertThat(record.status()).isZero();
    assertThat(AlertRules.classify(record)).contains(AlertKind.CONNECTION_LIMIT);
  }

  @Test
  void aClosedConnectionMakesRoomAndAClientWithNoneLeftIsForgotten() {
    ConnectionLimits limits = limits(2, 100);
    InetAddress pc = address("10.10.1.5");
    limits.admit(pc);
    limits.admit(pc);
    assertThat(limits.admit(pc)).isFalse();

    limits.closed(pc);
    assertThat(limits.admit(pc)).isTrue();

    limits.closed(pc);
    limits.closed(pc);
    assertThat(limits.openOf(pc)).isZero();
    assertThat(limits.open()).isZero();
    assertThat(limits.clients()).isZero();
  }

  @Test
  void aClientGroupsLimitRaisesOrLowersTheDefaultForItsClientsOnly() {
    policy.set(
        parse(
            GROUPS
                + "limits { wsus { connections-per-client = 5 }, kiosk { connections-per-client ="
                + " 1 } }"));
    ConnectionLimits limits = limits(2, 100);
    InetAddress wsus = address("10.20.0.10");
    InetAddress kiosk = address("10.30.0.5");
    InetAddress pc = address("10.10.1.5");

    assertThat(admitted(limits, wsus, 6)).isEqualTo(5);
    assertThat(admitted(limits, kiosk, 6)).isEqualTo(1);
    assertThat(admitted(limits, pc, 6)).isEqualTo(2);
    assertThat(audit.records)
        .extracting(AuditRecord::reason)
        .containsExactly(
            "connection limit (5 per client)",
            "connection limit (1 per client)",
            "connection limit (1 per client)",
            "connection limit (1 per client)",
            "connection limit (1 per client)",
            "connection limit (1 per client)",
            "connection limit (2 per client)",
            "connection limit (2 per client)",
            "connection limit (2 per client)",
            "connection limit (2 per client)");
  }

  @Test
  void aReloadedLimitAppliesToNewConnectionsAndLeavesOpenOnesAlone() {
    ConnectionLimits limits = limits(5, 100);
    InetAddress pc = address("10.10.1.5");
    assertThat(admitted(limits, pc, 4)).isEqualTo(4);

    policy.set(parse(GROUPS + "limits { pcs { connections-per-client = 2 } }"));

    assertThat(limits.openOf(pc)).isEqualTo(4);
    assertThat(limits.admit(pc)).isFalse();
    limits.closed(pc);
    limits.closed(pc);
    limits.closed(pc);
    assertThat(limits.admit(pc)).isTrue();
    assertThat(limits.admit(pc)).isFalse();
  }

  @Test
  void aFullGatewayRefusesEveryClientAndKeepsNoCountForTheRefused() {
    ConnectionLimits limits = limits(10, 3);
    assertThat(limits.admit(address("10.10.0.1"))).isTrue();
    assertThat(limits.admit(address("10.10.0.2"))).isTrue();
    assertThat(limits.admit(address("10.10.0.3"))).isTrue();

    assertThat(limits.admit(address("10.10.0.4"))).isFalse();

    assertThat(refused("total")).isEqualTo(1);
    assertThat(refused("per_client")).isZero();
    assertThat(limits.clients()).isEqualTo(3);
    assertThat(limits.openOf(address("10.10.0.4"))).isZero();
    assertThat(audit.records.get(0).reason()).isEqualTo("connection limit (gateway full)");
    limits.closed(address("10.10.0.2"));
    assertThat(limits.admit(address("10.10.0.4"))).isTrue();
  }

  @Test
  void aFloodBeyondTheFirstTenRefusalsASecondIsSummarisedAndEveryRefusalIsAccountedFor() {
    ConnectionLimits limits = limits(1, 100);
    InetAddress flooder = address("10.10.6.6");
    InetAddress other = address("10.10.7.7");
    limits.admit(flooder);
    limits.admit(other);

    for (int i = 0; i < 25; i++) {
      limits.admit(flooder);
    }
    limits.admit(other);
    log.flushRefusals();

    List<AuditRecord> flood =
        audit.records.stream().filter(r -> r.client().equals("10.10.6.6")).toList();
    assertThat(flood).filteredOn(r -> r.summary() == null).hasSize(10);
    assertThat(flood)
        .filteredOn(r -> r.summary() != null)
        .singleElement()
        .satisfies(r -> assertThat(r.count()).isEqualTo(15));
    assertThat(flood.stream().mapToLong(AuditRecord::count).sum()).isEqualTo(25);
    assertThat(audit.records)
        .filteredOn(r -> r.client().equals("10.10.7.7"))
        .singleElement()
        .satisfies(r -> assertThat(r.reason()).isEqualTo("connection limit (1 per client)"));
    assertThat(refused("per_client")).isEqualTo(26);
    // Refused connections are not requests: the request meters leave their summaries out.
    assertThat(registry.get(GatewayMetrics.REQUESTS).tag("decision", "deny").counter().count())
        .isZero();
  }

  @ParameterizedTest(name = "file limit {0} -> {1}")
  @CsvSource({
    // the packaged unit's LimitNOFILE
    "65536, 32512",
    // this machine's, and a common default hard limit
    "20000, 9744",
    "4096, 1792",
    // a soft limit of 1024 (the JVM raises it to the hard limit where it can)
    "1024, 256",
    // less than the reserve: still one connection, not none
    "300, 1",
    // unlimited in practice
    "9223372036854775807, 1000000",
  })
  void theDerivedGatewayLimitKeepsAFileForEveryUpstreamAndAReserve(long files, int total) {
    assertThat(ConnectionLimits.derivedFrom(OptionalLong.of(files))).isEqualTo(total);
  }

  @Test
  void withoutAFileLimitToReadTheGatewayLimitIsFixed() {
    assertThat(ConnectionLimits.derivedFrom(OptionalLong.empty())).isEqualTo(16_384);
  }

  private ConnectionLimits limits(int perClient, int total) {
    // One instant for every refusal: the summaries' seconds do not depend on how fast this runs.
    log =
        new ExchangeLog(
            audit,
            AlertSink.disabled(),
            new GatewayMetrics(registry, audit, AlertSink.disabled(), new OpenTunnels()),
            Clock.fixed(Instant.parse("2026-12-05T08:00:00Z"), ZoneOffset.UTC),
            nanos::get);
    return new ConnectionLimits(perClient, total, policy::get, log, registry);
  }

  /** How many of {@code attempts} connections of {@code client} were admitted. */
  private static int admitted(ConnectionLimits limits, InetAddress client, int attempts) {
    int admitted = 0;
    for (int i = 0; i < attempts; i++) {
      admitted += limits.admit(client) ? 1 : 0;
    }
    return admitted;
  }

  private double refused(String limit) {
    return registry.get(ConnectionLimits.REFUSED).tag("limit", limit).counter().count();
  }

  private static InetAddress address(String literal) {
    try {
      return InetAddress.getByName(literal);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Allowlist parse(String hocon) {
    try {
      return Allowlist.parse(hocon, "allowlist.conf");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
