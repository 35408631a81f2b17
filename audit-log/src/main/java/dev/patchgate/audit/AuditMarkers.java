package dev.patchgate.audit;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * The marker lines the gateway writes about its own log, and their field names.
 *
 * <p>A marker has a {@value AuditFields#TYPE} field, which no exchange record has, and takes its
 * place in the hash chain like a record. {@code start} and {@code stop} bracket one run of the
 * writer, so a run without its {@code stop} is one that ended uncleanly; a {@code gap} says where
 * records may be missing and why, and is what the verifier lists as a gap. Stateless.
 */
public final class AuditMarkers {
  /** {@value}: written before the first line of a run of the writer. */
  public static final String START = "start";

  /** {@value}: written after the last line of a run that was closed cleanly. */
  public static final String STOP = "stop";

  /** {@value}: records may be missing here; {@value AuditFields#REASON} says why. */
  public static final String GAP = "gap";

  /** Of a {@code gap} after a torn line: that line's length in bytes, its newline excluded. */
  public static final String TORN_BYTES = "torn_bytes";

  /** Of a {@code gap} after a torn line: lower-case hex SHA-256 of that line's bytes. */
  public static final String TORN_SHA256 = "torn_sha256";

  /** Of a {@code stop}: how many exchange records the run wrote. */
  public static final String RECORDS = "records";

  /** Of a {@code stop} or a {@code gap}: how many records were dropped without being written. */
  public static final String DROPPED = "dropped";

  /** The reason of a {@code gap} written at start-up after the previous run's torn last line. */
  public static final String TORN_AT_START = "torn last line after an unclean stop";

  /** The reason of a {@code gap} after a line cut by a failed write (disk full, for example). */
  public static final String TORN_AFTER_FAILED_WRITE = "torn line after a failed write";

  /**
   * The reason of a {@code gap} written at start-up when the last line is complete but not a {@code
   * stop}: records the previous run had accepted but not written are lost.
   */
  public static final String UNCLEAN_STOP = "no stop marker: the previous run ended uncleanly";

  /** The reason of a {@code gap} that counts records dropped without being written. */
  public static final String RECORDS_DROPPED = "records dropped without being written";

  /**
   * The start of the reason of a {@code gap} written when the end of the existing chain could not
   * be read; the chain starts again from seq 1 there, which the verifier reports as a break.
   */
  public static final String CHAIN_RESTARTED = "chain restarted: ";

  private AuditMarkers() {}

  static byte[] start(Instant ts) {
    return body(marker(ts, START));
  }

  static byte[] stop(Instant ts, long records, long dropped) {
    return body(marker(ts, STOP).number(RECORDS, records).number(DROPPED, dropped));
  }

  static byte[] gap(Instant ts, String reason) {
    return body(marker(ts, GAP).string(AuditFields.REASON, reason));
  }

  static byte[] tornGap(Instant ts, String reason, long tornBytes, String tornSha256) {
    return body(
        marker(ts, GAP)
            .string(AuditFields.REASON, reason)
            .number(TORN_BYTES, tornBytes)
            .string(TORN_SHA256, tornSha256));
  }

  static byte[] droppedGap(Instant ts, long dropped) {
    return body(
        marker(ts, GAP).string(AuditFields.REASON, RECORDS_DROPPED).number(DROPPED, dropped));
  }

  private static JsonObjectBuilder marker(Instant ts, String type) {
    return new JsonObjectBuilder(new StringBuilder(160))
        .string(AuditFields.TS, AuditJson.formatTs(ts))
        .string(AuditFields.TYPE, type);
  }

  private static byte[] body(JsonObjectBuilder marker) {
    // Left open: the chain fields and the closing brace are added when the line is sealed.
    return marker.toString().getBytes(StandardCharsets.UTF_8);
  }
}
