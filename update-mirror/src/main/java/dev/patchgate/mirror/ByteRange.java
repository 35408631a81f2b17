package dev.patchgate.mirror;

/**
 * An inclusive byte range of a representation, {@code first} to {@code last}.
 *
 * @param first the offset of the first byte
 * @param last the offset of the last byte, at least {@code first}
 */
public record ByteRange(long first, long last) {
  /**
   * @throws IllegalArgumentException if {@code first} is negative or {@code last < first}
   */
  public ByteRange {
    if (first < 0 || last < first) {
      throw new IllegalArgumentException(
          "range: " + first + "-" + last + " (expected: 0 <= first <= last)");
    }
  }

  /** The number of bytes, {@code last - first + 1}. */
  public long length() {
    return last - first + 1;
  }

  /** The {@code Content-Range} value for this range of a representation of {@code total} bytes. */
  public String contentRange(long total) {
    return "bytes " + first + "-" + last + "/" + total;
  }
}
