package dev.patchgate.proxy.tunnel;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads the server name (SNI) from a plaintext TLS ClientHello, without consuming the bytes: the
 * caller forwards them unchanged once the name has been checked. Pure and stateless.
 *
 * <p>The handshake message may span several TLS records; they are reassembled up to {@link
 * #MAX_HANDSHAKE} bytes. Anything the TLS specification forbids and a server might read differently
 * from us (two server_name extensions, two host names in one, a name with bytes outside printable
 * ASCII, another handshake message after the ClientHello in its last record) is malformed, so the
 * name we check is the only name a server could see. A ClientHello that offers Encrypted Client
 * Hello is reported as such: the name that counts is then encrypted, and the outer one says
 * nothing.
 */
final class ClientHello {
  /** Large post-quantum key shares make ClientHellos of a few KB; nothing legitimate nears this. */
  static final int MAX_HANDSHAKE = 64 * 1024;

  /** The TLS record header: content type, version (2), length (2); never encrypted. */
  static final int RECORD_HEADER = 5;

  /** The longest record fragment any TLS version allows (TLS 1.2's ciphertext bound). */
  static final int MAX_RECORD = (1 << 14) + 2048;

  static final int CONTENT_HANDSHAKE = 22;
  private static final int HANDSHAKE_CLIENT_HELLO = 1;
  private static final int EXTENSION_SERVER_NAME = 0;
  private static final int NAME_TYPE_HOST = 0;
  // encrypted_client_hello (0xfe0d since draft-ietf-tls-esni-13), the code points of its earlier
  // drafts (0xfe08 to 0xfe0c), and its predecessor encrypted_server_name (ESNI).
  private static final int EXTENSION_ECH = 0xfe0d;
  private static final int EXTENSION_ECH_DRAFT_FIRST = 0xfe08;
  private static final int EXTENSION_ESNI = 0xffce;

  /** What the bytes so far say. */
  enum Kind {
    /** Not enough bytes yet to decide. */
    NEED_MORE,
    /** The first bytes are not a TLS handshake record. */
    NOT_TLS,
    /** A TLS handshake that is not a well-formed ClientHello. */
    MALFORMED,
    /** A well-formed ClientHello without a server name. */
    NO_SNI,
    /** A well-formed ClientHello naming a server: {@link Result#serverName}. */
    SNI,
    /**
     * A well-formed ClientHello offering Encrypted Client Hello (or its predecessor ESNI): the
     * server may act on an encrypted name, whatever the outer one says.
     */
    ECH
  }

  /**
   * @param kind the outcome
   * @param serverName the name as sent, lower-cased; only for {@link Kind#SNI}
   * @param length for a well-formed ClientHello ({@link Kind#SNI}, {@link Kind#NO_SNI}, {@link
   *     Kind#ECH}): how many bytes, from the first, the records carrying it take; otherwise 0
   */
  record Result(Kind kind, String serverName, int length) {
    static final Result NEED_MORE = new Result(Kind.NEED_MORE, null, 0);
    static final Result NOT_TLS = new Result(Kind.NOT_TLS, null, 0);
    static final Result MALFORMED = new Result(Kind.MALFORMED, null, 0);
  }

  private ClientHello() {}

  /**
   * Reads {@code in}'s readable bytes, which start at a record boundary of the client's stream (its
   * first byte, or the record after the last one read).
   */
  static Result read(ByteBuf in) {
    int start = in.readerIndex();
    int end = in.writerIndex();
    byte[] handshake = null;
    int have = 0;
    int need = -1;
    int pos = start;
    while (true) {
      if (end - pos < 1) {
        return Result.NEED_MORE;
      }
      if (in.getUnsignedByte(pos) != CONTENT_HANDSHAKE) {
        return pos == start ? Result.NOT_TLS : Result.MALFORMED;
      }
      if (end - pos < 2) {
        return Result.NEED_MORE;
      }
      if (in.getUnsignedByte(pos + 1) != 3) {
        return pos == start ? Result.NOT_TLS : Result.MALFORMED;
      }
      if (end - pos < RECORD_HEADER) {
        return Result.NEED_MORE;
      }
      int length = in.getUnsignedShort(pos + 3);
      if (length == 0 || length > MAX_RECORD) {
        return Result.MALFORMED;
      }
      if (end - pos - RECORD_HEADER < length) {
        return Result.NEED_MORE;
      }
      if (handshake == null) {
        handshake = new byte[Math.min(MAX_HANDSHAKE, length * 4)];
      }
      if (have + length > MAX_HANDSHAKE) {
        return Result.MALFORMED;
      }
      if (have + length > handshake.length) {
        handshake = Arrays.copyOf(handshake, MAX_HANDSHAKE);
      }
      in.getBytes(pos + RECORD_HEADER, handshake, have, length);
      have += length;
      pos += RECORD_HEADER + length;
      if (need < 0 && have >= 4) {
        if (handshake[0] != HANDSHAKE_CLIENT_HELLO) {
          return Result.MALFORMED;
        }
        need = 4 + ((handshake[1] & 0xff) << 16 | (handshake[2] & 0xff) << 8 | handshake[3] & 0xff);
        if (need > MAX_HANDSHAKE) {
          return Result.MALFORMED;
        }
      }
      if (need >= 0 && have >= need) {
        if (have != need) {
          // TLS 1.3 (RFC 8446 5.1) makes a ClientHello end its record; no client coalesces
          // anything with it, and a message we did not check must not ride along.
          return Result.MALFORMED;
        }
        return parseBody(handshake, 4, need, pos - start);
      }
    }
  }

  /** Parses a ClientHello body (RFC 8446 4.1.2; older versions share the layout). */
  private static Result parseBody(byte[] b, int from, int to, int recordsLength) {
    Cursor c = new Cursor(b, from, to);
    if (!c.skip(2 + 32) // legacy_version, random
        || !c.skipVector(1, 0, 32) // legacy_session_id
        || !c.skipVector(2, 2, 65534) // cipher_suites
        || !c.skipVector(1, 1, 255)) { // legacy_compression_methods
      return Result.MALFORMED;
    }
    if (c.remaining() == 0) {
      return new Result(Kind.NO_SNI, null, recordsLength); // SSL 3.0-style hello without extensions
    }
    int extensionsLength = c.u16();
    if (extensionsLength != c.remaining()) {
      return Result.MALFORMED;
    }
    String name = null;
    boolean seen = false;
    boolean encrypted = false;
    while (c.remaining() > 0) {
      if (c.remaining() < 4) {
        return Result.MALFORMED;
      }
      int type = c.u16();
      int length = c.u16();
      if (length > c.remaining()) {
        return Result.MALFORMED;
      }
      if (type != EXTENSION_SERVER_NAME) {
        encrypted |= isEncryptedHello(type);
        c.skip(length);
        continue;
      }
      if (seen) {
        return Result.MALFORMED;
      }
      seen = true;
      name = serverName(new Cursor(b, c.pos, c.pos + length));
      if (name == null) {
        return Result.MALFORMED;
      }
      c.skip(length);
    }
    if (encrypted) {
      return new Result(Kind.ECH, null, recordsLength);
    }
    return seen
        ? new Result(Kind.SNI, name, recordsLength)
        : new Result(Kind.NO_SNI, null, recordsLength);
  }

  private static boolean isEncryptedHello(int extensionType) {
    return (extensionType >= EXTENSION_ECH_DRAFT_FIRST && extensionType <= EXTENSION_ECH)
        || extensionType == EXTENSION_ESNI;
  }

  /** The one host_name of a server_name extension (RFC 6066 3), or null if malformed. */
  private static String serverName(Cursor c) {
    if (c.remaining() < 2 || c.u16() != c.remaining()) {
      return null;
    }
    String name = null;
    while (c.remaining() > 0) {
      if (c.remaining() < 3) {
        return null;
      }
      int type = c.u8();
      int length = c.u16();
      if (length == 0 || length > c.remaining()) {
        return null;
      }
      if (type == NAME_TYPE_HOST) {
        if (name != null) {
          return null;
        }
        for (int i = c.pos; i < c.pos + length; i++) {
          if (c.bytes[i] <= 0x20 || c.bytes[i] >= 0x7f) {
            return null;
          }
        }
        name =
            new String(c.bytes, c.pos, length, StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
      }
      c.skip(length);
    }
    return name;
  }

  /** A read position over a byte range, with bounds checks that report instead of throwing. */
  private static final class Cursor {
    final byte[] bytes;
    final int end;
    int pos;

    Cursor(byte[] bytes, int pos, int end) {
      this.bytes = bytes;
      this.pos = pos;
      this.end = end;
    }

    int remaining() {
      return end - pos;
    }

    boolean skip(int n) {
      if (n > remaining()) {
        return false;
      }
      pos += n;
      return true;
    }

    /** Skips a vector with a {@code lengthBytes}-byte length prefix, if its length is in range. */
    boolean skipVector(int lengthBytes, int min, int max) {
      if (remaining() < lengthBytes) {
        return false;
      }
      int length = lengthBytes == 1 ? u8() : u16();
      return length >= min && length <= max && skip(length);
    }

    int u8() {
      return bytes[pos++] & 0xff;
    }

    int u16() {
      int value = (bytes[pos] & 0xff) << 8 | bytes[pos + 1] & 0xff;
      pos += 2;
      return value;
    }
  }
}
