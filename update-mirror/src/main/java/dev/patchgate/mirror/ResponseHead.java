package dev.patchgate.mirror;

import java.util.List;

/**
 * The response a fill's followers send their clients: status 200, the kept header fields, and the
 * length if the upstream declared one.
 *
 * @param status always 200
 * @param headers the replayable fields (see {@link StoredMeta#headers()})
 * @param declaredLength the upstream's {@code Content-Length}, or -1 for a chunked body (followers
 *     then send chunked too)
 */
public record ResponseHead(int status, List<HeaderField> headers, long declaredLength) {
  public ResponseHead {
    headers = List.copyOf(headers);
  }

  /** The header fields as a lookup. */
  public HeaderLookup headerLookup() {
    return HeaderLookup.of(headers);
  }
}
