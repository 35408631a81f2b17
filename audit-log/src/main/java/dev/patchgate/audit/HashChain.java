package dev.patchgate.audit;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * The hash chain that links every audit line to the one before it, and its running end.
 *
 * <p>A line is its body (the JSON object without its closing brace) followed by {@code
 * ,"seq":N,"hash":"H"}} and a newline. {@code H} is the lower-case hex SHA-256 of the previous
 * line's hash (as 64 ASCII characters; 64 {@code 0}s before the first line) followed by the line's
 * canonical form: the body with {@code ,"seq":N}} appended, i.e. the line without its hash field.
 * So editing, removing, inserting or reordering any line changes every hash after it.
 *
 * <p>Not thread-safe: one instance per thread.
 */
final class HashChain {
  /** The "previous hash" of the very first line. */
  static final String START_HASH = "0".repeat(64);

  private static final byte[] SEQ_PREFIX = ",\"seq\":".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] HASH_PREFIX = ",\"hash\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] LINE_END = "\"}\n".getBytes(StandardCharsets.US_ASCII);
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /**
   * What follows the canonical form's body on a sealed line: {@code ,"hash":"} + 64 + {@code "}}.
   */
  static final int HASH_SUFFIX_LENGTH = HASH_PREFIX.length + 64 + 2;

  private final MessageDigest sha256 = newSha256();
  private long seq;
  private String hash;

  /** Starts at the end of an existing chain: its last line's seq and hash. */
  HashChain(long seq, String hash) {
    this.seq = seq;
    this.hash = hash;
  }

  /** A fresh chain, before its first line. */
  static HashChain empty() {
    return new HashChain(0, START_HASH);
  }

  /** The seq of the last line, 0 before the first. */
  long seq() {
    return seq;
  }

  /** The hash of the last line, {@link #START_HASH} before the first. */
  String hash() {
    return hash;
  }

  /** Makes {@code line} the end of the chain. */
  void advanceTo(Sealed line) {
    advanceTo(line.seq(), line.hash());
  }

  /** Makes the line with this seq and hash the end of the chain. */
  void advanceTo(long seq, String hash) {
    this.seq = seq;
    this.hash = hash;
  }

  /** Seals {@code body} as the line after the current end, without advancing. */
  Sealed next(byte[] body) {
    return after(seq, hash, body);
  }

  /** Seals {@code body} as the line after {@code prev}, without advancing. */
  Sealed after(Sealed prev, byte[] body) {
    return after(prev.seq(), prev.hash(), body);
  }

  private Sealed after(long prevSeq, String prevHash, byte[] body) {
    long lineSeq = prevSeq + 1;
    byte[] seqDigits = Long.toString(lineSeq).getBytes(StandardCharsets.US_ASCII);
    int canonicalEnd = body.length + SEQ_PREFIX.length + seqDigits.length;
    byte[] line = Arrays.copyOf(body, canonicalEnd + HASH_SUFFIX_LENGTH + 1);
    System.arraycopy(SEQ_PREFIX, 0, line, body.length, SEQ_PREFIX.length);
    System.arraycopy(seqDigits, 0, line, body.length + SEQ_PREFIX.length, seqDigits.length);
    line[canonicalEnd] = '}'; // the canonical form ends here; overwritten by the hash field below
    String lineHash = hashOf(prevHash, line, canonicalEnd + 1);
    System.arraycopy(HASH_PREFIX, 0, line, canonicalEnd, HASH_PREFIX.length);
    int at = canonicalEnd + HASH_PREFIX.length;
    for (int i = 0; i < 64; i++) {
      line[at + i] = (byte) lineHash.charAt(i);
    }
    System.arraycopy(LINE_END, 0, line, at + 64, LINE_END.length);
    return new Sealed(line, lineSeq, lineHash);
  }

  /** The hash of a line whose canonical form is the first {@code length} bytes of {@code bytes}. */
  String hashOf(String prevHash, byte[] canonical, int length) {
    sha256.reset();
    sha256.update(prevHash.getBytes(StandardCharsets.US_ASCII));
    sha256.update(canonical, 0, length);
    return hex(sha256.digest());
  }

  /** Lower-case hex SHA-256 of {@code bytes}, as a gap marker names a torn line. */
  String sha256Hex(byte[] bytes) {
    sha256.reset();
    return hex(sha256.digest(bytes));
  }

  static String hex(byte[] digest) {
    char[] out = new char[digest.length * 2];
    for (int i = 0; i < digest.length; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  /**
   * One sealed line.
   *
   * @param bytes the whole line, newline included
   * @param seq its seq
   * @param hash its hash
   */
  record Sealed(byte[] bytes, long seq, String hash) {}
}
