package dev.patchgate.audit.text;

/**
 * Makes record values safe to show on a terminal, in a spreadsheet cell or in a warning.
 *
 * <p>URLs and hosts in the audit log are chosen by whoever sent the request. Written out raw, a
 * control character could move a terminal's cursor, a line break could forge a row, a bidirectional
 * override could make text read in another order than it was logged. These characters never occur
 * in a valid URL, so they are shown as {@code \}{@code uXXXX} instead. Stateless.
 */
public final class DisplayText {
  private static final char[] HEX = "0123456789abcdef".toCharArray();
  private static final String ELLIPSIS = "...";

  private DisplayText() {}

  /**
   * Returns {@code text} with C0 and C1 controls, DEL, U+2028/U+2029, the bidirectional formatting
   * characters and lone surrogates replaced by {@code \}{@code uXXXX}; {@code null} stays {@code
   * null}. A string without them is returned as it is.
   */
  public static String clean(String text) {
    if (text == null) {
      return null;
    }
    int i = firstUnsafe(text);
    if (i < 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length() + 16).append(text, 0, i);
    for (; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        out.append(c).append(text.charAt(++i));
      } else if (unsafe(c)) {
        out.append("\\u")
            .append(HEX[(c >> 12) & 0xf])
            .append(HEX[(c >> 8) & 0xf])
            .append(HEX[(c >> 4) & 0xf])
            .append(HEX[c & 0xf]);
      } else {
        out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * Shortens {@code text} to at most {@code max} characters by cutting out its middle, where a URL
   * is least telling: the host stays at the start and the file name at the end.
   */
  public static String middleEllipsis(String text, int max) {
    return withEllipses(text, middleCut(text, max));
  }

  /**
   * Shortens a URL to at most {@code max} characters, keeping what identifies a download: the
   * scheme and host at the start and the file name at the end. The path between them goes first
   * (whole segments of it), then the middle of the file name (for Windows Update files, the SHA-1
   * digest), so the KB number near its start survives.
   */
  public static String shortUrl(String url, int max) {
    return withEllipses(url, urlCuts(url, max));
  }

  /**
   * The ranges {@link #middleEllipsis} cuts out of {@code text}, as {@code {start, end}} pairs in
   * order; empty when it fits. Each cut stands for a three-character ellipsis in the budget; a cut
   * never splits a surrogate pair.
   */
  public static int[] middleCut(String text, int max) {
    if (text.length() <= max) {
      return new int[0];
    }
    int keep = Math.max(max - ELLIPSIS.length(), 2);
    int head = Math.max(keep * 2 / 5, 1);
    int tail = keep - head;
    return cuts(text, head, text.length() - tail);
  }

  /**
   * The ranges {@link #shortUrl} cuts out of {@code url}: one or two {@code {start, end}} pairs in
   * order, or none when it fits; the same rules as {@link #middleCut} otherwise.
   */
  public static int[] urlCuts(String url, int max) {
    if (url.length() <= max) {
      return new int[0];
    }
    int scheme = url.indexOf("://");
    int hostEnd = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    int nameStart = url.lastIndexOf('/') + 1;
    int head = hostEnd + 1;
    int room = max - head - 4;
    if (hostEnd < 0 || nameStart <= hostEnd + 1 || room < 16) {
      return middleCut(url, max);
    }
    String name = url.substring(nameStart);
    if (name.length() <= room) {
      // the kept end starts at a path segment, as the file name's folder or the name itself
      return cuts(url, head, url.indexOf('/', url.length() - (max - head - 3)));
    }
    int nameHead = (room - 3) * 2 / 3;
    int nameTail = room - 3 - nameHead;
    return cuts(url, head, nameStart - 1, nameStart + nameHead, url.length() - nameTail);
  }

  /** The cut ranges given as bounds, each moved off the middle of a surrogate pair. */
  private static int[] cuts(String text, int... bounds) {
    for (int i = 0; i < bounds.length; i++) {
      int at = bounds[i];
      if (at > 0
          && at < text.length()
          && Character.isHighSurrogate(text.charAt(at - 1))
          && Character.isLowSurrogate(text.charAt(at))) {
        bounds[i] = i % 2 == 0 ? at - 1 : at + 1; // cut the whole pair
      }
    }
    return bounds;
  }

  private static String withEllipses(String text, int[] cuts) {
    if (cuts.length == 0) {
      return text;
    }
    StringBuilder out = new StringBuilder(text.length());
    int from = 0;
    for (int i = 0; i < cuts.length; i += 2) {
      out.append(text, from, cuts[i]).append(ELLIPSIS);
      from = cuts[i + 1];
    }
    return out.append(text, from, text.length()).toString();
  }

  private static int firstUnsafe(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isSurrogate(c)) {
        if (Character.isHighSurrogate(c)
            && i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return i;
      }
      if (unsafe(c)) {
        return i;
      }
    }
    return -1;
  }

  private static boolean unsafe(char c) {
    if (c >= 0x20 && c < 0x7f) {
      return false;
    }
    return c < 0x20
        || (c >= 0x7f && c <= 0x9f)
        || c == '\u2028'
        || c == '\u2029'
        || (c >= '\u202a' && c <= '\u202e')
        || (c >= '\u2066' && c <= '\u2069')
        || c == '\u200e'
        || c == '\u200f'
        || c == '\u061c'
        || Character.isSurrogate(c);
  }
}
