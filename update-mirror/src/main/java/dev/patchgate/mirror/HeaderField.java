package dev.patchgate.mirror;

import java.util.Objects;

/**
 * One HTTP header field as the mirror keeps it: a canonical name and one printable-ASCII value.
 *
 * @param name the field name, e.g. {@code ETag}
 * @param value the field value, without surrounding whitespace
 */
public record HeaderField(String name, String value) {
  /**
   * @throws IllegalArgumentException if the name is not a token or the value holds a character
   *     outside printable ASCII and tab (a stored value must never split a meta line or a header)
   */
  public HeaderField {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (!isToken(name)) {
      throw new IllegalArgumentException("name: " + name + " (expected: an HTTP token)");
    }
    if (!isSafeValue(value)) {
      throw new IllegalArgumentException("value of " + name + " (expected: printable ASCII)");
    }
  }

  /** Whether {@code value} may be stored and replayed: printable ASCII or tab, at most 4 KiB. */
  static boolean isSafeValue(String value) {
    if (value.length() > 4096) {
      return false;
    }
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c < 0x20 && c != '\t') || c > 0x7e) {
        return false;
      }
    }
    return true;
  }

  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok =
          (c >= 'a' && c <= 'z')
              || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }
}
