package dev.patchgate.audit.alert;

import dev.patchgate.audit.text.DisplayText;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * Formats an alert as an RFC 5424 syslog message:
 *
 * <pre>{@code
 * <164>1 2026-11-23T10:15:30.123Z gw1 patchgate - ALERT [patchgate@32473 client="10.10.1.5"
 *     host="evil.example" kind="denied" count="1" summary="false"] patchgate: denied request ...
 * }</pre>
 *
 * <p>Severity is always warning (4); PRI is facility * 8 + 4. The structured-data values escape
 * {@code "}, {@code \} and {@code ]} with a backslash (RFC 5424 section 6.3.3), after control
 * characters have been made visible ({@link DisplayText#clean}), so no value can end the element,
 * the message or the line. The MSG is UTF-8 without a BOM. Stateless.
 *
 * <p>Public for the audit forwarder, which frames and names its messages the same way.
 */
public final class SyslogMessage {
  /**
   * The SD-ID: name@private-enterprise-number. 32473 is the number IANA reserves for documentation
   * examples (RFC 5612); a registered number can replace it without other changes.
   */
  static final String SD_ID = "patchgate@32473";

  static final String APP_NAME = "patchgate";
  static final int SEVERITY_WARNING = 4;

  private static final DateTimeFormatter TIMESTAMP =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private SyslogMessage() {}

  /** The message for {@code alert}, from {@code hostname} (already a valid HOSTNAME or "-"). */
  static String format(Alert alert, int facility, String hostname) {
    StringBuilder m = new StringBuilder(256);
    m.append('<')
        .append(facility * 8 + SEVERITY_WARNING)
        .append(">1 ")
        .append(TIMESTAMP.format(alert.at()))
        .append(' ')
        .append(hostname)
        .append(' ')
        .append(APP_NAME)
        .append(" - ALERT [")
        .append(SD_ID);
    param(m, "client", alert.client());
    param(m, "host", alert.host());
    param(m, "kind", alert.kind().wireName());
    param(m, "count", Long.toString(alert.count()));
    param(m, "summary", Boolean.toString(alert.summary()));
    m.append("] ").append(DisplayText.clean(alert.text()));
    return m.toString();
  }

  /**
   * A HOSTNAME field for {@code name}: printable ASCII without spaces, at most 255 characters;
   * {@code -} (the NILVALUE) when nothing of it is usable.
   */
  public static String hostname(String name) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < name.length() && out.length() < 255; i++) {
      char c = name.charAt(i);
      if (c > 32 && c < 127) {
        out.append(c);
      }
    }
    return out.length() == 0 ? "-" : out.toString();
  }

  /**
   * Writes one message with RFC 6587 octet-counting framing ({@code LEN SP MSG}), as RFC 5425
   * frames messages over TLS too; does not flush.
   */
  public static void writeOctetCounted(OutputStream out, byte[] message) throws IOException {
    out.write((message.length + " ").getBytes(StandardCharsets.US_ASCII));
    out.write(message);
  }

  private static void param(StringBuilder m, String name, String value) {
    m.append(' ').append(name).append("=\"");
    String clean = DisplayText.clean(value);
    for (int i = 0; i < clean.length(); i++) {
      char c = clean.charAt(i);
      if (c == '"' || c == '\\' || c == ']') {
        m.append('\\');
      }
      m.append(c);
    }
    m.append('"');
  }
}
