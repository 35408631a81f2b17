package dev.patchgate.audit.anomaly;

import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.alert.AlertChannelCounts;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertSink;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** An alert sink that keeps what is raised on it, before any deduplication. */
final class RecordingAlerts implements AlertSink {
  /** One {@link #raise}. */
  record Raised(AlertKind kind, String client, String host, String detail) {}

  private final List<Raised> raised = new CopyOnWriteArrayList<>();

  List<Raised> raised() {
    return List.copyOf(raised);
  }

  List<Raised> of(AlertKind kind) {
    return raised.stream().filter(r -> r.kind() == kind).toList();
  }

  @Override
  public void onRecord(AuditRecord record) {}

  @Override
  public void raise(AlertKind kind, String client, String host, String detail) {
    raised.add(new Raised(kind, client, host, detail));
  }

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
