package dev.patchgate.proxy.upstream;

import dev.patchgate.allowlist.Target;

/**
 * The {@code Host} header sent upstream, always made from the decided target, never taken from the
 * client. Public: the request path and the mirror's fetch both send it.
 *
 * <p>Public for the request path and the mirror, which send this header upstream.
 */
public final class HostHeader {
  private HostHeader() {}

  /** The Host header for a target: the default port is left out, IPv6 stays in brackets. */
  public static String of(Target target) {
    String authority = target.authority();
    return target.port() == 80 ? authority.substring(0, authority.lastIndexOf(':')) : authority;
  }
}
