package dev.patchgate.audit.alert;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import java.util.Optional;

/**
 * Which finished exchanges raise an alert, and of which kind. Pure: no state, no I/O.
 *
 * <p>A denied request raises {@link AlertKind#DENIED}, except that the reason {@value
 * #UNREGISTERED_CLIENT} raises {@link AlertKind#UNREGISTERED_CLIENT} and a reason beginning with
 * {@value #SNI_REASON_PREFIX} raises {@link AlertKind#SNI_MISMATCH} (also when the exchange is
 * recorded as an error). Allowed exchanges, including those an entry in report mode would have
 * denied, raise nothing. Mirror integrity and audit failures are not in the record; the gateway
 * raises them directly.
 */
public final class AlertRules {
  /** The allowlist's reason for a client in no client group. */
  public static final String UNREGISTERED_CLIENT = "unregistered client";

  /** How every reason of the gateway's TLS SNI check begins. */
  public static final String SNI_REASON_PREFIX = "TLS SNI";

  /** How the reason of a connection the gateway closed at a connection limit begins. */
  public static final String CONNECTION_LIMIT_PREFIX = "connection limit";

  /** How the gateway's refusal of an Encrypted Client Hello begins. */
  public static final String ECH_REASON_PREFIX = "TLS ECH";

  private AlertRules() {}

  /** The alert {@code record} raises, if any; never throws for a valid record. */
  public static Optional<AlertKind> classify(AuditRecord record) {
    String reason = record.reason();
    AuditDecision decision = record.decision();
    if (decision == AuditDecision.ALLOW) {
      return Optional.empty();
    }
    if (reason != null
        && (reason.startsWith(SNI_REASON_PREFIX) || reason.startsWith(ECH_REASON_PREFIX))) {
      return Optional.of(AlertKind.SNI_MISMATCH);
    }
    if (decision != AuditDecision.DENY) {
      return Optional.empty();
    }
    if (UNREGISTERED_CLIENT.equals(reason)) {
      return Optional.of(AlertKind.UNREGISTERED_CLIENT);
    }
    if (reason != null && reason.startsWith(CONNECTION_LIMIT_PREFIX)) {
      return Optional.of(AlertKind.CONNECTION_LIMIT);
    }
    return Optional.of(AlertKind.DENIED);
  }
}
