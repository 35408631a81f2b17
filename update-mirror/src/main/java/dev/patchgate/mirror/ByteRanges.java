package dev.patchgate.mirror;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Resolves a request's {@code Range} and {@code If-Range} against a stored representation (RFC 9110
 * sections 13.1.5 and 14.2). Pure and thread-safe; never throws on request data.
 *
 * <ul>
 *   <li>{@link RangeDecision.Kind#FULL}: no {@code Range}, several {@code Range} fields, a unit
 *       other than {@code bytes}, a syntactically invalid range set (nothing is guessed), more
 *       range specs than the cap (as Apache and nginx do), an {@code If-Range} that does not match,
 *       or an empty representation.
 *   <li>{@link RangeDecision.Kind#UNSATISFIABLE}: a valid set none of whose ranges overlaps the
 *       representation (every first byte at or past the end, or suffix length 0).
 *   <li>Otherwise the satisfiable ranges, clipped to the end, sorted, overlapping and adjacent ones
 *       merged (so no answer is longer than the representation, whatever the request repeats); one
 *       range left is {@link RangeDecision.Kind#SINGLE}, more is {@link RangeDecision.Kind#MULTI}.
 * </ul>
 *
 * <p>{@code If-Range} with an entity tag matches only a strong, identical stored {@code ETag}; with
 * a date, only a stored {@code Last-Modified} naming the same instant.
 */
public final class ByteRanges {
  private ByteRanges() {}

  /**
   * Resolves the request's fields against a representation.
   *
   * @param request the request header fields ({@code Range}, {@code If-Range})
   * @param representation the stored header fields ({@code ETag}, {@code Last-Modified})
   * @param length the representation's length in bytes
   * @param maxRanges the most range specs honoured in one request
   */
  public static RangeDecision resolve(
      HeaderLookup request, HeaderLookup representation, long length, int maxRanges) {
    List<String> range = request.all("Range");
    if (range.size() != 1) {
      return full(length);
    }
    List<String> ifRange = request.all("If-Range");
    if (ifRange.size() > 1) {
      return full(length);
    }
    return resolve(
        range.get(0),
        ifRange.isEmpty() ? null : ifRange.get(0),
        representation.first("ETag").orElse(null),
        representation.first("Last-Modified").orElse(null),
        length,
        maxRanges);
  }

  /**
   * Resolves raw field values; {@code null} means absent.
   *
   * @param range the {@code Range} value
   * @param ifRange the {@code If-Range} value
   * @param etag the stored {@code ETag}
   * @param lastModified the stored {@code Last-Modified}
   * @param length the representation's length in bytes, not negative
   * @param maxRanges the most range specs honoured in one request, positive
   */
  public static RangeDecision resolve(
      String range, String ifRange, String etag, String lastModified, long length, int maxRanges) {
    if (length < 0 || maxRanges < 1) {
      throw new IllegalArgumentException("length >= 0 and maxRanges >= 1 expected");
    }
    if (range == null || length == 0) {
      return full(length);
    }
    if (ifRange != null && !ifRangeMatches(ifRange.trim(), etag, lastModified)) {
      return full(length);
    }
    Optional<List<Spec>> specs = parse(range, maxRanges);
    if (specs.isEmpty()) {
      return full(length);
    }
    List<ByteRange> satisfiable = new ArrayList<>();
    for (Spec spec : specs.get()) {
      if (spec.suffix()) {
        // The last n bytes; a suffix of 0 bytes overlaps nothing.
        if (spec.last() > 0) {
          satisfiable.add(new ByteRange(Math.max(0, length - spec.last()), length - 1));
        }
      } else if (spec.first() < length) {
        satisfiable.add(new ByteRange(spec.first(), Math.min(spec.last(), length - 1)));
      }
    }
    if (satisfiable.isEmpty()) {
      return new RangeDecision(RangeDecision.Kind.UNSATISFIABLE, List.of(), length);
    }
    List<ByteRange> merged = coalesce(satisfiable);
    return new RangeDecision(
        merged.size() == 1 ? RangeDecision.Kind.SINGLE : RangeDecision.Kind.MULTI, merged, length);
  }

  private static RangeDecision full(long length) {
    return new RangeDecision(RangeDecision.Kind.FULL, List.of(), length);
  }

  /**
   * One range spec as written: {@code first-last} ({@code last} is {@link Long#MAX_VALUE} when
   * open), or with {@code suffix} the last {@code last} bytes.
   */
  record Spec(long first, long last, boolean suffix) {}

  /** The specs of a {@code bytes=} range set; empty when invalid or more than {@code maxRanges}. */
  static Optional<List<Spec>> parse(String value, int maxRanges) {
    String v = value.trim();
    int eq = v.indexOf('=');
    if (eq < 0 || !v.substring(0, eq).toLowerCase(Locale.ROOT).equals("bytes")) {
      return Optional.empty();
    }
    List<Spec> specs = new ArrayList<>();
    for (String element : v.substring(eq + 1).split(",", -1)) {
      String e = element.trim();
      if (e.isEmpty()) {
        continue;
      }
      if (specs.size() == maxRanges) {
        return Optional.empty();
      }
      int dash = e.indexOf('-');
      if (dash < 0) {
        return Optional.empty();
      }
      String a = e.substring(0, dash);
      String b = e.substring(dash + 1);
      if (a.isEmpty()) {
        long suffix = digits(b);
        if (suffix < 0) {
          return Optional.empty();
        }
        specs.add(new Spec(0, suffix, true));
        continue;
      }
      long first = digits(a);
      long last = b.isEmpty() ? Long.MAX_VALUE : digits(b);
      if (first < 0 || last < 0 || last < first) {
        return Optional.empty();
      }
      specs.add(new Spec(first, last, false));
    }
    return specs.isEmpty() ? Optional.empty() : Optional.of(specs);
  }

  // A run of ASCII digits, saturating at Long.MAX_VALUE; -1 if empty or not digits.
  private static long digits(String s) {
    if (s.isEmpty()) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      int d = c - '0';
      n = n > (Long.MAX_VALUE - d) / 10 ? Long.MAX_VALUE : n * 10 + d;
    }
    return n;
  }

  private static List<ByteRange> coalesce(List<ByteRange> ranges) {
    List<ByteRange> sorted = new ArrayList<>(ranges);
    sorted.sort(Comparator.comparingLong(ByteRange::first));
    List<ByteRange> out = new ArrayList<>();
    ByteRange current = sorted.get(0);
    for (int i = 1; i < sorted.size(); i++) {
      ByteRange next = sorted.get(i);
      if (next.first() <= current.last() + 1) {
        current = new ByteRange(current.first(), Math.max(current.last(), next.last()));
      } else {
        out.add(current);
        current = next;
      }
    }
    out.add(current);
    return out;
  }

  private static boolean ifRangeMatches(String ifRange, String etag, String lastModified) {
    if (ifRange.startsWith("\"") || ifRange.startsWith("W/")) {
      // Strong comparison: a weak tag on either side never matches.
      return etag != null
          && !ifRange.startsWith("W/")
          && !etag.trim().startsWith("W/")
          && ifRange.equals(etag.trim());
    }
    if (lastModified == null) {
      return false;
    }
    Optional<Instant> asked = HttpDates.parse(ifRange);
    Optional<Instant> stored = HttpDates.parse(lastModified);
    return asked.isPresent() && stored.isPresent() && asked.get().equals(stored.get());
  }
}
