package dev.patchgate.mirror;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The response a fill's followers send their clients: status 200, the kept header fields, and the
 * length if the upstream declared one.
 *
 * @param status always 200
 * @param headers the replayable fields (see {@link StoredMeta#headers()})
 * @param declaredLength the upstream's {@code Content-Length}, or -1 for a chunked body (followers
 *     then send chunked too)
 * @param date the upstream's {@code Date}, or when the head arrived if it had none: tells whether
 *     {@code Last-Modified} is a strong validator ({@link ResumePolicy})
 */
public record ResponseHead(
    int status, List<HeaderField> headers, long declaredLength, Instant date) {
  public ResponseHead {
    headers = List.copyOf(headers);
    Objects.requireNonNull(date, "date");
  }

  /** The header fields as a lookup. */
  public HeaderLookup headerLookup() {
    return HeaderLookup.of(headers);
  }
}
