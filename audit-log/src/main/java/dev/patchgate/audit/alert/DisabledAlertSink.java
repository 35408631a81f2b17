package dev.patchgate.audit.alert;

import dev.patchgate.audit.AuditRecord;
import java.util.List;

/** Alerting turned off: takes everything, does nothing. */
final class DisabledAlertSink implements AlertSink {
  static final DisabledAlertSink INSTANCE = new DisabledAlertSink();

  private DisabledAlertSink() {}

  @Override
  public void onRecord(AuditRecord record) {}

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
