package dev.patchgate.proxy;

import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.audit.text.ByteSize;
import dev.patchgate.mirror.MirrorStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns while the audit log still can be written: when the audit directory's file system has less
 * usable space than {@code patchgate.audit.min-free}, the gateway raises an {@code audit_disk}
 * alert, logs one WARN, and {@code /readyz} names the shortfall, so the administrator (and the load
 * balancer) hear of it before records fail and a fail-closed gateway answers 503 to every request.
 * A mirror on the same file system gives space back first: its least recently used objects are
 * deleted until the file system is back above the floor (with 5% of it to spare, so that a steady
 * trickle does not evict one object a second), and only what the mirror cannot free is reported.
 *
 * <p>Measured by one {@code statvfs} ({@link FileStore#getUsableSpace()}) once a second on a daemon
 * thread of its own, {@value #THREAD_NAME}, never per record: at the worst measured audit rate (27
 * MB/s from one flooding client) a second costs less than 3% of the default 1 GB. The evictions run
 * on the mirror's I/O thread, which this thread waits for. The last measurement is the gauge
 * {@value #FREE_BYTES} (also while the guard is off, {@code min-free = 0}).
 *
 * <p>Thread-safe: the checks run on the guard's thread; {@link #problem()} reads volatile state.
 */
final class AuditDiskGuard implements AutoCloseable {
  /** {@code patchgate_audit_disk_free_bytes}: usable bytes on the audit directory's file system. */
  static final String FREE_BYTES = "patchgate.audit.disk.free.bytes";

  private static final long PERIOD_SECONDS = 1;
  static final String THREAD_NAME = "patchgate-audit-disk";

  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate.audit");

  private final Path dir;
  private final FileStore fileStore;
  private final long minFree;
  // The mirror when it shares the audit log's file system, else null.
  private final MirrorStore mirror;
  private final AlertSink alerts;
  private final ScheduledExecutorService thread;
  // Usable bytes at the last check; -1 when it could not be measured.
  private volatile long free = -1;
  private volatile boolean low;

  private AuditDiskGuard(
      Path dir, FileStore fileStore, long minFree, MirrorStore mirror, AlertSink alerts) {
    this.dir = dir;
    this.fileStore = fileStore;
    this.minFree = minFree;
    this.mirror = mirror;
    this.alerts = alerts;
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, THREAD_NAME);
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Checks once now (so {@code /readyz} is right from the start), then every second.
   *
   * @param dir the audit directory; it exists (the audit writer created it)
   * @param minFree the floor in bytes; 0 measures for the gauge only
   * @param mirror the mirror's store, or empty when the mirror is off; used only when it is on the
   *     same file system as {@code dir}
   * @throws IOException when the directory's file system cannot be found
   */
  static AuditDiskGuard start(
      Path dir,
      long minFree,
      Optional<MirrorStore> mirror,
      Optional<Path> mirrorDir,
      AlertSink alerts,
      MeterRegistry registry)
      throws IOException {
    FileStore fileStore = Files.getFileStore(dir);
    MirrorStore neighbour = null;
    if (mirror.isPresent()
        && mirrorDir.isPresent()
        && fileStore.equals(Files.getFileStore(mirrorDir.get()))) {
      neighbour = mirror.get();
    }
    AuditDiskGuard guard =
        new AuditDiskGuard(dir.toAbsolutePath(), fileStore, minFree, neighbour, alerts);
    Gauge.builder(FREE_BYTES, guard, g -> g.free < 0 ? Double.NaN : g.free)
        .baseUnit("bytes")
        .description("Usable space on the audit directory's file system, measured every second")
        .register(registry);
    guard.check();
    guard.thread.scheduleWithFixedDelay(
        guard::check, PERIOD_SECONDS, PERIOD_SECONDS, TimeUnit.SECONDS);
    return guard;
  }

  /** The readiness line while the file system is below the floor, else empty. */
  Optional<String> problem() {
    if (!low) {
      return Optional.empty();
    }
    return Optional.of(
        shortfall(free)
            + (mirror == null ? "" : "; the mirror on the same disk gave back what it could"));
  }

  private void check() {
    try {
      long usable = measure();
      if (minFree > 0 && usable >= 0 && usable < minFree && mirror != null) {
        long freed = mirror.freeSpace(minFree - usable + minFree / 20);
        if (freed > 0) {
          LOG.info(
              "Audit disk {}: {} free, below patchgate.audit.min-free ({}); the mirror gave back {}",
              dir,
              ByteSize.human(usable),
              ByteSize.human(minFree),
              ByteSize.human(freed));
          usable = measure();
        }
      }
      free = usable;
      boolean nowLow = minFree > 0 && usable >= 0 && usable < minFree;
      if (nowLow && !low) {
        String what = shortfall(usable);
        LOG.warn("{}; audit records cannot be written once it is full", what);
        alerts.raise(AlertKind.AUDIT_DISK, null, null, what);
      } else if (!nowLow && low) {
        LOG.warn(
            "Audit disk {}: {} free again, above patchgate.audit.min-free ({})",
            dir,
            ByteSize.human(usable),
            ByteSize.human(minFree));
      }
      low = nowLow;
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: log it and carry on at the next tick.
      LOG.error("Checking the free space of audit disk {} failed", dir, e);
    }
  }

  private String shortfall(long usable) {
    return "audit disk "
        + dir
        + ": "
        + ByteSize.human(usable)
        + " free, below patchgate.audit.min-free ("
        + ByteSize.human(minFree)
        + ")";
  }

  private long measure() {
    try {
      return fileStore.getUsableSpace();
    } catch (IOException e) {
      return -1;
    }
  }

  /**
   * Stops the checks; a check under way that waits for an eviction is interrupted, so this takes at
   * most a second and keeps within the gateway's bounded stop.
   */
  @Override
  public void close() {
    thread.shutdownNow();
    try {
      thread.awaitTermination(Duration.ofSeconds(1).toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
