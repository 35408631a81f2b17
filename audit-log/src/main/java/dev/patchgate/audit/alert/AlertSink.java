package dev.patchgate.audit.alert;

import dev.patchgate.audit.AuditRecord;
import java.util.List;
import java.util.Optional;

/**
 * Where the gateway reports what may need an administrator's attention.
 *
 * <p>All methods are thread-safe. {@link #onRecord} and {@link #raise} are called on the request
 * path (Netty event loops): they never block, never do I/O and never throw; what cannot be taken is
 * counted, because a failing alert channel must not slow or stop traffic.
 */
public interface AlertSink extends AutoCloseable {

  /**
   * Looks at one finished exchange and raises the alert its outcome calls for ({@link AlertRules}),
   * if any. Cheap; a {@code null} record is ignored.
   */
  void onRecord(AuditRecord record);

  /**
   * Raises an alert the audit record does not show, e.g. {@link AlertKind#MIRROR_INTEGRITY} or
   * {@link AlertKind#AUDIT_FAILURE}. {@code client}, {@code host} and {@code detail} may be {@code
   * null}.
   */
  void raise(AlertKind kind, String client, String host, String detail);

  /** Per channel, what was sent, retried, given up and dropped; empty when alerting is off. */
  List<AlertChannelCounts> channelCounts();

  /** The alerts lately given to the channels, for the console; empty when alerting is off. */
  default Optional<RecentAlerts> recent() {
    return Optional.empty();
  }

  /** Alert events refused before deduplication because the queue was full or the sink closed. */
  long droppedEvents();

  /**
   * Sends the summaries of open windows and what is queued, best effort within a few seconds, then
   * stops. Idempotent; blocks the caller, so do not call it from an event loop.
   */
  @Override
  void close();

  /** A sink that does nothing: alerting is off. */
  static AlertSink disabled() {
    return DisabledAlertSink.INSTANCE;
  }
}
