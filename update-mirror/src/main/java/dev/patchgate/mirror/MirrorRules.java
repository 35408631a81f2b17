package dev.patchgate.mirror;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The mirror settings of one allowlist entry; the proxy builds one per entry when the allowlist
 * loads.
 *
 * @param enabled whether GETs allowed by this entry go through the mirror at all
 * @param dropQuery whether the query is left out of the key (CDNs that put expiring tokens in it)
 * @param maxAge when present, how long an ordinary object stays fresh after it was stored or
 *     revalidated, in place of what the upstream's headers say; immutable objects are never
 *     revalidated and index files always are, whatever this says
 */
public record MirrorRules(boolean enabled, boolean dropQuery, Optional<Duration> maxAge) {
  /** Mirror on, query kept, freshness from the upstream's headers. */
  public static final MirrorRules DEFAULT = new MirrorRules(true, false, Optional.empty());

  /** Mirror off: every request of the entry passes through. */
  public static final MirrorRules OFF = new MirrorRules(false, false, Optional.empty());

  /**
   * @throws IllegalArgumentException if {@code maxAge} is negative
   */
  public MirrorRules {
    Objects.requireNonNull(maxAge, "maxAge");
    if (maxAge.isPresent() && maxAge.get().isNegative()) {
      throw new IllegalArgumentException("maxAge: " + maxAge.get() + " (expected: >= 0)");
    }
  }

  /** The key of {@code canonicalUrl} under these rules. */
  public MirrorKey keyOf(String canonicalUrl) {
    return MirrorKey.of(canonicalUrl, dropQuery);
  }
}
