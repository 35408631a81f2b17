package dev.patchgate.audit.alert;

import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;

/**
 * The JSON body of a webhook alert: {@code text} (what Slack and Teams incoming webhooks show),
 * then the same facts as fields for receivers that route on them:
 *
 * <pre>{@code
 * {"text":"patchgate: denied request from 10.10.1.5 to evil.example (host not in allowlist)",
 *  "kind":"denied","client":"10.10.1.5","host":"evil.example","detail":"host not in allowlist",
 *  "count":1,"summary":false,"at":"2026-11-23T10:15:30.123Z","window_seconds":600}
 * }</pre>
 *
 * <p>Strings are escaped so that no value can end its string: quotes, backslashes, every control
 * character, U+2028/U+2029 and lone surrogates. Stateless.
 */
final class WebhookMessage {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final DateTimeFormatter AT =
      new DateTimeFormatterBuilder().appendInstant(3).toFormatter();

  private WebhookMessage() {}

  static String json(Alert alert) {
    StringBuilder j = new StringBuilder(384).append('{');
    field(j, "text", alert.text()).append(',');
    field(j, "kind", alert.kind().wireName()).append(',');
    field(j, "client", alert.client()).append(',');
    field(j, "host", alert.host()).append(',');
    field(j, "detail", alert.detail()).append(',');
    j.append("\"count\":").append(alert.count()).append(',');
    j.append("\"summary\":").append(alert.summary()).append(',');
    field(j, "at", AT.format(alert.at())).append(',');
    j.append("\"window_seconds\":").append(alert.window().toSeconds());
    return j.append('}').toString();
  }

  private static StringBuilder field(StringBuilder j, String name, String value) {
    j.append('"').append(name).append("\":\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      boolean pair =
          Character.isHighSurrogate(c)
              && i + 1 < value.length()
              && Character.isLowSurrogate(value.charAt(i + 1));
      if (pair) {
        j.append(c).append(value.charAt(++i));
      } else if (c == '"' || c == '\\') {
        j.append('\\').append(c);
      } else if (c < 0x20
          || (c >= 0x7f && c <= 0x9f)
          || c == '\u2028'
          || c == '\u2029'
          || Character.isSurrogate(c)) {
        j.append("\\u")
            .append(HEX[(c >> 12) & 0xf])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      } else {
        j.append(c);
      }
    }
    return j.append('"');
  }
}
