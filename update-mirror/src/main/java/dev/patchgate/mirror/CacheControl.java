package dev.patchgate.mirror;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The directives of one or more {@code Cache-Control} field values (RFC 9111 section 5.2), names
 * lower-cased, quoted values unquoted. Malformed pieces are skipped, never thrown.
 */
final class CacheControl {
  private final Map<String, String> directives;

  private CacheControl(Map<String, String> directives) {
    this.directives = directives;
  }

  static CacheControl parse(List<String> fieldValues) {
    Map<String, String> out = new HashMap<>();
    for (String value : fieldValues) {
      parseInto(value, out);
    }
    return new CacheControl(out);
  }

  boolean has(String directive) {
    return directives.containsKey(directive);
  }

  /**
   * A delta-seconds argument. Absent: empty. Present but not a number: 0, because RFC 9111 asks a
   * cache to treat an invalid freshness directive as stale. Huge values saturate.
   */
  OptionalLong seconds(String directive) {
    String v = directives.get(directive);
    if (v == null) {
      return OptionalLong.empty();
    }
    if (v.isEmpty()) {
      return OptionalLong.of(0);
    }
    long n = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c < '0' || c > '9') {
        return OptionalLong.of(0);
      }
      n = n > Integer.MAX_VALUE ? n : n * 10 + (c - '0');
    }
    return OptionalLong.of(Math.min(n, Integer.MAX_VALUE));
  }

  private static void parseInto(String value, Map<String, String> out) {
    int i = 0;
    int n = value.length();
    while (i < n) {
      while (i < n
          && (value.charAt(i) == ',' || value.charAt(i) == ' ' || value.charAt(i) == '\t')) {
        i++;
      }
      int nameStart = i;
      while (i < n && value.charAt(i) != '=' && value.charAt(i) != ',') {
        i++;
      }
      String name = value.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
      String arg = "";
      if (i < n && value.charAt(i) == '=') {
        i++;
        if (i < n && value.charAt(i) == '"') {
          StringBuilder sb = new StringBuilder();
          i++;
          while (i < n && value.charAt(i) != '"') {
            if (value.charAt(i) == '\\' && i + 1 < n) {
              i++;
            }
            sb.append(value.charAt(i++));
          }
          i++;
          arg = sb.toString();
        } else {
          int argStart = i;
          while (i < n && value.charAt(i) != ',') {
            i++;
          }
          arg = value.substring(argStart, i).trim();
        }
      }
      if (!name.isEmpty()) {
        out.putIfAbsent(name, arg);
      }
      while (i < n && value.charAt(i) != ',') {
        i++;
      }
    }
  }
}
