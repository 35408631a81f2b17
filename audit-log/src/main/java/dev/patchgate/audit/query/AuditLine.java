package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditDayFile;
import dev.patchgate.audit.AuditFields;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Map;

/**
 * One exchange record found by a scan: its parsed fields and its original bytes.
 *
 * <p>Handed to an {@link AuditLineHandler} and valid only during that call: the scanner reuses it
 * and its byte buffer for the next line. Not thread-safe.
 */
public final class AuditLine {
  private AuditDayFile file;
  private long lineNumber;
  private byte[] bytes;
  private int start;
  private int end;
  private Map<String, Object> fields;

  AuditLine() {}

  void set(
      AuditDayFile file,
      long lineNumber,
      byte[] bytes,
      int start,
      int end,
      Map<String, Object> fields) {
    this.file = file;
    this.lineNumber = lineNumber;
    this.bytes = bytes;
    this.start = start;
    this.end = end;
    this.fields = fields;
  }

  /** The day file the line came from. */
  public Path file() {
    return file.path();
  }

  /** The line's 1-based number in its file. */
  public long lineNumber() {
    return lineNumber;
  }

  /**
   * Every field of the line in file order, {@code seq} and {@code hash} included; values are {@code
   * String}, {@code Long}, {@code Boolean} or {@code null}. Unmodifiable by contract: do not change
   * it.
   */
  public Map<String, Object> fields() {
    return fields;
  }

  /** The value of a string field, or {@code null} when it is absent, null or not a string. */
  public String text(String name) {
    return fields.get(name) instanceof String s ? s : null;
  }

  /** The value of a number field, or {@code null} when it is absent, null or not a number. */
  public Long number(String name) {
    return fields.get(name) instanceof Long n ? n : null;
  }

  /** The value of a number field, or {@code otherwise} when it is absent, null or not a number. */
  public long number(String name, long otherwise) {
    return fields.get(name) instanceof Long n ? n : otherwise;
  }

  /**
   * How many requests the record stands for: a summary record's {@code count}, 1 for any other (see
   * {@link AuditFields#countOf}).
   */
  public long count() {
    return AuditFields.countOf(fields);
  }

  /**
   * Whether the record is one of the admin listener's own exchanges (a metrics scrape, a console
   * page, a sign-in): its URL is a path, where every proxy record's is absolute ({@code
   * http://...}) or a CONNECT's {@code host:port}. The reports leave them out: they are neither
   * downloads nor traffic the allowlist refused.
   */
  public boolean fromAdminListener() {
    String url = text(AuditFields.URL);
    return url != null && url.startsWith("/");
  }

  /** Writes the line exactly as it is in the file, without its newline. */
  public void writeTo(OutputStream out) throws IOException {
    out.write(bytes, start, end - start);
  }
}
