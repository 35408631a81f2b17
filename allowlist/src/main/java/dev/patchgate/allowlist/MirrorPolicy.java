package dev.patchgate.allowlist;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the update mirror treats the plain-HTTP downloads an entry allows: the entry's {@code
 * mirror}, {@code mirror-drop-query} and {@code mirror-max-age}.
 *
 * @param enabled false to pass the entry's downloads through without keeping them
 * @param dropQuery true to key stored objects without their query string, for CDNs that put
 *     expiring tokens in it
 * @param maxAge how long a stored object without an expiry of its own stays fresh; empty for the
 *     mirror's own heuristic
 */
public record MirrorPolicy(boolean enabled, boolean dropQuery, Optional<Duration> maxAge) {
  /** An entry that says nothing about the mirror. */
  public static final MirrorPolicy DEFAULT = new MirrorPolicy(true, false, Optional.empty());

  /**
   * Checks that nothing is missing.
   *
   * @throws NullPointerException if {@code maxAge} is null
   */
  public MirrorPolicy {
    Objects.requireNonNull(maxAge, "maxAge");
  }
}
