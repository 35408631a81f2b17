package dev.patchgate.mirror;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the store knows about one committed object, as written in its {@code .meta} file.
 *
 * @param url the canonical URL it is stored under
 * @param status always 200: the mirror stores nothing else
 * @param length the content length in bytes
 * @param sha256 SHA-256 of the content, lower-case hex
 * @param sha1 SHA-1 of the content, present when the file name announced one (and it matched)
 * @param headers the replayable response header fields, see {@link #headerLookup()}
 * @param storedAt when the content was committed
 * @param validatedAt when the upstream last confirmed it (the commit, or the last 304)
 * @param responseDate the upstream's {@code Date} at {@code validatedAt}, or {@code validatedAt}
 * @param initialAgeSeconds the age the upstream's answer already had (its {@code Age}, or the gap
 *     between its {@code Date} and {@code validatedAt}), never negative
 */
public record StoredMeta(
    String url,
    int status,
    long length,
    String sha256,
    Optional<String> sha1,
    List<HeaderField> headers,
    Instant storedAt,
    Instant validatedAt,
    Instant responseDate,
    long initialAgeSeconds) {
  /**
   * @throws IllegalArgumentException if a digest is not lower-case hex or a number is negative
   */
  public StoredMeta {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(sha1, "sha1");
    Objects.requireNonNull(storedAt, "storedAt");
    Objects.requireNonNull(validatedAt, "validatedAt");
    Objects.requireNonNull(responseDate, "responseDate");
    headers = List.copyOf(headers);
    if (length < 0 || initialAgeSeconds < 0) {
      throw new IllegalArgumentException("length and initialAgeSeconds (expected: >= 0)");
    }
    if (!Hex.isLowerHex(sha256, 64)) {
      throw new IllegalArgumentException("sha256: " + sha256 + " (expected: 64 lower-case hex)");
    }
    if (sha1.isPresent() && !Hex.isLowerHex(sha1.get(), 40)) {
      throw new IllegalArgumentException("sha1: " + sha1.get() + " (expected: 40 lower-case hex)");
    }
  }

  /** The stored header fields as a lookup; pass it to {@link ByteRanges} and the strategy. */
  public HeaderLookup headerLookup() {
    return HeaderLookup.of(headers);
  }

  /** The stored {@code ETag}, as the upstream sent it (quotes and any {@code W/} included). */
  public Optional<String> etag() {
    return headerLookup().first("ETag");
  }

  /** The stored {@code Last-Modified}, as the upstream sent it. */
  public Optional<String> lastModified() {
    return headerLookup().first("Last-Modified");
  }

  /** The stored {@code Content-Type}. */
  public Optional<String> contentType() {
    return headerLookup().first("Content-Type");
  }

  /** How old this answer is at {@code now}: its initial age plus the time since validation. */
  public Duration age(Instant now) {
    Duration since = Duration.between(validatedAt, now);
    return Duration.ofSeconds(initialAgeSeconds).plus(since.isNegative() ? Duration.ZERO : since);
  }

  /** This meta after a {@code 304} received at {@code now}: headers merged, validated again. */
  StoredMeta revalidated(HeaderLookup notModified, Instant now) {
    Instant date = HttpDates.first(notModified.all("Date")).orElse(now);
    return new StoredMeta(
        url,
        status,
        length,
        sha256,
        sha1,
        StoredHeaders.merge(headers, notModified),
        storedAt,
        now,
        date,
        initialAge(notModified, date, now));
  }

  /**
   * The age an upstream answer has on arrival (RFC 9111 section 4.2.3, without the request delay):
   * the larger of its {@code Age} and the gap between its {@code Date} and its arrival.
   */
  static long initialAge(HeaderLookup response, Instant responseDate, Instant received) {
    long apparent = Math.max(0, Duration.between(responseDate, received).getSeconds());
    long age = ageSeconds(response.first("Age").orElse(null));
    return Math.max(apparent, age);
  }

  /** The {@code Age} field's delta-seconds; 0 when absent or invalid. */
  private static long ageSeconds(String value) {
    if (value == null) {
      return 0;
    }
    String v = value.trim();
    if (v.isEmpty() || v.length() > 10) {
      return 0;
    }
    for (int i = 0; i < v.length(); i++) {
      if (v.charAt(i) < '0' || v.charAt(i) > '9') {
        return 0;
      }
    }
    return Long.parseLong(v);
  }
}
