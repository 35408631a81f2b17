package dev.patchgate.proxy;

import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditSink;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * An audit sink in memory: keeps every record appended, or throws while {@link #failing} is set, as
 * a sink whose disk is gone would. Public for the unit tests of the gateway's packages.
 */
public final class RecordingAuditSink implements AuditSink {
  /** The records appended, in order. */
  public final List<AuditRecord> records = new CopyOnWriteArrayList<>();

  /** While true, {@link #append} throws. */
  public volatile boolean failing;

  @Override
  public void append(AuditRecord record) {
    if (failing) {
      throw new IllegalStateException("audit disk gone");
    }
    records.add(record);
  }

  @Override
  public CompletableFuture<Void> sync() {
    return CompletableFuture.completedFuture(null);
  }

  @Override
  public long writeFailures() {
    return 0;
  }

  @Override
  public long droppedRecords() {
    return 0;
  }

  @Override
  public boolean healthy() {
    return true;
  }

  @Override
  public void onHealthChange(Consumer<Boolean> listener) {}

  @Override
  public void close() {}
}
