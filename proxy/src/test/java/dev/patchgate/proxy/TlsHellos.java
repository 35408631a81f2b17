package dev.patchgate.proxy;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Hand-built TLS handshake messages and records, for tests that must send what no TLS library
 * would: a second ClientHello naming another server, an empty key share, an Encrypted Client Hello
 * extension. The ClientHellos are real TLS 1.3 ones a JDK server answers.
 */
public final class TlsHellos {
  public static final int CHANGE_CIPHER_SPEC = 20;
  public static final int ALERT = 21;
  public static final int HANDSHAKE = 22;
  public static final int APPLICATION_DATA = 23;
  public static final int X25519 = 0x001d;
  public static final int SECP256R1 = 0x0017;

  /** SHA-256 of "HelloRetryRequest": the random of every HelloRetryRequest (RFC 8446 4.1.3). */
  private static final byte[] RETRY_RANDOM =
      HexFormat.of().parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

  private static final int EXTENSION_SERVER_NAME = 0x0000;
  private static final int EXTENSION_SUPPORTED_GROUPS = 0x000a;
  private static final int EXTENSION_SIGNATURE_ALGORITHMS = 0x000d;
  private static final int EXTENSION_SUPPORTED_VERSIONS = 0x002b;
  private static final int EXTENSION_COOKIE = 0x002c;
  private static final int EXTENSION_KEY_SHARE = 0x0033;
  public static final int EXTENSION_ECH = 0xfe0d;

  private TlsHellos() {}

  /** A TLS 1.3 ClientHello under construction. */
  public static final class Hello {
    private String serverName;
    private byte[] keyShares = new byte[0];
    private byte[] cookie;
    private byte[] extra = new byte[0];
    private final byte[] sessionId = new byte[32];

    /** Sends {@code name} as SNI (the default is none). */
    public Hello serverName(String name) {
      serverName = name;
      return this;
    }

    /** Offers a key share for {@code group}; without one the server must ask for a retry. */
    public Hello keyShare(int group) throws Exception {
      byte[] key = publicKey(group);
      keyShares = concat(u16(group), u16(key.length), key);
      return this;
    }

    /** Echoes the cookie of a HelloRetryRequest (null: none). */
    public Hello cookie(byte[] value) {
      cookie = value;
      return this;
    }

    /** Adds an encrypted_client_hello extension (its contents do not matter to the gateway). */
    public Hello encryptedClientHello() {
      return withExtension(EXTENSION_ECH, new byte[] {0, 0, 1, 0, 1, 7, 0, 0, 0, 0});
    }

    /** Adds any extension. */
    public Hello withExtension(int type, byte[] body) {
      extra = concat(extra, u16(type), u16(body.length), body);
      return this;
    }

    /** The handshake message: type, length, body. */
    public byte[] message() {
      byte[] extensions =
          concat(
              serverName == null ? new byte[0] : serverNameExtension(serverName),
              extension(EXTENSION_SUPPORTED_GROUPS, vector16(concat(u16(X25519), u16(SECP256R1)))),
              extension(
                  EXTENSION_SIGNATURE_ALGORITHMS,
                  vector16(concat(u16(0x0804), u16(0x0403), u16(0x0805), u16(0x0401)))),
              extension(EXTENSION_SUPPORTED_VERSIONS, new byte[] {2, 3, 4}),
              extension(EXTENSION_KEY_SHARE, vector16(keyShares)),
              cookie == null ? new byte[0] : extension(EXTENSION_COOKIE, vector16(cookie)),
              extra);
      byte[] body =
          concat(
              new byte[] {3, 3},
              new byte[32], // random: the server does not care
              new byte[] {(byte) sessionId.length},
              sessionId,
              vector16(concat(u16(0x1301), u16(0x1302), u16(0x1303))),
              new byte[] {1, 0}, // null compression
              vector16(extensions));
      return handshake(1, body);
    }

    /** The message in one handshake record. */
    public byte[] record() {
      return TlsHellos.record(HANDSHAKE, message());
    }

    /** The message in handshake records of at most {@code fragment} bytes each. */
    public byte[] records(int fragment) {
      byte[] message = message();
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      for (int from = 0; from < message.length; from += fragment) {
        out.writeBytes(
            TlsHellos.record(
                HANDSHAKE,
                Arrays.copyOfRange(message, from, Math.min(message.length, from + fragment))));
      }
      return out.toByteArray();
    }
  }

  public static Hello hello() {
    return new Hello();
  }

  /** A server's answer: a ServerHello, or a HelloRetryRequest when {@code retry}, in a record. */
  public static byte[] serverHello(boolean retry) {
    byte[] random = retry ? retryRandom() : new byte[32];
    byte[] body =
        concat(
            new byte[] {3, 3},
            random,
            new byte[] {0},
            u16(0x1301),
            new byte[] {0},
            vector16(extension(EXTENSION_SUPPORTED_VERSIONS, new byte[] {3, 4})));
    return record(HANDSHAKE, handshake(2, body));
  }

  public static byte[] retryRandom() {
    return RETRY_RANDOM.clone();
  }

  /** What a HelloRetryRequest asks for: the group to share a key in, and a cookie to echo. */
  public record Retry(int group, byte[] cookie) {}

  /**
   * Reads the server's records from {@code in} up to the end of its first handshake message,
   * skipping change_cipher_spec records.
   *
   * @return the message (type, length, body)
   * @throws EOFException if the connection ends first
   */
  public static byte[] readHandshakeMessage(InputStream in) throws IOException {
    DataInputStream data = new DataInputStream(in);
    ByteArrayOutputStream message = new ByteArrayOutputStream();
    while (true) {
      int type = data.readUnsignedByte();
      data.readUnsignedShort(); // version
      byte[] fragment = new byte[data.readUnsignedShort()];
      data.readFully(fragment);
      if (type == CHANGE_CIPHER_SPEC) {
        continue;
      }
      if (type != HANDSHAKE) {
        throw new IOException("the server sent record type " + type);
      }
      message.writeBytes(fragment);
      byte[] bytes = message.toByteArray();
      if (bytes.length >= 4 && bytes.length >= 4 + u24(bytes, 1)) {
        return Arrays.copyOf(bytes, 4 + u24(bytes, 1));
      }
    }
  }

  /** True when {@code message} is a ServerHello that is a HelloRetryRequest. */
  public static boolean isRetry(byte[] message) {
    return message[0] == 2 && Arrays.equals(message, 6, 38, retryRandom(), 0, 32);
  }

  /** The group and cookie a HelloRetryRequest message asks for. */
  public static Retry retry(byte[] message) {
    int pos = 4 + 2 + 32;
    pos += 1 + (message[pos] & 0xff); // legacy_session_id_echo
    pos += 2 + 1; // cipher_suite, legacy_compression_method
    int end = pos + 2 + u16(message, pos);
    pos += 2;
    int group = -1;
    byte[] cookie = null;
    while (pos < end) {
      int type = u16(message, pos);
      int length = u16(message, pos + 2);
      pos += 4;
      if (type == EXTENSION_KEY_SHARE) {
        group = u16(message, pos);
      } else if (type == EXTENSION_COOKIE) {
        cookie = Arrays.copyOfRange(message, pos + 2, pos + 2 + u16(message, pos));
      }
      pos += length;
    }
    return new Retry(group, cookie);
  }

  /** A fresh public key in {@code group}, encoded as a TLS key share wants it. */
  private static byte[] publicKey(int group) throws Exception {
    if (group == X25519) {
      byte[] encoded =
          KeyPairGenerator.getInstance("X25519").generateKeyPair().getPublic().getEncoded();
      return Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
    }
    if (group == SECP256R1) {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      ECPublicKey key = (ECPublicKey) generator.generateKeyPair().getPublic();
      return concat(
          new byte[] {4}, unsigned32(key.getW().getAffineX()), unsigned32(key.getW().getAffineY()));
    }
    throw new IllegalArgumentException("no key share for group " + group);
  }

  private static byte[] unsigned32(BigInteger n) {
    byte[] bytes = n.toByteArray();
    byte[] out = new byte[32];
    int length = Math.min(32, bytes.length);
    System.arraycopy(bytes, bytes.length - length, out, 32 - length, length);
    return out;
  }

  private static byte[] serverNameExtension(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);
    return extension(
        EXTENSION_SERVER_NAME, vector16(concat(new byte[] {0}, u16(bytes.length), bytes)));
  }

  public static byte[] extension(int type, byte[] body) {
    return concat(u16(type), u16(body.length), body);
  }

  public static byte[] handshake(int type, byte[] body) {
    return concat(
        new byte[] {(byte) type, (byte) (body.length >> 16), (byte) (body.length >> 8)},
        new byte[] {(byte) body.length},
        body);
  }

  public static byte[] record(int type, byte[] fragment) {
    return concat(new byte[] {(byte) type, 3, 3}, u16(fragment.length), fragment);
  }

  private static byte[] vector16(byte[] content) {
    return concat(u16(content.length), content);
  }

  public static byte[] u16(int n) {
    return new byte[] {(byte) (n >> 8), (byte) n};
  }

  private static int u16(byte[] b, int at) {
    return (b[at] & 0xff) << 8 | b[at + 1] & 0xff;
  }

  private static int u24(byte[] b, int at) {
    return (b[at] & 0xff) << 16 | (b[at + 1] & 0xff) << 8 | b[at + 2] & 0xff;
  }

  public static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
