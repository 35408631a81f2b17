package dev.patchgate.allowlist;

import java.util.List;

/**
 * A host pattern of an entry, with the path prefixes it is limited to: the key under which the
 * entry's ports for that host are gathered while the file is read, one {@link Binding} each.
 *
 * <p>An entry's own hosts and a profile's ordinary rules have no paths of their own (the entry's
 * {@code paths} still apply); a profile's path-restricted rules (such as a certificate path on
 * {@code www.microsoft.com}) keep their paths, so the host is never opened whole.
 *
 * @param pattern the host pattern
 * @param paths the prefixes plain-HTTP requests to it must start with; empty for any path
 */
record HostRule(HostPattern pattern, List<String> paths) {

  /** Copies the paths. */
  HostRule {
    paths = List.copyOf(paths);
  }

  /** A pattern for any path. */
  static HostRule anyPath(HostPattern pattern) {
    return new HostRule(pattern, List.of());
  }
}
