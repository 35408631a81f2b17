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
 * raises them directly. The console's own records ({@value #CONSOLE_METHOD}) raise {@link
 * AlertKind#CONSOLE_SIGN_IN} once sign-ins are refused for too many failures, nothing otherwise.
 */
public final class AlertRules {
  /** The allowlist's reason for a client in no client group. */
  public static final String UNREGISTERED_CLIENT = "unregistered client";

  /** How every reason of the gateway's TLS SNI check begins. */
  public static final String SNI_REASON_PREFIX = "TLS SNI";

  /** How the reason of a connection the gateway closed at a connection limit begins. */
  public static final String CONNECTION_LIMIT_PREFIX = "connection limit";

  /** The allowlist's reason for a request outside its entry's schedule (the anomaly report's). */
  public static final String OUTSIDE_SCHEDULE = "outside the allowed schedule";

  /** How the gateway's refusal of an Encrypted Client Hello begins. */
  public static final String ECH_REASON_PREFIX = "TLS ECH";

  /** The method of the console's own records: a sign-in, a failed one, a sign-out, an action. */
  public static final String CONSOLE_METHOD = "CONSOLE";

  /** How the reason of a console sign-in refused after too many failures begins. */
  public static final String CONSOLE_THROTTLED_PREFIX = "too many failed sign-ins";

  private AlertRules() {}

  /** The alert {@code record} raises, if any; never throws for a valid record. */
  public static Optional<AlertKind> classify(AuditRecord record) {
    String reason = record.reason();
    AuditDecision decision = record.decision();
    if (decision == AuditDecision.ALLOW) {
      return Optional.empty();
    }
    if (CONSOLE_METHOD.equals(record.method())) {
      // One mistyped password is no alert; a run of them is.
      return reason != null && reason.startsWith(CONSOLE_THROTTLED_PREFIX)
          ? Optional.of(AlertKind.CONSOLE_SIGN_IN)
          : Optional.empty();
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
