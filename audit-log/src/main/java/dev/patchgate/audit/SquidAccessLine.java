package dev.patchgate.audit;

import java.nio.charset.StandardCharsets;

/**
 * Formats an {@link AuditRecord} as one line of Squid's native access log, the format Squid 5 calls
 * {@code squid}: {@code %ts.%03tu %6tr %>a %Ss/%03>Hs %<st %rm %ru %[un %Sh/%<a %mt}.
 *
 * <p>What goes into each field, and why:
 *
 * <ul>
 *   <li>{@code %ts.%03tu}: when the exchange ended ({@code ts + duration_ms}), because Squid logs
 *       the time it wrote the entry, which is the end of the transaction.
 *   <li>{@code %6tr}: {@code duration_ms}, right-aligned in six columns.
 *   <li>{@code %>a}: {@code client}, the PC, also for a request a trusted downstream gateway
 *       relayed, as Squid logs the indirect client with {@code follow_x_forwarded_for} and {@code
 *       log_uses_indirect_client on}. The format has no field for that gateway ({@code via}); the
 *       JSON audit log keeps it.
 *   <li>{@code %Ss}: the result code from {@link #resultCode}.
 *   <li>{@code %03>Hs}: the status, {@code 000} when none was sent.
 *   <li>{@code %<st}: {@code bytes_to_client}, headers included, as Squid counts it.
 *   <li>{@code %ru}: the URL ({@code host:port} for CONNECT) escaped as Squid does with {@code
 *       uri_whitespace encode}: its {@code rfc1738_escape_unescaped} turns every byte of the UTF-8
 *       form that is a control, a space, non-ASCII or one of {@code <>"#{}|\^~[]`'} into {@code
 *       %XX} and leaves {@code %} alone. Squid's default ({@code strip}) deletes whitespace
 *       instead, which would lose evidence. The method, client, upstream and media type get the
 *       same escaping, so no value can add a field or a line.
 *   <li>{@code %[un}: always {@code -}: the gateway does not authenticate users.
 *   <li>{@code %Sh/%<a}: {@code HIER_DIRECT/<upstream>} when an upstream was dialled, else {@code
 *       HIER_NONE/-}.
 *   <li>{@code %mt}: the {@code Content-Type} up to its first {@code ;}, space or tab, as Squid
 *       keeps it; {@code -} when there is none.
 * </ul>
 *
 * <p>A summary record ({@link AuditSummary}, many refused requests in one record) writes one line
 * too, not one per request: Squid's format has no count, so this log is not a source for counting
 * refused requests (the JSON audit log is). Its time is the last request's ({@code last_ts}), its
 * method {@code -}, and its URL field {@code patchgate-summary:count=N;hosts=a.example,b.example}
 * with {@code ,+M} appended when {@code M} more hosts were asked for; result code and status as for
 * any denial ({@code TCP_DENIED/429}).
 *
 * <p>Negative numbers (which the record allows, so that a clock step never costs a record) are
 * written as 0, and a status outside 0..999 as 000, so that every line has the same ten fields.
 * Stateless and thread-safe.
 */
final class SquidAccessLine {
  private static final String UNSAFE = "<>\"#{}|\\^~[]`'";
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private SquidAccessLine() {}

  /** Formats {@code record} as one line, without its newline; always ASCII. */
  static String format(AuditRecord record) {
    long durationMs = Math.max(0, record.durationMs());
    AuditSummary summary = record.summary();
    long endMillis =
        summary != null ? summary.lastTs().toEpochMilli() : record.ts().toEpochMilli() + durationMs;
    StringBuilder out = new StringBuilder(200);
    out.append(Math.floorDiv(endMillis, 1000)).append('.');
    pad(out, Math.floorMod(endMillis, 1000), 3, '0');
    out.append(' ');
    pad(out, durationMs, 6, ' ');
    out.append(' ');
    escaped(out, record.client());
    out.append(' ').append(resultCode(record)).append('/');
    int status = record.status();
    pad(out, status >= 0 && status <= 999 ? status : 0, 3, '0');
    out.append(' ').append(Math.max(0, record.bytesToClient()));
    out.append(' ');
    escaped(out, record.method());
    out.append(' ');
    escaped(out, summary != null ? summaryUrl(summary) : record.url());
    out.append(" - ");
    if (record.upstream() == null) {
      out.append("HIER_NONE/-");
    } else {
      out.append("HIER_DIRECT/");
      escaped(out, record.upstream());
    }
    out.append(' ');
    escaped(out, mediaType(record.contentType()));
    return out.toString();
  }

  /**
   * Squid 5's result code for what the gateway did: {@code TCP_DENIED} for a denial, {@code
   * NONE_NONE} for a request that failed before it could be carried out (Squid 5 logs a malformed
   * request as {@code NONE_NONE/400}), {@code TCP_TUNNEL} for an allowed CONNECT, {@code TCP_HIT}
   * for a mirror hit, {@code TCP_REFRESH_FAIL_OLD} for a mirror copy served although due for
   * revalidation (Squid's code for a stale copy served without a successful revalidation), and
   * {@code TCP_MISS} for anything else allowed. The gateway does not revalidate, so {@code
   * TCP_REFRESH_MODIFIED}/{@code _UNMODIFIED} never occur.
   */
  static String resultCode(AuditRecord record) {
    return switch (record.decision()) {
      case DENY -> "TCP_DENIED";
      case ERROR -> "NONE_NONE";
      case ALLOW -> {
        if ("CONNECT".equals(record.method())) {
          yield "TCP_TUNNEL";
        }
        yield switch (record.cache()) {
          case HIT -> "TCP_HIT";
          case STALE -> "TCP_REFRESH_FAIL_OLD";
          case MISS, BYPASS, NONE -> "TCP_MISS";
        };
      }
    };
  }

  /** The URL field of a summary record's line; see the class comment. */
  private static String summaryUrl(AuditSummary summary) {
    StringBuilder url = new StringBuilder("patchgate-summary:count=").append(summary.count());
    url.append(";hosts=").append(String.join(",", summary.hosts()));
    if (summary.moreHosts() > 0) {
      url.append(",+").append(summary.moreHosts());
    }
    return url.toString();
  }

  private static String mediaType(String contentType) {
    if (contentType == null) {
      return "";
    }
    int end = contentType.length();
    for (int i = 0; i < contentType.length(); i++) {
      char c = contentType.charAt(i);
      if (c == ';' || c == ' ' || c == '\t') {
        end = i;
        break;
      }
    }
    return contentType.substring(0, end);
  }

  /** Appends {@code value} escaped as the class comment says, or {@code -} when it is empty. */
  private static void escaped(StringBuilder out, String value) {
    if (value == null || value.isEmpty()) {
      out.append('-');
      return;
    }
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c <= ' ' || c >= 0x7f || UNSAFE.indexOf(c) >= 0) {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      } else {
        out.append((char) c);
      }
    }
  }

  private static void pad(StringBuilder out, long value, int width, char fill) {
    String digits = Long.toString(value);
    for (int i = digits.length(); i < width; i++) {
      out.append(fill);
    }
    out.append(digits);
  }
}
