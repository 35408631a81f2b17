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
    if (text.length() <= max) {
      return text;
    }
    String dots = "...";
    int keep = max - dots.length();
    int head = Math.max(keep * 2 / 5, 1);
    int tail = keep - head;
    return text.substring(0, head) + dots + text.substring(text.length() - tail);
  }

  /**
   * Shortens a URL to at most {@code max} characters, keeping what identifies a download: the
   * scheme and host at the start and the file name at the end. The path between them goes first,
   * then the middle of the file name (for Windows Update files, the SHA-1 digest), so the KB number
   * near its start survives.
   */
  public static String shortUrl(String url, int max) {
    if (url.length() <= max) {
      return url;
    }
    int scheme = url.indexOf("://");
    int hostEnd = scheme < 0 ? -1 : url.indexOf('/', scheme + 3);
    int nameStart = url.lastIndexOf('/') + 1;
    String head = hostEnd < 0 ? "" : url.substring(0, hostEnd + 1);
    int room = max - head.length() - 4;
    if (hostEnd < 0 || nameStart <= hostEnd + 1 || room < 16) {
      return middleEllipsis(url, max);
    }
    String name = url.substring(nameStart);
    if (name.length() <= room) {
      return head + "..." + url.substring(url.length() - (max - head.length() - 3));
    }
    int nameHead = (room - 3) * 2 / 3;
    int nameTail = room - 3 - nameHead;
    return head
        + ".../"
        + name.substring(0, nameHead)
        + "..."
        + name.substring(name.length() - nameTail);
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
