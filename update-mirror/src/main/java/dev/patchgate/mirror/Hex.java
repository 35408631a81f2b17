package dev.patchgate.mirror;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Digests and lower-case hex, the only spelling of hashes in this module. */
final class Hex {
  private static final HexFormat HEX = HexFormat.of();

  private Hex() {}

  static String of(byte[] bytes) {
    return HEX.formatHex(bytes);
  }

  static String sha256(String text) {
    return of(digest("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** A new digest; every JDK has SHA-1 and SHA-256, so their absence is a broken runtime. */
  static MessageDigest digest(String algorithm) {
    try {
      return MessageDigest.getInstance(algorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is missing from this JDK", e);
    }
  }

  static boolean isLowerHex(String s, int length) {
    if (s.length() != length) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
