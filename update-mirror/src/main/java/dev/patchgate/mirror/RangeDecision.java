package dev.patchgate.mirror;

import java.util.List;
import java.util.Objects;

/**
 * How to answer a GET for a representation of {@code length} bytes; see {@link ByteRanges}.
 *
 * @param kind what to send
 * @param ranges for {@link Kind#SINGLE} one range, for {@link Kind#MULTI} two or more, ascending,
 *     neither overlapping nor adjacent; else empty
 * @param length the representation's length
 */
public record RangeDecision(Kind kind, List<ByteRange> ranges, long length) {
  /** The four answers. */
  public enum Kind {
    /** {@code 200} with the whole representation: no Range, or one to ignore. */
    FULL,
    /** {@code 206} with {@code Content-Range: bytes first-last/length} and exactly those bytes. */
    SINGLE,
    /** {@code 206 multipart/byteranges}; see {@link MultipartByteranges}. */
    MULTI,
    /** {@code 416} with {@code Content-Range: bytes *}{@code /length}. */
    UNSATISFIABLE
  }

  public RangeDecision {
    Objects.requireNonNull(kind, "kind");
    ranges = List.copyOf(ranges);
  }

  /** The one range of a {@link Kind#SINGLE} answer. */
  public ByteRange single() {
    if (kind != Kind.SINGLE) {
      throw new IllegalStateException("not a single range: " + kind);
    }
    return ranges.get(0);
  }

  /** The {@code Content-Range} value of a {@code 416}: {@code bytes *}{@code /length}. */
  public String unsatisfiedContentRange() {
    return "bytes */" + length;
  }
}
