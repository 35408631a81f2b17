package dev.patchgate.proxy.console.users;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * The console's password hashes: bcrypt from Spring Security Crypto, in the standard {@code
 * $2b$COST$SALTHASH} form, so that a later, higher cost applies to new hashes while the old ones
 * still verify (the cost is read from each hash).
 *
 * <p>Passwords arrive as {@code char[]} and their UTF-8 bytes are wiped after use. Thread-safe.
 */
public final class PasswordHashes {
  /** The shortest password accepted. */
  public static final int MIN_LENGTH = 12;

  /** bcrypt reads only this many bytes; a longer password is refused rather than cut. */
  public static final int MAX_BYTES = 72;

  /** 2^11 rounds: about 100-250 ms a check on a small server, measured on the build machine. */
  static final int COST = 11;

  private static final Pattern HASH =
      Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

  private static final SecureRandom RANDOM = new SecureRandom();

  private PasswordHashes() {}

  /**
   * Why {@code password} may not be set, as the end of a sentence ("the password ..."), or empty
   * when it is acceptable.
   */
  public static Optional<String> weakness(char[] password) {
    if (password.length == 0) {
      return Optional.of("is empty");
    }
    if (password.length < MIN_LENGTH) {
      return Optional.of("is shorter than " + MIN_LENGTH + " characters");
    }
    byte[] bytes = utf8(password);
    try {
      if (bytes.length > MAX_BYTES) {
        return Optional.of(
            "is longer than " + MAX_BYTES + " bytes (bcrypt would ignore the rest of it)");
      }
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
    return Optional.empty();
  }

  /**
   * A new salted hash of {@code password}.
   *
   * @throws IllegalArgumentException when {@link #weakness} names one
   */
  public static String hash(char[] password) {
    Optional<String> weakness = weakness(password);
    if (weakness.isPresent()) {
      throw new IllegalArgumentException("the password " + weakness.get());
    }
    byte[] bytes = utf8(password);
    try {
      return BCrypt.hashpw(bytes, BCrypt.gensalt("$2b", COST, RANDOM));
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** Whether {@code value} is a bcrypt hash in its standard form (not a plain password). */
  static boolean isHash(String value) {
    return HASH.matcher(value).matches();
  }

  /**
   * Whether {@code password} is the one {@code hash} was made from; one full bcrypt check whatever
   * the answer, also for a password too long to have been set.
   */
  static boolean matches(char[] password, String hash) {
    byte[] bytes = utf8(password);
    try {
      if (bytes.length > MAX_BYTES) {
        BCrypt.checkpw(new byte[MAX_BYTES], hash);
        return false;
      }
      return BCrypt.checkpw(bytes, hash);
    } finally {
      Arrays.fill(bytes, (byte) 0);
    }
  }

  /** The same work as {@link #matches} for a name that has no hash: no answer by timing. */
  static void burn(char[] password) {
    matches(password, Unknown.HASH);
  }

  private static byte[] utf8(char[] password) {
    ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
    byte[] bytes = new byte[encoded.remaining()];
    encoded.get(bytes);
    if (encoded.hasArray()) {
      Arrays.fill(encoded.array(), (byte) 0);
    }
    return bytes;
  }

  /** A hash of a random password, made on first use (it costs one bcrypt run). */
  private static final class Unknown {
    static final String HASH;

    static {
      char[] random = new char[MIN_LENGTH * 2];
      for (int i = 0; i < random.length; i++) {
        random[i] = (char) ('a' + RANDOM.nextInt(26));
      }
      HASH = hash(random);
      Arrays.fill(random, '\0');
    }
  }
}
