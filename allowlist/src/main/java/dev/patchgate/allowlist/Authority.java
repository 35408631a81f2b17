package dev.patchgate.allowlist;

/**
 * The {@code host[:port]} part of a request-target, canonicalised.
 *
 * @param host the canonical host (see {@link HostSyntax})
 * @param port 1..65535, or -1 when the authority named no port
 */
record Authority(String host, int port) {
  private static final int NO_PORT = -1;
  private static final int MAX_PORT_DIGITS = 5;

  /** Parses an authority; the caller has already refused whitespace and control characters. */
  static Authority parse(String text) throws TargetException {
    if (text.isEmpty()) {
      throw new TargetException(TargetFault.INVALID_HOST);
    }
    if (text.indexOf('@') >= 0) {
      throw new TargetException(TargetFault.USERINFO);
    }
    // Browsers read "\" as "/" in http URLs, so "good.example\@evil.example" names two hosts.
    if (text.indexOf('\\') >= 0) {
      throw new TargetException(TargetFault.BACKSLASH);
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7e) {
        throw new TargetException(TargetFault.NON_ASCII_HOST);
      }
    }
    String host;
    String portText;
    if (text.charAt(0) == '[') {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new TargetException(TargetFault.INVALID_HOST);
      }
      String literal = text.substring(1, close);
      if (literal.indexOf('%') >= 0) {
        throw new TargetException(TargetFault.IPV6_ZONE_ID);
      }
      rejectPercent(text);
      String rest = text.substring(close + 1);
      if (!rest.isEmpty() && rest.charAt(0) != ':') {
        throw new TargetException(TargetFault.INVALID_HOST);
      }
      host = HostSyntax.canonicalIpv6(literal);
      portText = rest.isEmpty() ? null : rest.substring(1);
    } else {
      rejectPercent(text);
      int colon = text.lastIndexOf(':');
      String name = colon < 0 ? text : text.substring(0, colon);
      if (name.indexOf(':') >= 0) {
        // An IPv6 address without brackets: the port cannot be told apart from the last group.
        throw new TargetException(TargetFault.INVALID_HOST);
      }
      host = HostSyntax.canonicalName(name);
      portText = colon < 0 ? null : text.substring(colon + 1);
    }
    return new Authority(host, portText == null ? NO_PORT : parsePort(portText));
  }

  private static void rejectPercent(String text) throws TargetException {
    if (text.indexOf('%') >= 0) {
      throw new TargetException(TargetFault.PERCENT_IN_HOST);
    }
  }

  private static int parsePort(String text) throws TargetException {
    if (text.length() > MAX_PORT_DIGITS || !HostSyntax.allDigits(text)) {
      throw new TargetException(TargetFault.INVALID_PORT);
    }
    int port = Integer.parseInt(text);
    if (port < 1 || port > 65535) {
      throw new TargetException(TargetFault.INVALID_PORT);
    }
    return port;
  }
}
