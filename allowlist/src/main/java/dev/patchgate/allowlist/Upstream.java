package dev.patchgate.allowlist;

/**
 * An entry's {@code upstream}: whether the requests it allows leave through the gateway's parent
 * proxies or go straight to the origin. Only the gateway knows whether it has parents; without any,
 * every request goes straight to the origin whatever its entry says.
 */
public enum Upstream {
  /** Through the parent proxies, when the gateway has any: the default. */
  PARENT("parent"),
  /** Straight to the origin, e.g. an internal WSUS the internet-side proxy cannot reach. */
  DIRECT("direct");

  private final String keyword;

  Upstream(String keyword) {
    this.keyword = keyword;
  }

  /** The value as the allowlist file writes it. */
  public String keyword() {
    return keyword;
  }
}
