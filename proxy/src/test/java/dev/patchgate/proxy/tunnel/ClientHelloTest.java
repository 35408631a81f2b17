package dev.patchgate.proxy.tunnel;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.TlsHellos;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ClientHelloTest {

  @Test
  void theJdksClientHelloNamesItsServer() throws Exception {
    byte[] hello = jdkHello("updates.example.test");
    assertThat(read(hello))
        .isEqualTo(
            new ClientHello.Result(ClientHello.Kind.SNI, "updates.example.test", hello.length));
  }

  @Test
  void theLengthCoversTheHellosRecordsAndNothingAfterThem() {
    byte[] hello = TlsHellos.hello().serverName("updates.example.test").records(100);
    byte[] changeCipherSpec = TlsHellos.record(TlsHellos.CHANGE_CIPHER_SPEC, new byte[] {1});
    byte[] earlyData = TlsHellos.record(TlsHellos.APPLICATION_DATA, new byte[40]);

    ClientHello.Result result = read(concat(hello, changeCipherSpec, earlyData));

    assertThat(result.serverName()).isEqualTo("updates.example.test");
    assertThat(result.length()).isEqualTo(hello.length);
  }

  @Test
  void aHelloWithEncryptedClientHelloIsReportedWhateverItsOuterName() {
    byte[] hello =
        TlsHellos.hello().serverName("updates.example.test").encryptedClientHello().record();

    assertThat(read(hello))
        .isEqualTo(new ClientHello.Result(ClientHello.Kind.ECH, null, hello.length));
  }

  @Test
  void theJdksClientHelloWithoutServerNameHasNoSni() throws Exception {
    assertThat(read(jdkHello(null)).kind()).isEqualTo(ClientHello.Kind.NO_SNI);
  }

  @Test
  void aHelloArrivingByteByByteNeedsMoreUntilItsLastByte() throws Exception {
    byte[] hello = jdkHello("updates.example.test");
    for (int n = 0; n < hello.length; n++) {
      assertThat(read(Arrays.copyOf(hello, n)).kind())
          .as("after %d of %d bytes", n, hello.length)
          .isEqualTo(ClientHello.Kind.NEED_MORE);
    }
    assertThat(read(hello).serverName()).isEqualTo("updates.example.test");
  }

  @Test
  void aHandshakeSplitOverTwoRecordsIsReassembled() {
    byte[] handshake = handshake(serverNameExtension(hostName("updates.example.test")));
    int half = handshake.length / 2;
    byte[] split =
        concat(
            record(Arrays.copyOfRange(handshake, 0, half)),
            record(Arrays.copyOfRange(handshake, half, handshake.length)));

    assertThat(read(split).serverName()).isEqualTo("updates.example.test");
  }

  @Test
  void theNameIsLowerCasedForComparison() {
    assertThat(
            read(record(handshake(serverNameExtension(hostName("Updates.Example.TEST")))))
                .serverName())
        .isEqualTo("updates.example.test");
  }

  static Stream<Arguments> refusedOpenings() {
    byte[] goodExtension = serverNameExtension(hostName("updates.example.test"));
    return Stream.of(
        // Plain HTTP inside a tunnel: the tunnel would carry any protocol to an allowed host.
        row("plain HTTP", ClientHello.Kind.NOT_TLS, "GET / HTTP/1.1\r\n\r\n".getBytes()),
        // SSH or anything else that is not TLS.
        row("SSH banner", ClientHello.Kind.NOT_TLS, "SSH-2.0-OpenSSH_9.6\r\n".getBytes()),
        // A TLS alert record is TLS, but not a handshake.
        row("alert record first", ClientHello.Kind.NOT_TLS, new byte[] {21, 3, 3, 0, 2, 2, 40}),
        // A handshake message that is not a ClientHello (ServerHello = 2).
        row(
            "server hello",
            ClientHello.Kind.MALFORMED,
            record(withType(handshake(goodExtension), 2))),
        // Two server_name extensions: a server might read the other one.
        row(
            "two server_name extensions",
            ClientHello.Kind.MALFORMED,
            record(
                handshake(concat(goodExtension, serverNameExtension(hostName("evil.example")))))),
        // Two host names in one extension: same ambiguity.
        row(
            "two host names",
            ClientHello.Kind.MALFORMED,
            record(
                handshake(
                    serverNameExtension(
                        concat(hostName("updates.example.test"), hostName("evil.example")))))),
        // Control characters or spaces in the name: no DNS name has them.
        row(
            "name with a NUL",
            ClientHello.Kind.MALFORMED,
            record(handshake(serverNameExtension(hostName("updates.example.test\0.evil"))))),
        // Lengths that overrun their container.
        row(
            "extension length overruns",
            ClientHello.Kind.MALFORMED,
            record(handshake(new byte[] {0, 0, 0, 50, 0, 1}))),
        // A record longer than TLS allows.
        row("oversized record", ClientHello.Kind.MALFORMED, new byte[] {22, 3, 1, (byte) 0xff, 0}),
        // A handshake claiming to be larger than any real ClientHello.
        row(
            "oversized handshake",
            ClientHello.Kind.MALFORMED,
            record(new byte[] {1, 0x10, 0, 0, 3, 3})),
        // Another handshake message (here a second ClientHello with another name) in the hello's
        // last record: it would reach the server unchecked.
        row(
            "a second hello coalesced into the first one's record",
            ClientHello.Kind.MALFORMED,
            record(
                concat(
                    handshake(goodExtension),
                    handshake(serverNameExtension(hostName("evil.example")))))),
        // Encrypted Client Hello: an ECH-capable front serves the encrypted inner name.
        row(
            "encrypted_client_hello",
            ClientHello.Kind.ECH,
            record(handshake(concat(goodExtension, extension(0xfe0d, new byte[] {0, 0, 1}))))),
        // ECH without an outer name is ECH all the same.
        row(
            "encrypted_client_hello without SNI",
            ClientHello.Kind.ECH,
            record(handshake(extension(0xfe0d, new byte[] {0, 0, 1})))),
        // An ECH draft's code point, which early deployments still answer.
        row(
            "draft encrypted_client_hello (0xfe0a)",
            ClientHello.Kind.ECH,
            record(handshake(concat(goodExtension, extension(0xfe0a, new byte[] {0, 0, 1}))))),
        // ESNI, ECH's predecessor: the server name itself is encrypted.
        row(
            "encrypted_server_name (ESNI)",
            ClientHello.Kind.ECH,
            record(handshake(concat(goodExtension, extension(0xffce, new byte[] {0, 0, 1}))))),
        // ECH inside a malformed hello is malformed first.
        row(
            "encrypted_client_hello with an overrunning length",
            ClientHello.Kind.MALFORMED,
            record(handshake(concat(goodExtension, new byte[] {(byte) 0xfe, 0x0d, 0, 9, 0})))));
  }

  private static Arguments row(String name, ClientHello.Kind kind, byte[] bytes) {
    return Arguments.of(name, kind, bytes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedOpenings")
  void openingsThatAreNotACleanClientHelloAreRecognised(
      String name, ClientHello.Kind kind, byte[] bytes) {
    assertThat(read(bytes).kind()).as(name).isEqualTo(kind);
  }

  private static ClientHello.Result read(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      ClientHello.Result result = ClientHello.read(buf);
      assertThat(buf.readerIndex()).as("bytes are not consumed").isZero();
      return result;
    } finally {
      buf.release();
    }
  }

  /** The first flight of a real JDK TLS client. */
  private static byte[] jdkHello(String serverName) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, null, null);
    SSLEngine engine = context.createSSLEngine("updates.example.test", 443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] bytes = new byte[out.remaining()];
    out.get(bytes);
    return bytes;
  }

  private static byte[] hostName(String name) {
    byte[] bytes = name.getBytes(StandardCharsets.ISO_8859_1);
    return concat(new byte[] {0, (byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
  }

  private static byte[] serverNameExtension(byte[] names) {
    byte[] list = concat(u16(names.length), names);
    return concat(new byte[] {0, 0}, u16(list.length), list);
  }

  /** A minimal ClientHello handshake message carrying {@code extensions}. */
  private static byte[] handshake(byte[] extensions) {
    byte[] body =
        concat(
            new byte[] {3, 3},
            new byte[32],
            new byte[] {0}, // no session id
            new byte[] {0, 2, 0x13, 0x01}, // one cipher suite
            new byte[] {1, 0}, // null compression
            u16(extensions.length),
            extensions);
    return concat(new byte[] {1, 0, (byte) (body.length >> 8), (byte) body.length}, body);
  }

  private static byte[] extension(int type, byte[] body) {
    return concat(u16(type), u16(body.length), body);
  }

  private static byte[] withType(byte[] handshake, int type) {
    byte[] copy = handshake.clone();
    copy[0] = (byte) type;
    return copy;
  }

  private static byte[] record(byte[] fragment) {
    return concat(new byte[] {22, 3, 1}, u16(fragment.length), fragment);
  }

  private static byte[] u16(int n) {
    return new byte[] {(byte) (n >> 8), (byte) n};
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] part : parts) {
      out.writeBytes(part);
    }
    return out.toByteArray();
  }
}
