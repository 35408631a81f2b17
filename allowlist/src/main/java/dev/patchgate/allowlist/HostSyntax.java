package dev.patchgate.allowlist;

import java.net.InetAddress;
import java.util.Locale;

/**
 * The one definition of a canonical host, shared by request parsing and the allowlist file so that
 * a pattern and a request can only match when they mean the same host.
 *
 * <p>A canonical host is a lower-case LDH name without a trailing dot, a strict dotted-quad IPv4
 * address, or an IPv6 address in RFC 5952 form without brackets. Every other spelling of an address
 * is refused rather than converted: {@code 0x7f.1}, {@code 2130706433} or {@code 0177.0.0.1} mean
 * 127.0.0.1 to some resolvers and a host name to others, and that disagreement is the attack.
 */
final class HostSyntax {
  private static final int MAX_NAME_LENGTH = 253;
  private static final int MAX_LABEL_LENGTH = 63;

  private HostSyntax() {}

  /**
   * Canonicalises a host written without brackets and without a port: an LDH name or a dotted quad.
   * Case is folded and one trailing dot is removed from a name.
   */
  static String canonicalName(String text) throws TargetException {
    if (text.isEmpty()) {
      throw new TargetException(TargetFault.INVALID_HOST);
    }
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) > 0x7e) {
        throw new TargetException(TargetFault.NON_ASCII_HOST);
      }
    }
    String name = text.toLowerCase(Locale.ROOT);
    boolean trailingDot = name.endsWith(".");
    if (trailingDot) {
      name = name.substring(0, name.length() - 1);
    }
    String[] labels = name.split("\\.", -1);
    // WHATWG URL parsing treats a host as IPv4 when its last label is a number, and then accepts
    // decimal, octal, hex and short forms; we accept only the one spelling everybody agrees on.
    if (looksNumeric(labels[labels.length - 1])) {
      if (!trailingDot && isDottedQuad(name)) {
        return name;
      }
      throw new TargetException(TargetFault.ALTERNATE_IPV4);
    }
    if (name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
      throw new TargetException(TargetFault.INVALID_HOST);
    }
    for (String label : labels) {
      if (!isLdhLabel(label)) {
        throw new TargetException(TargetFault.INVALID_HOST);
      }
    }
    return name;
  }

  /**
   * Canonicalises the text between the brackets of an IPv6 literal. Only hex digits, {@code :} and
   * {@code .} are accepted, so a zone ID or a name can never reach an address parser that might
   * consult the network.
   */
  static String canonicalIpv6(String text) throws TargetException {
    if (text.indexOf('%') >= 0) {
      throw new TargetException(TargetFault.IPV6_ZONE_ID);
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c > 0x7e) {
        throw new TargetException(TargetFault.NON_ASCII_HOST);
      }
      if (!(isHexDigit(c) || c == ':' || c == '.')) {
        throw new TargetException(TargetFault.INVALID_HOST);
      }
    }
    int[] groups = Ipv6.parse(text);
    if (groups == null) {
      throw new TargetException(TargetFault.INVALID_HOST);
    }
    return Ipv6.format(groups);
  }

  /** True when {@code host} is exactly what canonicalisation would have produced. */
  static boolean isCanonical(String host) {
    try {
      String canonical = host.indexOf(':') >= 0 ? canonicalIpv6(host) : canonicalName(host);
      return canonical.equals(host);
    } catch (TargetException e) {
      return false;
    }
  }

  /**
   * True for a canonical IPv4 or IPv6 address, false for a canonical name. Cheap, as it is asked on
   * every decision: a canonical name never ends in an all-digit label (see {@link #canonicalName}),
   * so a canonical host that does is a dotted quad.
   */
  static boolean isIpLiteral(String canonicalHost) {
    if (canonicalHost.indexOf(':') >= 0) {
      return true;
    }
    int i = canonicalHost.length() - 1;
    while (i >= 0 && canonicalHost.charAt(i) >= '0' && canonicalHost.charAt(i) <= '9') {
      i--;
    }
    return i < canonicalHost.length() - 1 && (i < 0 || canonicalHost.charAt(i) == '.');
  }

  /**
   * An address in the same canonical form as a host: a dotted quad, or RFC 5952 IPv6 without a
   * scope (which {@link InetAddress#getHostAddress()} would append, uncompressed).
   */
  static String format(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 4) {
      return (bytes[0] & 0xff)
          + "."
          + (bytes[1] & 0xff)
          + "."
          + (bytes[2] & 0xff)
          + "."
          + (bytes[3] & 0xff);
    }
    int[] groups = new int[8];
    for (int i = 0; i < 8; i++) {
      groups[i] = (bytes[2 * i] & 0xff) << 8 | (bytes[2 * i + 1] & 0xff);
    }
    return Ipv6.format(groups);
  }

  /** Exactly four decimal parts 0..255 without leading zeros. */
  static boolean isDottedQuad(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return false;
    }
    for (String part : parts) {
      if (part.isEmpty() || part.length() > 3 || !allDigits(part)) {
        return false;
      }
      if (part.length() > 1 && part.charAt(0) == '0') {
        return false;
      }
      if (Integer.parseInt(part) > 255) {
        return false;
      }
    }
    return true;
  }

  private static boolean looksNumeric(String label) {
    return !label.isEmpty() && (allDigits(label) || label.startsWith("0x"));
  }

  private static boolean isLdhLabel(String label) {
    if (label.isEmpty() || label.length() > MAX_LABEL_LENGTH) {
      return false;
    }
    if (label.charAt(0) == '-' || label.charAt(label.length() - 1) == '-') {
      return false;
    }
    for (int i = 0; i < label.length(); i++) {
      char c = label.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static boolean allDigits(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return !text.isEmpty();
  }

  private static boolean isHexDigit(char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
