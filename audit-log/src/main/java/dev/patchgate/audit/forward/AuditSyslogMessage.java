package dev.patchgate.audit.forward;

import dev.patchgate.audit.alert.SyslogMessage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.util.Arrays;

/**
 * One audit line as an RFC 5424 syslog message, octet-counted (RFC 6587, and RFC 5425 over TLS):
 *
 * <pre>{@code
 * 1234 <166>1 2026-11-23T10:15:30.123Z gw-site1 patchgate - audit - {"ts":"2026-11-23T10:15:30.123Z",...,"seq":7,"hash":"..."}
 * }</pre>
 *
 * <p>The MSG is the audit line byte for byte, without its newline and without a BOM, so that the
 * collector's copy hashes exactly as the gateway's does. TIMESTAMP is the line's own {@code ts}
 * (every record and marker starts with it); severity is informational (6). Stateless.
 */
final class AuditSyslogMessage {
  static final String APP_NAME = "patchgate";
  static final String MSG_ID = "audit";
  static final int SEVERITY_INFO = 6;

  private static final byte[] TS_PREFIX = "{\"ts\":\"".getBytes(StandardCharsets.US_ASCII);
  // RFC 5424 TIMESTAMP is at most 32 characters.
  private static final int MAX_TS = 32;
  private static final DateTimeFormatter NOW =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private AuditSyslogMessage() {}

  /** The header before the MSG: {@code <PRI>1 TIMESTAMP HOSTNAME patchgate - audit - }. */
  static byte[] header(int facility, String hostname, byte[] line, Instant now) {
    return ("<"
            + (facility * 8 + SEVERITY_INFO)
            + ">1 "
            + timestamp(line, now)
            + " "
            + hostname
            + " "
            + APP_NAME
            + " - "
            + MSG_ID
            + " - ")
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** Writes {@code line} (without its newline) as one framed message; does not flush. */
  static void write(OutputStream out, int facility, String hostname, byte[] line, Instant now)
      throws IOException {
    byte[] header = header(facility, hostname, line, now);
    byte[] message = Arrays.copyOf(header, header.length + line.length);
    System.arraycopy(line, 0, message, header.length, line.length);
    SyslogMessage.writeOctetCounted(out, message);
  }

  /** The line's {@code ts} when it starts with one in the plain form the writer uses; else now. */
  private static String timestamp(byte[] line, Instant now) {
    if (line.length > TS_PREFIX.length
        && Arrays.equals(line, 0, TS_PREFIX.length, TS_PREFIX, 0, TS_PREFIX.length)) {
      int end = TS_PREFIX.length;
      while (end < line.length && end - TS_PREFIX.length <= MAX_TS && isTsChar(line[end])) {
        end++;
      }
      if (end < line.length && line[end] == '"' && end > TS_PREFIX.length) {
        return new String(
            line, TS_PREFIX.length, end - TS_PREFIX.length, StandardCharsets.US_ASCII);
      }
    }
    return NOW.format(now);
  }

  private static boolean isTsChar(byte b) {
    return (b >= '0' && b <= '9') || b == '-' || b == ':' || b == '.' || b == 'T' || b == 'Z';
  }
}
