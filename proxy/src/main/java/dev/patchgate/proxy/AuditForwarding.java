package dev.patchgate.proxy;

import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.audit.forward.AuditForwarder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The audit forwarder's state where an operator looks: three meters and the {@code audit_forward}
 * alert. (Its backlog beyond {@code max-backlog} is also a {@code /readyz} problem, wired in {@link
 * Gateway}.) Stateless.
 */
final class AuditForwarding {
  /** {@code patchgate_audit_forward_backlog_bytes}. */
  static final String BACKLOG = "patchgate.audit.forward.backlog";

  /** {@code patchgate_audit_forward_sent_total}. */
  static final String SENT = "patchgate.audit.forward.sent";

  /** {@code patchgate_audit_forward_connected}. */
  static final String CONNECTED = "patchgate.audit.forward.connected";

  private AuditForwarding() {}

  static void watch(AuditForwarder forwarder, MeterRegistry registry, AlertSink alerts) {
    Gauge.builder(BACKLOG, forwarder, AuditForwarder::backlogBytes)
        .baseUnit("bytes")
        .description("Bytes of audit lines the central collector is not known to have yet")
        .register(registry);
    FunctionCounter.builder(SENT, forwarder, AuditForwarder::sentLines)
        .description("Audit lines sent to the central collector (a line sent again counts again)")
        .register(registry);
    Gauge.builder(CONNECTED, forwarder, f -> f.connected() ? 1 : 0)
        .description("1 while a connection to the central audit collector is open")
        .register(registry);
    forwarder.onProblem(problem -> alerts.raise(AlertKind.AUDIT_FORWARD, null, null, problem));
  }
}
