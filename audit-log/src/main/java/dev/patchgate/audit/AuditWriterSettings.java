package dev.patchgate.audit;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link JsonLinesAuditWriter} writes: where, how often it flushes, how long it keeps day
 * files, and whether it writes a Squid-format access log beside the JSON lines. Immutable.
 *
 * @param dir the directory of the day files; created if missing
 * @param flushInterval the longest time an accepted record waits before it is written and fsynced,
 *     and the interval between retries after a failed write; positive
 * @param retainDays day files (JSON and access log) dated more than this many days before today
 *     (UTC) are deleted, at start-up and whenever the writer moves to a new day; at least 1
 * @param squidLog whether to write {@code access-YYYY-MM-DD.log} in Squid's native format as well
 */
public record AuditWriterSettings(
    Path dir, Duration flushInterval, int retainDays, boolean squidLog) {

  /** The retention the gateway uses unless configured otherwise: 400 days. */
  public static final int DEFAULT_RETAIN_DAYS = 400;

  /**
   * Validates the settings.
   *
   * @throws NullPointerException if {@code dir} or {@code flushInterval} is {@code null}
   * @throws IllegalArgumentException naming the value and what is expected, when {@code
   *     flushInterval} is not positive or {@code retainDays} is below 1
   */
  public AuditWriterSettings {
    Objects.requireNonNull(dir, "dir");
    Objects.requireNonNull(flushInterval, "flushInterval");
    if (flushInterval.isNegative() || flushInterval.isZero()) {
      throw new IllegalArgumentException("flushInterval: " + flushInterval + " (expected: > 0)");
    }
    if (retainDays < 1) {
      throw new IllegalArgumentException("retainDays: " + retainDays + " (expected: >= 1)");
    }
  }

  /**
   * The gateway's defaults for {@code dir}: flush every {@link
   * JsonLinesAuditWriter#DEFAULT_FLUSH_INTERVAL}, keep {@value #DEFAULT_RETAIN_DAYS} days, no
   * Squid-format log.
   */
  public static AuditWriterSettings defaults(Path dir) {
    return new AuditWriterSettings(
        dir, JsonLinesAuditWriter.DEFAULT_FLUSH_INTERVAL, DEFAULT_RETAIN_DAYS, false);
  }
}
