package dev.patchgate.audit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Housekeeping of an audit directory on a background daemon thread named {@value #THREAD_NAME}:
 * gzips finished day files and deletes expired ones, as {@link MaintenancePolicy} decides, so that
 * the writer thread never waits for it. A day the audit forwarder has not finished ({@link
 * ForwardCursor}) is not deleted.
 *
 * <p>Failures are logged and left for the next sweep; they never affect the writer's health,
 * because an uncompressed or not yet deleted file loses no record. Thread-safe.
 */
final class AuditMaintenance {
  static final String THREAD_NAME = "patchgate-audit-maintenance";

  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate.audit");

  private final Path dir;
  private final Clock clock;
  private final int retainDays;
  private final ExecutorService executor =
      Executors.newSingleThreadExecutor(
          task -> {
            Thread thread = new Thread(task, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
          });

  AuditMaintenance(Path dir, Clock clock, int retainDays) {
    this.dir = dir;
    this.clock = clock;
    this.retainDays = retainDays;
  }

  /**
   * Queues one sweep of the directory; days before {@code finishedBefore} are finished and may be
   * compressed or deleted. Returns at once; ignored after {@link #close}.
   */
  void sweep(LocalDate finishedBefore) {
    try {
      executor.execute(() -> sweepNow(finishedBefore));
    } catch (RejectedExecutionException e) {
      // Closed: the next start-up sweeps.
    }
  }

  /** A future that completes once everything queued before this call is done; for tests. */
  CompletableFuture<Void> idle() {
    try {
      return CompletableFuture.runAsync(() -> {}, executor);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.completedFuture(null);
    }
  }

  /**
   * Stops housekeeping, interrupting a compression in progress (which then leaves the plain file
   * and removes its temporary file); waits a few seconds for that.
   */
  void close() {
    executor.shutdownNow();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void sweepNow(LocalDate finishedBefore) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    List<Path> delete = new ArrayList<>();
    List<Path> compress = new ArrayList<>();
    LocalDate unforwardedFrom = ForwardCursor.read(dir).map(ForwardCursor::day).orElse(null);
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path path : (Iterable<Path>) entries::iterator) {
        Optional<DayFileName> name = DayFileName.parse(path.getFileName().toString());
        if (name.isEmpty()) {
          continue;
        }
        switch (MaintenancePolicy.decide(
            name.get(), today, retainDays, finishedBefore, unforwardedFrom)) {
          case DELETE -> delete.add(path);
          case COMPRESS -> compress.add(path);
          case KEEP -> {}
        }
      }
    } catch (IOException e) {
      LOG.warn("Cannot list the audit directory {} for housekeeping; trying again later", dir, e);
      return;
    }
    delete.sort(Comparator.naturalOrder());
    compress.sort(Comparator.naturalOrder());
    int expired = 0;
    for (Path path : delete) {
      try {
        boolean gone = Files.deleteIfExists(path);
        expired += gone && !path.getFileName().toString().endsWith(".tmp") ? 1 : 0;
      } catch (IOException e) {
        LOG.warn("Cannot delete audit file {}; trying again later", path, e);
      }
    }
    if (expired > 0) {
      LOG.info("Deleted {} audit files older than {} days from {}", expired, retainDays, dir);
    }
    for (Path path : compress) {
      if (Thread.currentThread().isInterrupted()) {
        return;
      }
      try {
        DayFileCompressor.compress(path);
      } catch (IOException e) {
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
        LOG.warn("Cannot compress audit file {}; it stays uncompressed for now", path, e);
      }
    }
  }
}
