package dev.patchgate.proxy.console.users;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The console's per-user API tokens, for the hospital's own tools that read the JSON API without a
 * browser session: {@value #PREFIX} and 32 random bytes in base64url, shown once when made; the
 * users file keeps only {@code sha256:} and the token's SHA-256 in hex.
 *
 * <p>Why SHA-256 and not bcrypt as for passwords: a password is short and guessable, so its hash
 * must be slow to make a dictionary attack on a stolen file expensive. A token is 256 random bits;
 * no dictionary holds it and no amount of guessing finds a preimage of its SHA-256, so a slow hash
 * would add nothing but 100-250 ms of CPU to every API request. The prefix lets secret scanners and
 * people recognise a leaked token. Thread-safe.
 */
public final class ApiTokens {
  /** How every token begins. */
  public static final String PREFIX = "pgt_";

  static final String HASH_PREFIX = "sha256:";
  private static final int BYTES = 32;
  private static final Pattern HASH = Pattern.compile("sha256:[0-9a-f]{64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private ApiTokens() {}

  /** A new random token, to be shown once and stored only as {@link #hash}. */
  public static String create() {
    byte[] bytes = new byte[BYTES];
    RANDOM.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** What the users file holds for {@code token}: {@code sha256:} and 64 hex digits. */
  public static String hash(String token) {
    return HASH_PREFIX + HexFormat.of().formatHex(digest(token));
  }

  /** Whether {@code value} is a stored token hash in the form {@link #hash} writes. */
  static boolean isHash(String value) {
    return HASH.matcher(value).matches();
  }

  /**
   * Whether {@code presentedDigest} ({@link #digest} of a presented token) is that of the token
   * {@code storedHash} was made from. Compares the digests in constant time ({@link
   * MessageDigest#isEqual}), so that timing tells nothing about how much of a guess was right.
   */
  static boolean matches(byte[] presentedDigest, String storedHash) {
    byte[] stored = HexFormat.of().parseHex(storedHash.substring(HASH_PREFIX.length()));
    return MessageDigest.isEqual(presentedDigest, stored);
  }

  /** The SHA-256 of {@code token}'s UTF-8 bytes. */
  static byte[] digest(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
