package dev.patchgate.proxy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalyWatch;
import dev.patchgate.proxy.config.GatewaySettings;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * The gateway's live anomaly watch: its client groups from the allowlist in force, and its meters
 * where an operator looks. Stateless.
 */
final class LiveAnomalies {
  /** {@code patchgate_anomaly_alerts_total{kind}}. */
  static final String ALERTS = "patchgate.anomaly.alerts";

  /** {@code patchgate_anomaly_tracked}. */
  static final String TRACKED = "patchgate.anomaly.tracked";

  /** {@code patchgate_anomaly_baseline_read}. */
  static final String BASELINE_READ = "patchgate.anomaly.baseline.read";

  private LiveAnomalies() {}

  /**
   * A watch on {@code alerts} as {@code settings} say, with its meters; its baseline is read once
   * the caller calls {@link AnomalyWatch#readBaselineInBackground}.
   */
  static AnomalyWatch watch(
      GatewaySettings settings,
      Supplier<Allowlist> policy,
      AlertSink alerts,
      MeterRegistry registry) {
    AnomalyWatch watch =
        new AnomalyWatch(settings.anomalies(), alerts, client -> groupsOf(policy.get(), client));
    for (AnomalyKind kind : AnomalyKind.values()) {
      if (kind.live()) {
        FunctionCounter.builder(ALERTS, watch, w -> w.raised(kind))
            .tag("kind", kind.wireName())
            .description("Anomalies the live watch raised as alerts, before deduplication")
            .register(registry);
      }
    }
    Gauge.builder(TRACKED, watch, AnomalyWatch::tracked)
        .description(
            "Clients, (client, host) beats and known destinations the live anomaly watch holds")
        .register(registry);
    Gauge.builder(BASELINE_READ, watch, w -> w.baselineRead() ? 1 : 0)
        .description(
            "1 once the live anomaly watch has read its baseline from the audit files: new"
                + " destinations are judged from then on")
        .register(registry);
    return watch;
  }

  /** The groups of the client at address {@code client}; none when it is not an address. */
  private static List<String> groupsOf(Allowlist allowlist, String client) {
    InetAddress address = NetUtil.createInetAddressFromIpAddressString(client);
    return address == null ? List.of() : allowlist.clientGroupsOf(address);
  }
}
