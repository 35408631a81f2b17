package dev.patchgate.proxy.exchange;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * A request line as the client sent it, kept for the audit record of a request the decoder could
 * not parse: its method and target are recorded as sent, not as the decoder's placeholder. Both are
 * made safe for every reader of the log (JSON, terminals, spreadsheets, the Squid log): bytes
 * outside printable ASCII, {@code %} and spaces inside the target are written as {@code %XX}. A
 * method longer than {@value #MAX_METHOD} or a target longer than {@value #MAX_TARGET} characters
 * is cut, and the record says how long the whole was: {@code ...(request line: 102400 bytes)}, or
 * {@code ...(request line: over 24576 bytes)} when the line had not ended where the gateway stopped
 * reading.
 *
 * <p>Public for the request framer, which reads the raw request line.
 */
public final class RequestLine {
  static final int MAX_METHOD = 64;
  public static final int MAX_TARGET = 2048;
  // Enough for both parts even when every byte needs three characters.
  private static final int KEPT = MAX_METHOD + 1 + MAX_TARGET + 16;

  static final RequestLine NONE = new RequestLine(new byte[0], 0, true);

  // The line's first bytes (at most KEPT of them).
  private final byte[] start;
  // The line's length in bytes, without its line end, as far as it was read.
  private final int length;
  // True when the line's end was read.
  private final boolean complete;

  private RequestLine(byte[] start, int length, boolean complete) {
    this.start = start;
    this.length = length;
    this.complete = complete;
  }

  /** The request line at the head of {@code head} (leading blank lines skipped); reads nothing. */
  public static RequestLine of(ByteBuf head) {
    int from = head.readerIndex();
    int to = head.writerIndex();
    while (from < to && isBlank(head.getByte(from))) {
      from++;
    }
    int lf = head.indexOf(from, to, (byte) '\n');
    int end = lf < 0 ? to : lf;
    if (end > from && head.getByte(end - 1) == '\r') {
      end--;
    }
    byte[] start = new byte[Math.min(end - from, KEPT)];
    head.getBytes(from, start);
    return new RequestLine(start, end - from, lf >= 0);
  }

  /** True when {@code head} starts a CONNECT request, which Netty reads case-sensitively too. */
  public static boolean isConnect(ByteBuf head) {
    int from = head.readerIndex();
    int to = head.writerIndex();
    while (from < to && isBlank(head.getByte(from))) {
      from++;
    }
    byte[] connect = "CONNECT ".getBytes(StandardCharsets.US_ASCII);
    if (to - from < connect.length) {
      return false;
    }
    for (int i = 0; i < connect.length; i++) {
      if (head.getByte(from + i) != connect[i]) {
        return false;
      }
    }
    return true;
  }

  /** The method as sent, made safe and cut. */
  public String method() {
    int space = indexOf((byte) ' ', 0);
    return render(0, space < 0 ? start.length : space, MAX_METHOD, space < 0);
  }

  /** The target as sent (between the method and the version), made safe and cut; "" if none. */
  public String target() {
    int space = indexOf((byte) ' ', 0);
    if (space < 0) {
      return "";
    }
    int from = space + 1;
    int to = start.length;
    int version = lastIndexOf(" HTTP/");
    if (complete && start.length == length && version >= from) {
      to = version;
    }
    return render(from, to, MAX_TARGET, true);
  }

  private String render(int from, int to, int max, boolean mayRunOn) {
    StringBuilder out = new StringBuilder(Math.min(to - from, max) + 24);
    int i = from;
    for (; i < to && out.length() < max; i++) {
      int b = start[i] & 0xff;
      if (b > ' ' && b < 0x7f && b != '%') {
        out.append((char) b);
      } else {
        out.append('%')
            .append(Character.forDigit(b >> 4, 16))
            .append(Character.forDigit(b & 15, 16));
      }
    }
    boolean cut =
        i < to || (mayRunOn && (start.length < length || !complete) && to == start.length);
    if (cut) {
      out.append("...(request line: ")
          .append(complete ? "" : "over ")
          .append(length)
          .append(" bytes)");
    }
    return out.toString();
  }

  private int indexOf(byte b, int from) {
    for (int i = from; i < start.length; i++) {
      if (start[i] == b) {
        return i;
      }
    }
    return -1;
  }

  private int lastIndexOf(String text) {
    byte[] t = text.getBytes(StandardCharsets.US_ASCII);
    outer:
    for (int i = start.length - t.length; i >= 0; i--) {
      for (int j = 0; j < t.length; j++) {
        if (start[i + j] != t[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean isBlank(byte b) {
    return b <= ' ' || b == 0x7f;
  }
}
