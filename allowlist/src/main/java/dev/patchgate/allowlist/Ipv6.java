package dev.patchgate.allowlist;

import java.util.Locale;

/**
 * IPv6 text to eight 16-bit groups and back, in our own code: {@code InetAddress} would turn {@code
 * ::ffff:127.0.0.1} into an IPv4 address and accept zone IDs, and the later address checks need to
 * see exactly what the client wrote.
 */
final class Ipv6 {
  private static final int GROUPS = 8;

  private Ipv6() {}

  /**
   * Parses RFC 4291 text (hex groups, one optional {@code ::}, an optional trailing dotted quad).
   * The caller has checked that the text holds only hex digits, {@code :} and {@code .}.
   *
   * @return eight groups, or {@code null} when the text is not an IPv6 address
   */
  static int[] parse(String text) {
    int gap = text.indexOf("::");
    if (gap >= 0 && text.indexOf("::", gap + 1) >= 0) {
      return null;
    }
    String head = gap >= 0 ? text.substring(0, gap) : text;
    String tail = gap >= 0 ? text.substring(gap + 2) : "";
    int[] front = groups(head, gap < 0);
    int[] back = groups(tail, true);
    if (front == null || back == null) {
      return null;
    }
    int given = front.length + back.length;
    if (gap < 0 ? given != GROUPS : given > GROUPS - 1) {
      return null;
    }
    int[] result = new int[GROUPS];
    System.arraycopy(front, 0, result, 0, front.length);
    System.arraycopy(back, 0, result, GROUPS - back.length, back.length);
    return result;
  }

  /**
   * RFC 5952 text: lower case, no leading zeros, the longest run of two or more zero groups (the
   * first on a tie) as {@code ::}, and an IPv4-mapped address with its last 32 bits as a dotted
   * quad, so that every spelling of one address compares equal.
   */
  static String format(int[] groups) {
    if (isIpv4Mapped(groups)) {
      return "::ffff:"
          + (groups[6] >> 8)
          + "."
          + (groups[6] & 0xff)
          + "."
          + (groups[7] >> 8)
          + "."
          + (groups[7] & 0xff);
    }
    int bestStart = -1;
    int bestLength = 1;
    for (int i = 0; i < GROUPS; ) {
      if (groups[i] != 0) {
        i++;
        continue;
      }
      int j = i;
      while (j < GROUPS && groups[j] == 0) {
        j++;
      }
      if (j - i > bestLength) {
        bestStart = i;
        bestLength = j - i;
      }
      i = j;
    }
    StringBuilder text = new StringBuilder(39);
    for (int i = 0; i < GROUPS; i++) {
      if (i == bestStart) {
        text.append("::");
        i += bestLength - 1;
        continue;
      }
      if (text.length() > 0 && text.charAt(text.length() - 1) != ':') {
        text.append(':');
      }
      text.append(Integer.toHexString(groups[i]));
    }
    return text.toString();
  }

  private static boolean isIpv4Mapped(int[] groups) {
    for (int i = 0; i < 5; i++) {
      if (groups[i] != 0) {
        return false;
      }
    }
    return groups[5] == 0xffff;
  }

  /** Colon-separated groups; the last may be a dotted quad (two groups) when allowed. */
  private static int[] groups(String text, boolean dottedQuadAllowed) {
    if (text.isEmpty()) {
      return new int[0];
    }
    String[] parts = text.split(":", -1);
    String last = parts[parts.length - 1];
    boolean quad = last.indexOf('.') >= 0;
    if (quad && !(dottedQuadAllowed && HostSyntax.isDottedQuad(last))) {
      return null;
    }
    int[] result = new int[parts.length + (quad ? 1 : 0)];
    for (int i = 0; i < parts.length - (quad ? 1 : 0); i++) {
      String part = parts[i];
      if (part.isEmpty() || part.length() > 4 || part.indexOf('.') >= 0) {
        return null;
      }
      result[i] = Integer.parseInt(part.toLowerCase(Locale.ROOT), 16);
    }
    if (quad) {
      // The dotted quad was validated above: exactly four parts, so split's edge cases cannot
      // arise.
      @SuppressWarnings("StringSplitter")
      String[] octets = last.split("\\.");
      result[parts.length - 1] = Integer.parseInt(octets[0]) << 8 | Integer.parseInt(octets[1]);
      result[parts.length] = Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]);
    }
    return result;
  }
}
