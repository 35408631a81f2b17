package dev.patchgate.allowlist;

/**
 * Strict parsing of proxy request-targets into canonical {@link Target}s.
 *
 * <p>Strict on purpose: whatever two URL parsers could read differently (userinfo, fragments,
 * backslashes, percent-encoded or non-ASCII hosts, alternate IPv4 spellings, zone IDs) is refused
 * rather than interpreted, because the allowlist, the resolver and the upstream server must all see
 * the same host.
 *
 * <p>Paths are kept byte for byte (no decoding, no dot-segment removal: the URL forwarded upstream
 * is the URL the policy saw), and so only paths already in canonical form are accepted: no {@code
 * \\}, no {@code .} or {@code ..} segment (nor one with parameters, {@code /..;x/}), no
 * percent-encoded {@code .}, {@code /} or {@code \\}, and no {@code %} without two hex digits. A
 * server that decodes or resolves such a path would serve another file than the one the allowlist's
 * path prefixes approved ({@code /c/msdownload/..%2f..%2fadmin}). The query is not part of that
 * check, nor of path matching.
 *
 * <p>Stateless and thread-safe; never does DNS or other I/O.
 */
public final class TargetParser {
  private static final int DEFAULT_HTTP_PORT = 80;

  private TargetParser() {}

  /**
   * Parses the request-target of a plain-HTTP proxy request, which must be in absolute-form: {@code
   * http://host[:port][/path][?query]}.
   *
   * @param requestTarget the request-target exactly as received; null is refused like junk
   * @return the canonical target, scheme {@link Scheme#HTTP}, port 80 unless given
   * @throws TargetException with a fixed reason phrase when the target is not acceptable
   */
  public static Target parseAbsolute(String requestTarget) throws TargetException {
    if (requestTarget == null || requestTarget.isEmpty()) {
      throw new TargetException(TargetFault.MALFORMED);
    }
    rejectControlCharacters(requestTarget);
    int colon = schemeEnd(requestTarget);
    if (colon < 0) {
      throw new TargetException(TargetFault.ORIGIN_FORM);
    }
    String scheme = requestTarget.substring(0, colon);
    if (scheme.equalsIgnoreCase("https")) {
      throw new TargetException(TargetFault.HTTPS_IN_PLAIN_TEXT);
    }
    if (!scheme.equalsIgnoreCase("http") || !requestTarget.startsWith("//", colon + 1)) {
      throw new TargetException(TargetFault.MALFORMED);
    }
    // Clients never send a fragment; one in a request is an attempt to confuse a parser.
    if (requestTarget.indexOf('#') >= 0) {
      throw new TargetException(TargetFault.FRAGMENT);
    }
    int start = colon + 3;
    int end = start;
    while (end < requestTarget.length()
        && requestTarget.charAt(end) != '/'
        && requestTarget.charAt(end) != '?') {
      end++;
    }
    Authority authority = Authority.parse(requestTarget.substring(start, end));
    String rest = requestTarget.substring(end);
    String path = rest.isEmpty() ? "/" : rest.charAt(0) == '?' ? "/" + rest : rest;
    if (!isOriginForm(path)) {
      throw new TargetException(TargetFault.NON_ASCII_PATH);
    }
    TargetFault pathFault = pathFault(path);
    if (pathFault != null) {
      throw new TargetException(pathFault);
    }
    int port = authority.port() < 0 ? DEFAULT_HTTP_PORT : authority.port();
    return new Target(Scheme.HTTP, authority.host(), port, path);
  }

  /**
   * Parses the request-target of a CONNECT request, which must be in authority-form: {@code
   * host:port} with the port required (a tunnel to an implied port is how loose proxies end up
   * connecting to port 80 of whatever the client names).
   *
   * @param requestTarget the request-target exactly as received; null is refused like junk
   * @return the canonical target, scheme {@link Scheme#HTTPS}, path {@code ""}
   * @throws TargetException with a fixed reason phrase when the target is not acceptable
   */
  public static Target parseConnect(String requestTarget) throws TargetException {
    if (requestTarget == null || requestTarget.isEmpty()) {
      throw new TargetException(TargetFault.MALFORMED);
    }
    rejectControlCharacters(requestTarget);
    if (requestTarget.indexOf('#') >= 0) {
      throw new TargetException(TargetFault.FRAGMENT);
    }
    if (requestTarget.indexOf('/') >= 0 || requestTarget.indexOf('?') >= 0) {
      throw new TargetException(TargetFault.MALFORMED);
    }
    Authority authority = Authority.parse(requestTarget);
    if (authority.port() < 0) {
      throw new TargetException(TargetFault.CONNECT_WITHOUT_PORT);
    }
    return new Target(Scheme.HTTPS, authority.host(), authority.port(), "");
  }

  /**
   * Whether a {@code Host} header names the same host and port as {@code target}, read with the
   * same strict rules as a request-target's authority (so {@code EXAMPLE.com.} and {@code
   * example.com:80} agree with {@code http://example.com/}, and anything with userinfo, a path, a
   * fragment or a stray character does not). A header without a port names the default port of a
   * plain-HTTP target; on CONNECT it is compared by host alone.
   *
   * @param hostHeader the header's value; null never matches
   */
  public static boolean hostHeaderNames(String hostHeader, Target target) {
    if (hostHeader == null || hostHeader.isEmpty()) {
      return false;
    }
    Authority authority;
    try {
      rejectControlCharacters(hostHeader);
      authority = Authority.parse(hostHeader);
    } catch (TargetException e) {
      return false;
    }
    if (!authority.host().equals(target.host())) {
      return false;
    }
    if (authority.port() < 0) {
      return target.scheme() == Scheme.HTTPS || target.port() == DEFAULT_HTTP_PORT;
    }
    return authority.port() == target.port();
  }

  /** A non-empty path starting with {@code /}, every character printable ASCII (0x21..0x7e). */
  static boolean isOriginForm(String path) {
    if (path.isEmpty() || path.charAt(0) != '/') {
      return false;
    }
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  /**
   * Why an origin-form path (query included) is not canonical, or null when it is. Only the part
   * before the first {@code ?} is checked; the query is passed on untouched and never matched.
   */
  static TargetFault pathFault(String pathAndQuery) {
    int end = pathAndQuery.indexOf('?');
    if (end < 0) {
      end = pathAndQuery.length();
    }
    int segmentStart = 0;
    // Where the segment's name ends: at its first ';' (the start of its parameters), or its end.
    int nameEnd = -1;
    for (int i = 0; i <= end; i++) {
      char c = i < end ? pathAndQuery.charAt(i) : '/';
      if (c == '/') {
        if (isDotName(pathAndQuery, segmentStart, nameEnd < 0 ? i : nameEnd)) {
          return TargetFault.DOT_SEGMENT;
        }
        segmentStart = i + 1;
        nameEnd = -1;
      } else if (c == ';') {
        nameEnd = nameEnd < 0 ? i : nameEnd;
      } else if (c == '\\') {
        return TargetFault.BACKSLASH;
      } else if (c == '%') {
        int value =
            i + 2 < end ? hexByte(pathAndQuery.charAt(i + 1), pathAndQuery.charAt(i + 2)) : -1;
        if (value < 0) {
          return TargetFault.BAD_PERCENT_ENCODING;
        }
        if (value == '.' || value == '/' || value == '\\') {
          return TargetFault.ENCODED_SEPARATOR;
        }
        // An encoded ';' ends the name too, so the rule does not depend on whether a server
        // splits off parameters before or after decoding.
        if (value == ';') {
          nameEnd = nameEnd < 0 ? i : nameEnd;
        }
      }
    }
    return null;
  }

  /**
   * Whether the segment name {@code path[start, end)} is {@code .} or {@code ..}: they climb the
   * tree, and so they do with {@code ;} parameters after them ({@code /..;/}), which Tomcat and
   * other servlet containers strip before resolving dot-segments while nginx and the allowlist read
   * {@code ..;} as an ordinary name.
   */
  private static boolean isDotName(String path, int start, int end) {
    int length = end - start;
    return (length == 1 || length == 2) && path.charAt(start) == '.' && path.charAt(end - 1) == '.';
  }

  /** The byte two hex digits spell, or -1. */
  private static int hexByte(char high, char low) {
    int h = hexDigit(high);
    int l = hexDigit(low);
    return h < 0 || l < 0 ? -1 : h << 4 | l;
  }

  private static int hexDigit(char c) {
    if (c >= '0' && c <= '9') {
      return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
      return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
      return c - 'A' + 10;
    }
    return -1;
  }

  private static void rejectControlCharacters(String text) throws TargetException {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c <= 0x20 || c == 0x7f) {
        throw new TargetException(TargetFault.CONTROL_CHARACTER);
      }
    }
  }

  /** Index of the colon ending an RFC 3986 scheme at the start of {@code text}, or -1. */
  private static int schemeEnd(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (c == ':' && i > 0) {
        return i;
      }
      if (!(letter || (i > 0 && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')))) {
        return -1;
      }
    }
    return -1;
  }
}
