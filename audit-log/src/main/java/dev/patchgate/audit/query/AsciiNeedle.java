package dev.patchgate.audit.query;

import java.nio.charset.StandardCharsets;

/**
 * A byte string searched for in raw line bytes, exactly or ignoring the case of ASCII letters.
 *
 * <p>Ignoring case can only find more, never less, so a needle built from a field's value is still
 * a safe necessary condition for a filter that ignores case. Immutable and thread-safe.
 */
final class AsciiNeedle {
  private final byte[] bytes;
  private final String text;
  private final boolean ignoreCase;
  // The needle byte the scan looks for first: the one least common in audit lines, because a scan
  // for '"' would stop at every one of the ~80 quotes of a line.
  private final int anchor;

  private AsciiNeedle(byte[] bytes, boolean ignoreCase) {
    this.bytes = bytes;
    this.text = new String(bytes, StandardCharsets.ISO_8859_1);
    this.ignoreCase = ignoreCase;
    int best = 0;
    for (int i = 1; i < bytes.length; i++) {
      if (commonness(bytes[i]) < commonness(bytes[best])) {
        best = i;
      }
    }
    this.anchor = best;
  }

  /** A rough rank of how often a byte occurs in audit lines; lower is rarer. */
  private static int commonness(byte b) {
    if (b == '"') {
      return 100;
    }
    if (b == ':' || b == ',') {
      return 60;
    }
    if (b == '.' || b == '/') {
      return 40;
    }
    if ("aeinorst".indexOf(b) >= 0) {
      return 35;
    }
    if (b >= '0' && b <= '9') {
      return 30;
    }
    if (b >= 'a' && b <= 'z') {
      return 20;
    }
    return 10;
  }

  /**
   * Returns a needle that ignores ASCII case, for {@code text}: printable ASCII, not empty.
   *
   * @throws IllegalArgumentException if it is not
   */
  static AsciiNeedle of(String text) {
    byte[] bytes = ascii(text);
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = toLower(bytes[i]);
    }
    return new AsciiNeedle(bytes, true);
  }

  /**
   * Returns a needle that matches {@code text} exactly: printable ASCII, not empty. For values the
   * writer always writes in one case (decision, method, numbers), this is the faster search.
   *
   * @throws IllegalArgumentException if it is not
   */
  static AsciiNeedle exact(String text) {
    return new AsciiNeedle(ascii(text), false);
  }

  private static byte[] ascii(String text) {
    if (text.isEmpty() || !text.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      throw new IllegalArgumentException("not a printable ASCII needle: " + text);
    }
    return text.getBytes(StandardCharsets.US_ASCII);
  }

  /**
   * True when {@link dev.patchgate.audit.AuditJson} writes {@code text} inside a JSON string byte
   * for byte: printable ASCII without {@code "} and {@code \}. Only such text can be looked for in
   * the raw line; anything else may appear there escaped.
   */
  static boolean isVerbatim(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
  }

  /** True when the needle occurs in {@code line[from, to)}. */
  boolean foundIn(byte[] line, int from, int to) {
    return ignoreCase ? foundIgnoringCase(line, from, to) : foundExactly(line, from, to);
  }

  /** True for a needle that ignores case. */
  boolean ignoresCase() {
    return ignoreCase;
  }

  /**
   * True when this exact needle occurs in {@code latin1}, the line's bytes as ISO-8859-1 text: the
   * JDK's vectorised {@link String#indexOf} then does the search, several times faster than a byte
   * loop.
   */
  boolean foundIn(String latin1) {
    return latin1.indexOf(text) >= 0;
  }

  private boolean foundExactly(byte[] line, int from, int to) {
    byte[] needle = bytes;
    int k = anchor;
    byte key = needle[k];
    int last = to - needle.length + k;
    outer:
    for (int i = from + k; i <= last; i++) {
      if (line[i] != key) {
        continue;
      }
      int start = i - k;
      for (int j = 0; j < needle.length; j++) {
        if (line[start + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private boolean foundIgnoringCase(byte[] line, int from, int to) {
    byte[] needle = bytes;
    int k = anchor;
    byte key = needle[k];
    // A letter's two cases differ only in bit 0x20; other bytes must match exactly.
    boolean letter = key >= 'a' && key <= 'z';
    int last = to - needle.length + k;
    outer:
    for (int i = from + k; i <= last; i++) {
      byte b = line[i];
      if (b != key && !(letter && (b | 0x20) == key)) {
        continue;
      }
      int start = i - k;
      for (int j = 0; j < needle.length; j++) {
        if (toLower(line[start + j]) != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private static byte toLower(byte b) {
    return b >= 'A' && b <= 'Z' ? (byte) (b + ('a' - 'A')) : b;
  }
}
