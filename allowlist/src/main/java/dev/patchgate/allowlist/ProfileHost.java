package dev.patchgate.allowlist;

import java.util.List;
import java.util.Objects;

/**
 * One host rule of a {@link Profile}: one host pattern, one scheme, one port and, for plain HTTP,
 * optionally only some paths.
 *
 * @param pattern a host pattern as an entry's {@code hosts} accepts it, e.g. {@code
 *     *.windowsupdate.com}
 * @param scheme {@link Scheme#HTTP} for plain HTTP, {@link Scheme#HTTPS} for CONNECT
 * @param port the one port allowed for this host and scheme
 * @param purpose what the vendor uses the host for
 * @param evidence how the reference knows the host
 * @param paths path prefixes the rule is limited to, e.g. {@code /pkiops/}; empty for every path.
 *     Only plain-HTTP rules have paths (a path cannot be seen inside a CONNECT tunnel). A consumer
 *     that cannot check paths must skip a rule that has them, never allow the whole host: {@code
 *     www.microsoft.com} is listed only for its certificate paths. {@link Profile} keeps such rules
 *     in {@link Profile#pathRestricted}, apart from its {@link Profile#hosts}.
 */
public record ProfileHost(
    String pattern,
    Scheme scheme,
    int port,
    String purpose,
    Evidence evidence,
    List<String> paths) {

  /** How the reference table knows a host; {@code unconfirmed} hosts are never shipped. */
  public enum Evidence {
    /** Stated in the vendor's own documentation. */
    DOC,
    /** Seen in real URLs, configurations or vendor-authored code, but not in vendor documents. */
    OBSERVED
  }

  /**
   * Checks the rule.
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if the pattern is not one an allowlist entry accepts, the port
   *     is outside 1..65535, a path does not start with {@code /}, or an HTTPS rule has paths
   */
  public ProfileHost {
    Objects.requireNonNull(pattern, "pattern");
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(purpose, "purpose");
    Objects.requireNonNull(evidence, "evidence");
    paths = List.copyOf(paths);
    try {
      HostPattern.parse(pattern);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("host '" + pattern + "': " + e.getMessage(), e);
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + " is outside 1..65535");
    }
    for (String path : paths) {
      if (!path.startsWith("/")) {
        throw new IllegalArgumentException("path '" + path + "' must start with '/'");
      }
    }
    if (scheme == Scheme.HTTPS && !paths.isEmpty()) {
      throw new IllegalArgumentException(
          "host '" + pattern + "': paths cannot be checked inside a CONNECT tunnel");
    }
  }

  /**
   * A documented rule for every path: the form the first version of this API had, kept for tests
   * that build profiles by hand.
   */
  public ProfileHost(String pattern, Scheme scheme, int port, String purpose) {
    this(pattern, scheme, port, purpose, Evidence.DOC, List.of());
  }

  /** The validated pattern, as an entry built from this profile would hold it. */
  HostPattern hostPattern() {
    return HostPattern.parse(pattern);
  }
}
