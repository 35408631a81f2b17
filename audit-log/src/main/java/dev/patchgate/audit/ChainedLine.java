package dev.patchgate.audit;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One audit line read back and split into its chain parts: the fields, {@code seq}, {@code hash},
 * and the canonical bytes the hash covers.
 *
 * @param fields every field of the line, in order, {@code seq} and {@code hash} included
 * @param seq the line's seq, at least 1
 * @param hash the line's hash, 64 lower-case hex digits
 * @param canonical the bytes the hash covers: the line without its hash field
 */
record ChainedLine(Map<String, Object> fields, long seq, String hash, byte[] canonical) {

  /**
   * Parses one line, without its newline.
   *
   * @throws IllegalArgumentException saying what is wrong when it is not a chained audit line: not
   *     UTF-8, not a strict flat JSON object, or without {@code seq} and {@code hash} as its last
   *     two fields
   */
  static ChainedLine parse(byte[] line) {
    String text;
    try {
      text =
          StandardCharsets.UTF_8
              .newDecoder()
              .onMalformedInput(CodingErrorAction.REPORT)
              .onUnmappableCharacter(CodingErrorAction.REPORT)
              .decode(ByteBuffer.wrap(line))
              .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not UTF-8", e);
    }
    Map<String, Object> fields = AuditJsonReader.readObject(text);
    List<String> names = new ArrayList<>(fields.keySet());
    int n = names.size();
    if (n < 2
        || !names.get(n - 1).equals(AuditFields.HASH)
        || !names.get(n - 2).equals(AuditFields.SEQ)) {
      throw new IllegalArgumentException("no seq and hash at the end of the line");
    }
    if (!(fields.get(AuditFields.SEQ) instanceof Long seq) || seq < 1) {
      throw new IllegalArgumentException("seq is not a positive number");
    }
    if (!(fields.get(AuditFields.HASH) instanceof String hash) || !isHex64(hash)) {
      throw new IllegalArgumentException("hash is not 64 lower-case hex digits");
    }
    int canonicalEnd = line.length - HashChain.HASH_SUFFIX_LENGTH;
    byte[] suffix = (",\"hash\":\"" + hash + "\"}").getBytes(StandardCharsets.US_ASCII);
    if (canonicalEnd < 1
        || !Arrays.equals(line, canonicalEnd, line.length, suffix, 0, suffix.length)) {
      // Escapes in the name or the digits would make the hash cover other bytes than written.
      throw new IllegalArgumentException("hash field not written in its plain form");
    }
    byte[] canonical = Arrays.copyOf(line, canonicalEnd + 1);
    canonical[canonicalEnd] = '}';
    return new ChainedLine(fields, seq, hash, canonical);
  }

  /** The marker type ({@code start}, {@code stop}, {@code gap}), or {@code null} for a record. */
  String type() {
    return fields.get(AuditFields.TYPE) instanceof String type ? type : null;
  }

  /** A string field, or {@code null} when absent or not a string. */
  String string(String name) {
    return fields.get(name) instanceof String value ? value : null;
  }

  /** A number field, or {@code -1} when absent or not a number. */
  long number(String name) {
    return fields.get(name) instanceof Long value ? value : -1;
  }

  private static boolean isHex64(String s) {
    if (s.length() != 64) {
      return false;
    }
    for (int i = 0; i < 64; i++) {
      char c = s.charAt(i);
      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
        return false;
      }
    }
    return true;
  }
}
