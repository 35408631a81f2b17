package dev.patchgate.mirror;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Stored metas for table tests: validated at {@link #T0}, with the given header fields. */
final class Metas {
  static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  static final String SHA256 = "a".repeat(64);

  private Metas() {}

  /** A meta for {@code url} validated at T0 with Date T0, headers as name/value pairs. */
  static StoredMeta meta(String url, String... namesAndValues) {
    return meta(url, T0, 0, namesAndValues);
  }

  static StoredMeta meta(String url, Instant validatedAt, long initialAge, String... nv) {
    List<HeaderField> headers = new ArrayList<>();
    for (int i = 0; i < nv.length; i += 2) {
      headers.add(new HeaderField(nv[i], nv[i + 1]));
    }
    return new StoredMeta(
        url,
        200,
        10,
        SHA256,
        Optional.empty(),
        headers,
        validatedAt,
        validatedAt,
        validatedAt,
        initialAge);
  }
}
