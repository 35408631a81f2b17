package dev.patchgate.audit;

import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Where finished audit records go.
 *
 * <p>All methods are thread-safe. {@link #append} is called from Netty event loops, so it never
 * blocks on I/O and never throws: a record that cannot be kept is counted by the implementation,
 * not reported to the caller, because a broken audit side channel must not break the request path
 * by accident (whether it should stop traffic is a separate, named setting).
 */
public interface AuditSink extends AutoCloseable {

  /**
   * Hands over one record for writing and returns at once, without doing I/O on the caller's
   * thread. Never throws; a {@code null} record or one refused (backlog full, sink closed) is
   * counted as dropped.
   */
  void append(AuditRecord record);

  /**
   * Returns a future that completes when every record appended before this call has been written
   * and fsynced, so that it survives a crash or a power loss. It stays pending while writes fail
   * and are retried. After {@link #close()} it completes with the outcome of the close: normally if
   * everything accepted was written, exceptionally if records had to be given up. Never {@code
   * null}.
   */
  CompletableFuture<Void> sync();

  /** How many write attempts have failed since start; each failed retry counts again. */
  long writeFailures();

  /** How many accepted or offered records were given up and will never be written. */
  long droppedRecords();

  /**
   * False while writes are failing (and being retried), or when the sink can no longer write; true
   * again as soon as a write succeeds. Cheap enough to read on every request (one volatile read):
   * the gateway's {@code audit.on-failure = fail-closed} setting refuses requests while it is
   * false. Records appended meanwhile are kept, up to the sink's backlog, and written in order.
   */
  boolean healthy();

  /**
   * Registers {@code listener} to be called with the new value each time {@link #healthy()}
   * changes, for example to raise an alert when the gateway runs fail-open. Listeners run on the
   * sink's own thread, so they must return quickly and never block on the sink; an exception thrown
   * by one is logged and ignored.
   *
   * @throws NullPointerException if {@code listener} is {@code null}
   */
  void onHealthChange(Consumer<Boolean> listener);

  /**
   * Writes everything accepted so far, then stops and releases the files. Idempotent; blocks the
   * caller until done, so do not call it from an event loop. Records appended afterwards are
   * dropped.
   */
  @Override
  void close();
}
