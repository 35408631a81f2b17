package dev.patchgate.mirror;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * Lays out a {@code 206 multipart/byteranges} body (RFC 9110 section 14.6) as segments the proxy
 * writes in order: each part's header bytes, then that part's bytes of the file (a {@code
 * FileRegion}), and at the end the closing delimiter. Pure apart from {@link #newBoundary()}.
 *
 * <p>The body has no preamble: {@code --B CRLF part-headers CRLF data}, then for each further part
 * {@code CRLF --B CRLF part-headers CRLF data}, then {@code CRLF --B-- CRLF}; each part carries the
 * representation's {@code Content-Type} (when known) and its {@code Content-Range}.
 */
public final class MultipartByteranges {
  private static final SecureRandom RANDOM = new SecureRandom();

  private MultipartByteranges() {}

  /**
   * One part: header bytes to write, then {@code length} bytes of the file from {@code offset}.
   *
   * @param header the part's delimiter and header lines, ready to write
   * @param offset the file offset of the part's first byte
   * @param length the number of file bytes
   */
  public record Part(byte[] header, long offset, long length) {
    public Part {
      header = header.clone();
    }

    @Override
    public byte[] header() {
      return header.clone();
    }
  }

  /**
   * A multipart body.
   *
   * @param contentType the response's {@code Content-Type}: {@code multipart/byteranges;
   *     boundary=B}
   * @param contentLength the response's {@code Content-Length}: every part header, every range and
   *     the closing delimiter
   * @param parts the parts in order
   * @param closing the closing delimiter, written after the last part
   */
  public record Plan(String contentType, long contentLength, List<Part> parts, byte[] closing) {
    public Plan {
      parts = List.copyOf(parts);
      closing = closing.clone();
    }

    @Override
    public byte[] closing() {
      return closing.clone();
    }
  }

  /** A fresh boundary: 32 random hex digits, never found in a body by accident. */
  public static String newBoundary() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    return "patchgate-" + HexFormat.of().formatHex(bytes);
  }

  /**
   * The layout of a multipart answer.
   *
   * @param ranges the ranges, as {@link RangeDecision#ranges()} of a {@link
   *     RangeDecision.Kind#MULTI} decision
   * @param length the representation's length
   * @param contentType the representation's {@code Content-Type}, or {@code null} to leave it out
   *     of the parts (also when it is not printable ASCII)
   * @param boundary 1 to 70 characters of letters, digits and {@code '()+_,-./:=?}
   * @throws IllegalArgumentException if the boundary is invalid, {@code ranges} is empty or a range
   *     lies beyond {@code length}
   */
  public static Plan plan(
      List<ByteRange> ranges, long length, String contentType, String boundary) {
    Objects.requireNonNull(boundary, "boundary");
    if (!validBoundary(boundary)) {
      throw new IllegalArgumentException("boundary: " + boundary + " (expected: 1-70 bchars)");
    }
    if (ranges.isEmpty()) {
      throw new IllegalArgumentException("ranges: empty (expected: at least one)");
    }
    String type =
        contentType != null && HeaderField.isSafeValue(contentType) ? contentType.trim() : null;
    List<Part> parts = new ArrayList<>(ranges.size());
    long total = 0;
    for (int i = 0; i < ranges.size(); i++) {
      ByteRange r = ranges.get(i);
      if (r.last() >= length) {
        throw new IllegalArgumentException("range " + r + " beyond length " + length);
      }
      StringBuilder h = new StringBuilder(128);
      if (i > 0) {
        h.append("\r\n");
      }
      h.append("--").append(boundary).append("\r\n");
      if (type != null) {
        h.append("Content-Type: ").append(type).append("\r\n");
      }
      h.append("Content-Range: ").append(r.contentRange(length)).append("\r\n\r\n");
      byte[] header = h.toString().getBytes(StandardCharsets.US_ASCII);
      parts.add(new Part(header, r.first(), r.length()));
      total += header.length + r.length();
    }
    byte[] closing = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
    total += closing.length;
    return new Plan("multipart/byteranges; boundary=" + boundary, total, parts, closing);
  }

  private static boolean validBoundary(String b) {
    if (b.isEmpty() || b.length() > 70 || b.endsWith(" ")) {
      return false;
    }
    for (int i = 0; i < b.length(); i++) {
      char c = b.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "'()+_,-./:=?".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
