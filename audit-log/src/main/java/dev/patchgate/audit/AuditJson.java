package dev.patchgate.audit;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * Encodes an {@link AuditRecord} as one line of JSON, fields in the order of {@link
 * AuditFields#IN_ORDER}, then, for a summary record only, {@link AuditFields#SUMMARY_IN_ORDER}.
 *
 * <p>The output never contains a line break, a control character or a lone surrogate, whatever the
 * record's strings hold, so one record is always exactly one line and no URL or header can forge
 * another record or field. Stateless and thread-safe.
 */
public final class AuditJson {
  // Always three fraction digits, so that records sort and compare as text.
  private static final DateTimeFormatter TS_FORMAT =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private AuditJson() {}

  /**
   * Returns {@code record} as a JSON object on one line, without a trailing newline.
   *
   * @throws NullPointerException if {@code record} is {@code null}
   */
  public static String toJson(AuditRecord record) {
    StringBuilder out = new StringBuilder(256);
    appendTo(out, record);
    return out.toString();
  }

  /** Appends what {@link #toJson} returns to {@code out}; lets the writer reuse one buffer. */
  static void appendTo(StringBuilder out, AuditRecord record) {
    appendBodyTo(out, record);
    out.append('}');
  }

  /**
   * Appends the record's object without its closing brace, so that the writer can add the chain
   * fields after the record's own.
   */
  static void appendBodyTo(StringBuilder out, AuditRecord record) {
    // One line per field, in wire order: a new field is one line here plus one constant.
    JsonObjectBuilder json =
        new JsonObjectBuilder(out)
            .string(AuditFields.TS, formatTs(record.ts()))
            .string(AuditFields.ID, record.id())
            .string(AuditFields.CLIENT, record.client())
            .string(AuditFields.VIA, record.via())
            .string(AuditFields.METHOD, record.method())
            .string(AuditFields.URL, record.url())
            .string(AuditFields.HOST, record.host())
            .number(AuditFields.PORT, record.port())
            .string(AuditFields.DECISION, record.decision().wireName())
            .string(AuditFields.ENTRY, record.entry())
            .string(AuditFields.REASON, record.reason())
            .bool(AuditFields.WOULD_DENY, record.wouldDeny())
            .number(AuditFields.STATUS, record.status())
            .number(AuditFields.BYTES_TO_CLIENT, record.bytesToClient())
            .number(AuditFields.BYTES_FROM_CLIENT, record.bytesFromClient())
            .number(AuditFields.DURATION_MS, record.durationMs())
            .string(AuditFields.CONTENT_TYPE, record.contentType())
            .number(AuditFields.OBJECT_LENGTH, record.objectLength())
            .string(AuditFields.CACHE, record.cache().wireName())
            .string(AuditFields.UPSTREAM, record.upstream());
    if (record.user() != null) {
      // Only on the console's records, so every other line stays as it always was.
      json.string(AuditFields.USER, record.user());
    }
    AuditSummary summary = record.summary();
    if (summary != null) {
      // Only on summary records, so ordinary lines stay as they always were.
      json.number(AuditFields.COUNT, summary.count())
          .string(AuditFields.LAST_TS, formatTs(summary.lastTs()))
          .string(AuditFields.HOSTS, summary.hostsText())
          .number(AuditFields.MORE_HOSTS, summary.moreHosts());
    }
  }

  /**
   * Formats a {@code ts} value as every audit line writes it: UTC, always three fraction digits.
   */
  static String formatTs(Instant ts) {
    return TS_FORMAT.format(ts);
  }
}
