package dev.patchgate.allowlist;

import java.net.IDN;
import java.util.Locale;

/**
 * One host pattern of an allowlist entry: an exact canonical host, or {@code *.suffix} for every
 * name below {@code suffix} at any depth (but not {@code suffix} itself).
 *
 * <p>Patterns are canonicalised by the same code as request targets ({@link HostSyntax}), so a
 * pattern and a target match exactly when they are equal strings, or, for a wildcard, when the
 * target ends with {@code "." + suffix}: always on a label boundary.
 *
 * @param host the canonical host, or for a wildcard the suffix without {@code "*."}
 * @param wildcard true for {@code *.suffix}
 */
record HostPattern(String host, boolean wildcard) {
  private static final String WILDCARD_PREFIX = "*.";
  private static final String EXAMPLE_WILDCARD = "*.windowsupdate.com";
  private static final String EXPECTED =
      "expected a name like updates.example.com, a wildcard like *.example.com,"
          + " an IPv4 address like 10.0.0.1 or an IPv6 address like 2001:db8::1";

  /**
   * Parses and validates a pattern as written in the allowlist file.
   *
   * @throws IllegalArgumentException with a message for the administrator saying what is wrong and
   *     how to fix it (without repeating the pattern, which the caller quotes)
   */
  static HostPattern parse(String text) {
    if (text.equals("*")) {
      throw new IllegalArgumentException(
          "'*' alone would allow every host; list the update hosts instead, e.g. "
              + EXAMPLE_WILDCARD);
    }
    boolean wildcard = text.startsWith(WILDCARD_PREFIX);
    String rest = wildcard ? text.substring(WILDCARD_PREFIX.length()) : text;
    if (rest.indexOf('*') >= 0) {
      throw new IllegalArgumentException(
          "a wildcard is allowed only as a leading '*.', e.g. " + EXAMPLE_WILDCARD);
    }
    if (rest.contains("://") || rest.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "write the host name only, without scheme or path, e.g. download.windowsupdate.com");
    }
    String host = canonical(rest, wildcard ? WILDCARD_PREFIX : "");
    if (wildcard) {
      checkWildcardSuffix(host);
    }
    return new HostPattern(host, wildcard);
  }

  /** True when the canonical {@code host} is one this pattern covers. */
  boolean matches(String host) {
    if (!wildcard) {
      return this.host.equals(host);
    }
    return host.length() > this.host.length()
        && host.endsWith(this.host)
        && host.charAt(host.length() - this.host.length() - 1) == '.';
  }

  /** The pattern as an administrator would write it. */
  @Override
  public String toString() {
    return wildcard ? WILDCARD_PREFIX + host : host;
  }

  private static String canonical(String text, String prefix) {
    try {
      if (text.startsWith("[") && text.endsWith("]")) {
        return HostSyntax.canonicalIpv6(text.substring(1, text.length() - 1));
      }
      int colons = (int) text.chars().filter(c -> c == ':').count();
      if (colons == 1 && !text.startsWith("[")) {
        throw new IllegalArgumentException(
            "a host pattern has no port; list ports in the entry instead, e.g. ports = [8080]");
      }
      return colons > 1 ? HostSyntax.canonicalIpv6(text) : HostSyntax.canonicalName(text);
    } catch (TargetException e) {
      throw new IllegalArgumentException(fixFor(e.fault(), text, prefix));
    }
  }

  private static void checkWildcardSuffix(String suffix) {
    if (HostSyntax.isIpLiteral(suffix)) {
      throw new IllegalArgumentException(
          "a wildcard needs a domain name, not an address, e.g. " + EXAMPLE_WILDCARD);
    }
    if (suffix.indexOf('.') < 0) {
      throw new IllegalArgumentException(
          "a wildcard must cover at least two labels, e.g. " + EXAMPLE_WILDCARD);
    }
    if (PublicSuffixes.isTwoLabelPublicSuffix(suffix)) {
      throw new IllegalArgumentException(
          "'"
              + suffix
              + "' is a public suffix shared by many owners; name the owner's domain, e.g."
              + " *.example."
              + suffix);
    }
  }

  private static String fixFor(TargetFault fault, String text, String prefix) {
    switch (fault) {
      case NON_ASCII_HOST:
        return "non-ASCII host; use the punycode form " + prefix + punycodeOf(text);
      case ALTERNATE_IPV4:
        return "write an IPv4 address as a dotted quad without leading zeros, e.g. 10.0.0.1";
      case IPV6_ZONE_ID:
        return "an IPv6 zone ID is not allowed; write the address alone, e.g. fe80::1";
      default:
        return "not a valid host; " + EXPECTED;
    }
  }

  /**
   * The IDNA form of a name, so the fix can be copied; the generic "xn--..." when IDNA refuses it.
   * Only ever shown to the administrator, who decides whether the look-alike was meant.
   */
  private static String punycodeOf(String text) {
    try {
      return IDN.toASCII(text, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
    } catch (IllegalArgumentException e) {
      return "xn--...";
    }
  }
}
