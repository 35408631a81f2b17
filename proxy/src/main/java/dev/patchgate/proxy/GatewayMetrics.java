package dev.patchgate.proxy;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;

/** The gateway's counters, registered once; names and tags are part of the operator's interface. */
final class GatewayMetrics {
  static final String REQUESTS = "patchgate.requests";
  static final String BYTES = "patchgate.bytes";
  static final String AUDIT_FAILURES = "patchgate.audit.failures";

  private final Map<AuditDecision, Counter> requests = new EnumMap<>(AuditDecision.class);
  private final Counter bytesToClients;
  private final Counter bytesFromClients;
  private final Counter auditFailures;

  GatewayMetrics(MeterRegistry registry) {
    for (AuditDecision d : AuditDecision.values()) {
      requests.put(
          d,
          Counter.builder(REQUESTS)
              .description("Requests and tunnels, by the gateway's decision")
              .tag("decision", d.wireName())
              .register(registry));
    }
    bytesToClients =
        Counter.builder(BYTES).baseUnit("bytes").tag("direction", "to_client").register(registry);
    bytesFromClients =
        Counter.builder(BYTES).baseUnit("bytes").tag("direction", "from_client").register(registry);
    auditFailures =
        Counter.builder(AUDIT_FAILURES)
            .description("Exchanges whose audit record could not be produced")
            .register(registry);
  }

  void exchangeFinished(AuditRecord record) {
    requests.get(record.decision()).increment();
    bytesToClients.increment((double) record.bytesToClient());
    bytesFromClients.increment((double) record.bytesFromClient());
  }

  void auditFailure() {
    auditFailures.increment();
  }
}
