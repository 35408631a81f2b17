package dev.patchgate.allowlist;

import java.util.List;

/**
 * An entry's {@code paths}: the URL path prefixes a plain-HTTP request must start with.
 *
 * <p>Matching is on the bytes of the canonical path, bounded by segments: {@code /c/msdownload/}
 * covers {@code /c/msdownload/x.cab}, and {@code /c/msdownload} covers itself and everything below
 * it but never {@code /c/msdownloadevil/x}. The query string is not part of the path. Requests
 * whose paths could mean something else after decoding or dot-segment removal never get here:
 * {@link TargetParser} refuses them, and prefixes are held to the same form when the file loads.
 *
 * <p>Immutable and thread-safe.
 */
final class PathPrefixes {
  private final String[] prefixes;

  /** Validated prefixes; each must have passed {@link #problemWith}. */
  PathPrefixes(List<String> prefixes) {
    this.prefixes = prefixes.toArray(new String[0]);
  }

  /**
   * What is wrong with a prefix as written in the allowlist file, with the fix; null when it is
   * fine. The message does not repeat the prefix, which the caller quotes.
   */
  static String problemWith(String prefix) {
    if (!prefix.startsWith("/")) {
      return "a path must start with '/', e.g. /c/msdownload/";
    }
    for (int i = 0; i < prefix.length(); i++) {
      char c = prefix.charAt(i);
      if (c < 0x21 || c > 0x7e) {
        return "a path must be printable ASCII without spaces; percent-encode other characters as"
            + " the URL does, e.g. %20";
      }
    }
    if (prefix.indexOf('?') >= 0 || prefix.indexOf('#') >= 0) {
      return "a path prefix is matched against the path only, never the query or a fragment;"
          + " remove everything from '?' or '#' on";
    }
    if (prefix.contains("..")) {
      return "a path must not contain '..': requests with dot-segments are refused, so it could"
          + " never match";
    }
    TargetFault fault = TargetParser.pathFault(prefix);
    if (fault == null) {
      return null;
    }
    switch (fault) {
      case BACKSLASH:
        return "a path must not contain '\\'; write '/'";
      case DOT_SEGMENT:
        return "a path must not contain a '.' segment, with or without ';' parameters: requests"
            + " with dot-segments are refused, so it could never match";
      case ENCODED_SEPARATOR:
        return "a path must not contain %2e, %2f or %5c (an encoded '.', '/' or '\\'): requests"
            + " with them are refused, so it could never match";
      default:
        return "every '%' must be followed by two hex digits, e.g. %20";
    }
  }

  /** True when the path part of {@code pathAndQuery} starts with a prefix on a segment boundary. */
  boolean matches(String pathAndQuery) {
    int end = pathAndQuery.indexOf('?');
    if (end < 0) {
      end = pathAndQuery.length();
    }
    for (String prefix : prefixes) {
      int length = prefix.length();
      if (length <= end
          && pathAndQuery.startsWith(prefix)
          && (length == end
              || prefix.charAt(length - 1) == '/'
              || pathAndQuery.charAt(length) == '/')) {
        return true;
      }
    }
    return false;
  }

  /** The prefixes as written. */
  List<String> prefixes() {
    return List.of(prefixes);
  }

  /** {@code [/a/, /b]}, as the prefixes were written. */
  @Override
  public String toString() {
    return "[" + String.join(", ", prefixes) + "]";
  }
}
