package dev.patchgate.allowlist;

/**
 * One host pattern of an entry with the ports the entry allows to it, per scheme: what the host
 * index of {@link Allowlist} points to.
 *
 * <p>An entry's own hosts get its {@code ports} (or the defaults) for each of its {@code schemes};
 * a profile's hosts bring one scheme and port each, and a profile's path-restricted rules their own
 * path prefixes, so one host may have two bindings in one entry. A pattern whose every scheme was
 * narrowed away keeps a binding with no ports, so that its host is still known and the request is
 * refused with "scheme not allowed" rather than "host not in allowlist". Immutable and thread-safe.
 */
final class Binding {
  private final Entry entry;
  private final HostPattern pattern;
  private final PathPrefixes paths;
  private final int[] httpPorts;
  private final int[] httpsPorts;

  /**
   * @param paths the prefixes plain-HTTP requests through this binding must start with (a profile's
   *     path-restricted rule), or null for any path
   * @param httpPorts sorted ports for plain HTTP, empty for none
   * @param httpsPorts sorted ports for CONNECT, empty for none
   */
  Binding(Entry entry, HostPattern pattern, PathPrefixes paths, int[] httpPorts, int[] httpsPorts) {
    this.entry = entry;
    this.pattern = pattern;
    this.paths = paths;
    this.httpPorts = httpPorts.clone();
    this.httpsPorts = httpsPorts.clone();
  }

  Entry entry() {
    return entry;
  }

  HostPattern pattern() {
    return pattern;
  }

  /** The binding's own path prefixes, or null for any path (the entry's may still apply). */
  PathPrefixes paths() {
    return paths;
  }

  /** True when the entry allows {@code scheme} to this host on some port. */
  boolean allows(Scheme scheme) {
    return ports(scheme).length > 0;
  }

  /** True when the entry allows {@code scheme} to this host on {@code port}. */
  boolean allows(Scheme scheme, int port) {
    for (int allowed : ports(scheme)) {
      if (allowed == port) {
        return true;
      }
    }
    return false;
  }

  /** The sorted ports for {@code scheme}; the caller must not modify the array. */
  int[] ports(Scheme scheme) {
    return scheme == Scheme.HTTPS ? httpsPorts : httpPorts;
  }
}
