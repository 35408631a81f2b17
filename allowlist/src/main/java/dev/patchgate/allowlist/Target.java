package dev.patchgate.allowlist;

import java.util.Objects;

/**
 * A canonical request target: the form the allowlist matches, the audit log records and the proxy
 * dials. Obtain one from {@link TargetParser}; the constructor refuses anything that is not already
 * canonical, so two targets naming the same endpoint are always {@code equals}.
 *
 * @param scheme {@link Scheme#HTTP} for an absolute-form request, {@link Scheme#HTTPS} for CONNECT
 * @param host a lower-case LDH name without trailing dot, a dotted-quad IPv4 address, or an IPv6
 *     address in RFC 5952 form without brackets ({@code "::1"}, {@code "2001:db8::1"})
 * @param port 1..65535; 80 when an HTTP URL named none
 * @param path for HTTP the origin-form {@code "/path?query"} exactly as sent, {@code "/"} when the
 *     URL had none, its path part canonical (no dot-segments, backslashes or encoded separators;
 *     see {@link TargetParser}); for HTTPS always {@code ""}
 */
public record Target(Scheme scheme, String host, int port, String path) {

  /**
   * Checks that every component is canonical.
   *
   * @throws NullPointerException if any component is null
   * @throws IllegalArgumentException if the host, port or path is not in canonical form
   */
  public Target {
    Objects.requireNonNull(scheme, "scheme");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(path, "path");
    if (!HostSyntax.isCanonical(host)) {
      throw new IllegalArgumentException("host is not canonical");
    }
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port outside 1..65535: " + port);
    }
    boolean canonicalPath =
        scheme == Scheme.HTTPS
            ? path.isEmpty()
            : TargetParser.isOriginForm(path) && TargetParser.pathFault(path) == null;
    if (!canonicalPath) {
      throw new IllegalArgumentException("path is not canonical for " + scheme);
    }
  }

  /** {@code host:port}, with an IPv6 host in brackets: {@code "[::1]:443"}. */
  public String authority() {
    return hostForUrl() + ":" + port;
  }

  /**
   * The target as one string for logs and error pages: for HTTP {@code "http://host[:port]/path"}
   * with the port left out when it is 80, for HTTPS the {@linkplain #authority() authority}.
   */
  public String url() {
    if (scheme == Scheme.HTTPS) {
      return authority();
    }
    return "http://" + (port == 80 ? hostForUrl() : authority()) + path;
  }

  /** True when the host is an IPv4 or IPv6 address rather than a name. */
  public boolean isIpLiteral() {
    return HostSyntax.isIpLiteral(host);
  }

  private String hostForUrl() {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host;
  }
}
