package dev.patchgate.proxy.tunnel;

import static dev.patchgate.proxy.TlsHellos.concat;
import static dev.patchgate.proxy.TlsHellos.record;
import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.TlsHellos;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ServerHelloTest {
  private static final byte[] RETRY = TlsHellos.serverHello(true);
  private static final byte[] SERVER_HELLO = TlsHellos.serverHello(false);
  private static final byte[] CHANGE_CIPHER_SPEC =
      record(TlsHellos.CHANGE_CIPHER_SPEC, new byte[] {1});

  static Stream<Arguments> answers() {
    byte[] retryMessage = Arrays.copyOfRange(RETRY, 5, RETRY.length);
    return Stream.of(
        row("a ServerHello", ServerHello.Kind.SERVER_HELLO, SERVER_HELLO),
        row("a HelloRetryRequest", ServerHello.Kind.RETRY, RETRY),
        // Middlebox compatibility: a change_cipher_spec may come first or right after.
        row(
            "a change_cipher_spec, then a HelloRetryRequest",
            ServerHello.Kind.RETRY,
            concat(CHANGE_CIPHER_SPEC, RETRY)),
        // A TLS 1.2 server may warn (unrecognized_name) before it answers.
        row(
            "a warning alert, then a ServerHello",
            ServerHello.Kind.SERVER_HELLO,
            concat(record(TlsHellos.ALERT, new byte[] {1, 112}), SERVER_HELLO)),
        row(
            "a HelloRetryRequest split over two records",
            ServerHello.Kind.RETRY,
            concat(
                record(TlsHellos.HANDSHAKE, Arrays.copyOfRange(retryMessage, 0, 20)),
                record(
                    TlsHellos.HANDSHAKE,
                    Arrays.copyOfRange(retryMessage, 20, retryMessage.length)))),
        // Only the first 38 bytes decide: a TLS 1.2 flight's big first record need not be whole.
        row(
            "the head of a long ServerHello record",
            ServerHello.Kind.SERVER_HELLO,
            concat(
                new byte[] {22, 3, 3, 0x40, 0},
                Arrays.copyOfRange(SERVER_HELLO, 5, SERVER_HELLO.length))),
        row("no byte yet", ServerHello.Kind.NEED_MORE, new byte[0]),
        row("half a record header", ServerHello.Kind.NEED_MORE, Arrays.copyOf(RETRY, 3)),
        row("a header without its fragment", ServerHello.Kind.NEED_MORE, Arrays.copyOf(RETRY, 5)),
        row(
            "a HelloRetryRequest without its last byte",
            ServerHello.Kind.NEED_MORE,
            Arrays.copyOf(RETRY, RETRY.length - 1)),
        row("HTTP", ServerHello.Kind.OTHER, "HTTP/1.1 200 OK\r\n".getBytes()),
        row(
            "application data first",
            ServerHello.Kind.OTHER,
            record(TlsHellos.APPLICATION_DATA, new byte[40])),
        row(
            "another handshake message (HelloRequest)",
            ServerHello.Kind.OTHER,
            record(TlsHellos.HANDSHAKE, new byte[] {0, 0, 0, 0})),
        // Nothing may follow a HelloRetryRequest in its record before the client answers.
        row(
            "a HelloRetryRequest sharing its record",
            ServerHello.Kind.OTHER,
            record(TlsHellos.HANDSHAKE, concat(retryMessage, new byte[] {0, 0, 0, 0}))),
        row(
            "a fatal alert, then nothing",
            ServerHello.Kind.NEED_MORE,
            record(TlsHellos.ALERT, new byte[] {2, 40})));
  }

  private static Arguments row(String name, ServerHello.Kind kind, byte[] bytes) {
    return Arguments.of(name, kind, bytes);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void eachAnswerIsRecognised(String name, ServerHello.Kind kind, byte[] bytes) {
    assertThat(read(bytes).kind()).as(name).isEqualTo(kind);
  }

  @Test
  void aRetrysLengthEndsAtItsLastRecordSoTheNextAnswerCanBeRead() {
    byte[] bytes = concat(RETRY, CHANGE_CIPHER_SPEC, SERVER_HELLO);

    ServerHello.Result retry = read(bytes);

    assertThat(retry).isEqualTo(new ServerHello.Result(ServerHello.Kind.RETRY, RETRY.length));
    assertThat(read(Arrays.copyOfRange(bytes, retry.length(), bytes.length)).kind())
        .isEqualTo(ServerHello.Kind.SERVER_HELLO);
  }

  @Test
  void aServerHelloArrivingByteByByteNeedsMoreUntilItsRandomIsIn() {
    for (int n = 0; n < 5 + 38; n++) {
      assertThat(read(Arrays.copyOf(SERVER_HELLO, n)).kind())
          .as("after %d bytes", n)
          .isEqualTo(ServerHello.Kind.NEED_MORE);
    }
    assertThat(read(Arrays.copyOf(SERVER_HELLO, 5 + 38)).kind())
        .isEqualTo(ServerHello.Kind.SERVER_HELLO);
  }

  private static ServerHello.Result read(byte[] bytes) {
    ByteBuf buf = Unpooled.wrappedBuffer(bytes);
    try {
      ServerHello.Result result = ServerHello.read(buf);
      assertThat(buf.readerIndex()).as("bytes are not consumed").isZero();
      return result;
    } finally {
      buf.release();
    }
  }
}
