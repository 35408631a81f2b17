package dev.patchgate.mirror;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides, without I/O, how a client's download goes on when the mirror gives its fill up after
 * part of the body went out (the disk filled): a range request for exactly the bytes still owed,
 * made conditional on the representation being the one the client is receiving ({@code If-Range}),
 * and whether the upstream's answer continues it byte for byte. Pure and thread-safe.
 *
 * <p>Only a strong validator may be used (RFC 9110 sections 8.8.2.2 and 13.1.5): an {@code ETag}
 * not marked weak, else a {@code Last-Modified} at least one second before the response's {@code
 * Date}. Without one, or without a declared length, the rest cannot be fetched safely: bytes of
 * another version would be stitched to the first part without anyone noticing.
 */
public final class ResumePolicy {
  private ResumePolicy() {}

  /** The {@code If-Range} value for the representation, empty when it has no strong validator. */
  public static Optional<String> validator(ResponseHead head) {
    HeaderLookup fields = head.headerLookup();
    Optional<String> etag = fields.first("ETag").map(String::trim);
    if (etag.isPresent()) {
      // A weak tag cannot be used, and a date beside it is not consulted: the tag is the validator.
      return etag.filter(ResumePolicy::isStrongTag);
    }
    Optional<String> lastModified = fields.first("Last-Modified").map(String::trim);
    Optional<Instant> modified = lastModified.flatMap(HttpDates::parse);
    if (modified.isEmpty() || modified.get().isAfter(head.date().minusSeconds(1))) {
      return Optional.empty();
    }
    return lastModified;
  }

  /**
   * The fields of the request for bytes {@code [from, to)} of the representation {@code head}
   * describes: {@code Range} and {@code If-Range}. Empty when the rest cannot be fetched safely: no
   * declared length, no strong validator, or a span that is empty or not within the representation.
   */
  public static Optional<List<HeaderField>> request(ResponseHead head, long from, long to) {
    if (head.declaredLength() < 0 || from < 0 || to <= from || to > head.declaredLength()) {
      return Optional.empty();
    }
    return validator(head)
        .map(
            v ->
                List.of(
                    new HeaderField("Range", "bytes=" + from + "-" + (to - 1)),
                    new HeaderField("If-Range", v)));
  }

  /**
   * Why an answer to {@link #request} does not continue the representation with exactly bytes
   * {@code [from, to)}; empty when it does: a {@code 206} with one {@code Content-Range} of {@code
   * bytes from-(to - 1)/length}, a {@code Content-Length} (if any) of {@code to - from}, no content
   * coding, and the validator (if the answer repeats it) unchanged. Anything else, a {@code 200}
   * (the range or the condition was not honoured), a {@code 412}, a {@code 416}, is a mismatch.
   *
   * @param status the answer's status
   * @param answer the answer's header fields
   * @param head the representation the client is receiving
   * @return a short description of the mismatch, for the log
   */
  public static Optional<String> mismatch(
      int status, HeaderLookup answer, ResponseHead head, long from, long to) {
    if (status != 206) {
      return Optional.of("answered " + status + ", not 206");
    }
    List<String> ranges = answer.all("Content-Range");
    String expected = "bytes " + from + "-" + (to - 1) + "/" + head.declaredLength();
    if (ranges.size() != 1 || !contentRangeIs(ranges.get(0), from, to - 1, head.declaredLength())) {
      return Optional.of("Content-Range " + ranges + ", expected " + expected);
    }
    List<String> lengths = answer.all("Content-Length");
    if (!lengths.isEmpty() && !lengths.equals(List.of(Long.toString(to - from)))) {
      return Optional.of("Content-Length " + lengths + ", expected " + (to - from));
    }
    for (String coding : answer.all("Content-Encoding")) {
      if (!coding.isBlank() && !coding.trim().equalsIgnoreCase("identity")) {
        return Optional.of("Content-Encoding " + coding);
      }
    }
    HeaderLookup representation = head.headerLookup();
    Optional<String> etag = answer.first("ETag").map(String::trim);
    Optional<String> ours = representation.first("ETag").map(String::trim);
    if (etag.isPresent() && ours.isPresent() && !etag.equals(ours)) {
      return Optional.of("ETag " + etag.get() + ", expected " + ours.get());
    }
    Optional<Instant> modified = answer.first("Last-Modified").flatMap(HttpDates::parse);
    Optional<Instant> ourModified = representation.first("Last-Modified").flatMap(HttpDates::parse);
    if (ours.isEmpty()
        && modified.isPresent()
        && ourModified.isPresent()
        && !modified.equals(ourModified)) {
      return Optional.of("Last-Modified " + modified.get() + ", expected " + ourModified.get());
    }
    return Optional.empty();
  }

  private static boolean isStrongTag(String tag) {
    return tag.length() >= 2 && tag.charAt(0) == '"' && tag.charAt(tag.length() - 1) == '"';
  }

  /** Whether {@code value} is {@code bytes first-last/length}, compared as numbers. */
  private static boolean contentRangeIs(String value, long first, long last, long length) {
    String v = value.trim();
    if (!v.toLowerCase(Locale.ROOT).startsWith("bytes ")) {
      return false;
    }
    String spec = v.substring("bytes ".length()).trim();
    int dash = spec.indexOf('-');
    int slash = spec.indexOf('/');
    if (dash <= 0 || slash <= dash) {
      return false;
    }
    return number(spec.substring(0, dash)) == first
        && number(spec.substring(dash + 1, slash)) == last
        && number(spec.substring(slash + 1)) == length;
  }

  // ASCII digits only; -1 if empty, not digits, or too long to be a length.
  private static long number(String s) {
    if (s.isEmpty() || s.length() > 18) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }
}
