package dev.patchgate.audit.query;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Adds {@code seq} and {@code hash} to JSON objects as the audit-format contract defines them: seq
 * counts from 1, hash = hex SHA-256 of the previous hash (64 zeros at first) followed by the object
 * with its seq and without its hash.
 */
public final class ChainedLines {
  private final MessageDigest sha256;
  private final byte[] prev = "0".repeat(64).getBytes(StandardCharsets.US_ASCII);
  private long seq;

  public ChainedLines() {
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Returns {@code object} ({@code {...}}) as the next line of the chain, without newline. */
  public String next(String object) {
    String body = object.substring(0, object.length() - 1) + ",\"seq\":" + ++seq;
    sha256.update(prev);
    sha256.update((body + "}").getBytes(StandardCharsets.UTF_8));
    String hash = HexFormat.of().formatHex(sha256.digest());
    System.arraycopy(hash.getBytes(StandardCharsets.US_ASCII), 0, prev, 0, 64);
    return body + ",\"hash\":\"" + hash + "\"}";
  }
}
