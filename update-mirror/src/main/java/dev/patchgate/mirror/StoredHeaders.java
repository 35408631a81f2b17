package dev.patchgate.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which response header fields the mirror keeps with an object and replays on a hit: those that
 * describe the representation and its validators. Framing ({@code Content-Length}, {@code
 * Transfer-Encoding}), hop-by-hop fields, {@code Set-Cookie}, {@code Date} and {@code Age} are
 * never replayed.
 */
final class StoredHeaders {
  static final List<String> KEPT =
      List.of(
          "Content-Type",
          "Content-Disposition",
          "Content-Language",
          "ETag",
          "Last-Modified",
          "Cache-Control",
          "Expires");

  private StoredHeaders() {}

  /** The kept fields of a response, in {@link #KEPT} order; unsafe values are dropped. */
  static List<HeaderField> keep(HeaderLookup response) {
    List<HeaderField> out = new ArrayList<>();
    for (String name : KEPT) {
      value(response, name).ifPresent(v -> out.add(new HeaderField(name, v)));
    }
    return List.copyOf(out);
  }

  /**
   * The stored fields updated by a {@code 304}'s (RFC 9111 section 4.3.4): a kept field present in
   * the 304 replaces the stored one, the others stay.
   */
  static List<HeaderField> merge(List<HeaderField> stored, HeaderLookup notModified) {
    List<HeaderField> out = new ArrayList<>();
    HeaderLookup old = HeaderLookup.of(stored);
    for (String name : KEPT) {
      Optional<String> v = value(notModified, name);
      if (v.isEmpty()) {
        v = old.first(name);
      }
      v.ifPresent(value -> out.add(new HeaderField(name, value)));
    }
    return List.copyOf(out);
  }

  // Cache-Control may come in several fields and is joined; the others take the first value.
  private static Optional<String> value(HeaderLookup h, String name) {
    List<String> values = h.all(name);
    if (values.isEmpty()) {
      return Optional.empty();
    }
    String v = name.equals("Cache-Control") ? String.join(", ", values) : values.get(0);
    v = v == null ? "" : v.trim();
    return HeaderField.isSafeValue(v) ? Optional.of(v) : Optional.empty();
  }
}
