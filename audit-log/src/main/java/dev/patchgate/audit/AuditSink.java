package dev.patchgate.audit;

import java.util.concurrent.CompletableFuture;

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
   * and flushed to the operating system (not necessarily fsynced). It stays pending while writes
   * fail and are retried. After {@link #close()} it completes with the outcome of the close:
   * normally if everything accepted was written, exceptionally if records had to be given up. Never
   * {@code null}.
   */
  CompletableFuture<Void> sync();

  /** How many write attempts have failed since start; each failed retry counts again. */
  long writeFailures();

  /** How many accepted or offered records were given up and will never be written. */
  long droppedRecords();

  /** False while writes are failing (and being retried), or when the sink can no longer write. */
  boolean healthy();

  /**
   * Writes everything accepted so far, then stops and releases the files. Idempotent; blocks the
   * caller until done, so do not call it from an event loop. Records appended afterwards are
   * dropped.
   */
  @Override
  void close();
}
