package dev.patchgate.proxy.tunnel;

import io.netty.buffer.ByteBuf;

/**
 * Reads how a TLS server first answers a ClientHello, without consuming the bytes: with a
 * HelloRetryRequest (TLS 1.3 asks for a second ClientHello), or with a real ServerHello (the server
 * has chosen its site and reads no other plaintext ClientHello). Pure and stateless.
 *
 * <p>change_cipher_spec and alert records before the answer are skipped (a TLS 1.3 server in
 * middlebox-compatibility mode sends a change_cipher_spec after its HelloRetryRequest; a TLS 1.2
 * server may warn before its ServerHello). The answer may be split over records; only its first
 * {@value #DECIDING_BYTES} bytes are needed, or all of it for a HelloRetryRequest, whose end must
 * end a record.
 */
final class ServerHello {
  private static final int CONTENT_CHANGE_CIPHER_SPEC = 20;
  private static final int CONTENT_ALERT = 21;
  private static final int HANDSHAKE_SERVER_HELLO = 2;
  // Handshake header (type, length), legacy_version, random: enough to tell the two apart.
  private static final int DECIDING_BYTES = 4 + 2 + 32;
  private static final int RANDOM_OFFSET = 6;

  /** The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 4.1.3). */
  private static final byte[] RETRY_RANDOM = {
    (byte) 0xcf,
    0x21,
    (byte) 0xad,
    0x74,
    (byte) 0xe5,
    (byte) 0x9a,
    0x61,
    0x11,
    (byte) 0xbe,
    0x1d,
    (byte) 0x8c,
    0x02,
    0x1e,
    0x65,
    (byte) 0xb8,
    (byte) 0x91,
    (byte) 0xc2,
    (byte) 0xa2,
    0x11,
    0x16,
    0x7a,
    (byte) 0xbb,
    (byte) 0x8c,
    0x5e,
    0x07,
    (byte) 0x9e,
    0x09,
    (byte) 0xe2,
    (byte) 0xc8,
    (byte) 0xa8,
    0x33,
    (byte) 0x9c
  };

  /** What the server's bytes so far say. */
  enum Kind {
    /** Not enough bytes yet to decide. */
    NEED_MORE,
    /** A HelloRetryRequest: the client's next ClientHello is read by the server. */
    RETRY,
    /** A ServerHello: the server has chosen, a later plaintext ClientHello is not read. */
    SERVER_HELLO,
    /** Not a TLS server's answer to a ClientHello (not TLS, or another handshake message). */
    OTHER
  }

  /**
   * @param kind the outcome
   * @param length for {@link Kind#RETRY}: how many bytes, from the first, the records up to the end
   *     of the HelloRetryRequest take (the server's next answer starts there); otherwise 0
   */
  record Result(Kind kind, int length) {
    static final Result NEED_MORE = new Result(Kind.NEED_MORE, 0);
    static final Result SERVER_HELLO = new Result(Kind.SERVER_HELLO, 0);
    static final Result OTHER = new Result(Kind.OTHER, 0);
  }

  private ServerHello() {}

  /** Reads {@code in}'s readable bytes, which start at a record boundary of the server's stream. */
  static Result read(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    byte[] head = new byte[DECIDING_BYTES];
    // Handshake bytes in the complete records read so far; the first DECIDING_BYTES go to head.
    int have = 0;
    int pos = start;
    while (true) {
      if (end - pos < 1) {
        return Result.NEED_MORE;
      }
      int type = in.getUnsignedByte(pos);
      boolean skippable = type == CONTENT_CHANGE_CIPHER_SPEC || type == CONTENT_ALERT;
      if (type != ClientHello.CONTENT_HANDSHAKE && !(skippable && have == 0)) {
        return Result.OTHER; // application data, not TLS, or a record inside the handshake
      }
      if (end - pos < 2) {
        return Result.NEED_MORE;
      }
      if (in.getUnsignedByte(pos + 1) != 3) {
        return Result.OTHER;
      }
      if (end - pos < ClientHello.RECORD_HEADER) {
        return Result.NEED_MORE;
      }
      int length = in.getUnsignedShort(pos + 3);
      if (length == 0 || length > ClientHello.MAX_RECORD) {
        return Result.OTHER;
      }
      int available = Math.min(length, end - pos - ClientHello.RECORD_HEADER);
      if (skippable) {
        if (available < length) {
          return Result.NEED_MORE;
        }
        pos += ClientHello.RECORD_HEADER + length;
        continue;
      }
      if (available == 0) {
        return Result.NEED_MORE;
      }
      int copy = Math.min(available, DECIDING_BYTES - have);
      if (copy > 0) {
        in.getBytes(pos + ClientHello.RECORD_HEADER, head, have, copy);
      }
      if (head[0] != HANDSHAKE_SERVER_HELLO) {
        return Result.OTHER;
      }
      int recordEnd = have + length; // handshake bytes up to the end of this record
      if (have + available < DECIDING_BYTES) {
        if (available < length) {
          return Result.NEED_MORE;
        }
        have = recordEnd;
        pos += ClientHello.RECORD_HEADER + length;
        continue;
      }
      if (!isRetry(head)) {
        return Result.SERVER_HELLO;
      }
      int message = 4 + ((head[1] & 0xff) << 16 | (head[2] & 0xff) << 8 | head[3] & 0xff);
      if (recordEnd > message) {
        return Result.OTHER; // no server sends more before the client's second hello
      }
      if (available < length) {
        return Result.NEED_MORE;
      }
      have = recordEnd;
      pos += ClientHello.RECORD_HEADER + length;
      if (have == message) {
        return new Result(Kind.RETRY, pos - start);
      }
    }
  }

  private static boolean isRetry(byte[] head) {
    for (int i = 0; i < RETRY_RANDOM.length; i++) {
      if (head[RANDOM_OFFSET + i] != RETRY_RANDOM[i]) {
        return false;
      }
    }
    return true;
  }
}
