package dev.patchgate.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.exchange.RequestLine;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where a request head ends, and how an unparseable request line is recorded. */
class RequestFramingTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // what arrived | where the first head ends (-1: not yet)
        "GET http://a/ HTTP/1.1\\r\\n\\r\\n                       | 26",
        "GET http://a/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\nGET http://b/ | 35",
        "GET http://a/ HTTP/1.1\\n\\n                             | 24",
        "GET http://a/ HTTP/1.1\\r\\nHost: a\\r\\n                | -1",
        "\\r\\n\\r\\nGET http://a/ HTTP/1.1\\r\\n\\r\\n               | 30",
        "\\r\\n\\r\\n                                             | -1",
        "GET http://a/ HTTP/1.1\\r\\nX: \\r\\r\\n\\r\\n              | 32",
      })
  void endOfHead_findsTheFirstEmptyLineAfterTheRequestLine(String arrived, int end) {
    ByteBuf buf = buffer(unescape(arrived.strip()));
    try {
      assertThat(new RequestFramer.HeadScanner().endOfHead(buf)).isEqualTo(end);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET http://a/ HTTP/1.1\\r\\n\\r\\n",
        "GET http://a/ HTTP/1.1\\r\\nHost: a\\r\\n\\r\\n",
        "\\r\\nGET http://a/ HTTP/1.1\\r\\nHost: a\\r\\nAccept: */*\\r\\n\\r\\n",
      })
  void endOfHead_resumesWhereItStoppedWhenBytesArriveOneByOne(String arrived) {
    byte[] whole = unescape(arrived.strip()).getBytes(StandardCharsets.ISO_8859_1);
    RequestFramer.HeadScanner scanner = new RequestFramer.HeadScanner();
    ByteBuf buf = Unpooled.buffer();
    try {
      int end = -1;
      for (int i = 0; i < whole.length && end < 0; i++) {
        buf.writeByte(whole[i]);
        end = scanner.endOfHead(buf);
      }
      assertThat(end).isEqualTo(whole.length);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "GET http://a/x HTTP/1.1                 | GET       | http://a/x",
        "<script>x</script> http://a/ HTTP/1.1   | <script>x</script> | http://a/",
        "BREW                                    | BREW      | ''",
        "GET /a%20b HTTP/1.1                     | GET       | /a%2520b",
        "GET /a b c HTTP/1.1                     | GET       | /a%20b%20c",
      })
  void requestLine_keepsMethodAndTargetAsSentAndSafe(String line, String method, String target) {
    ByteBuf buf = buffer(line.strip() + "\r\nHost: a\r\n\r\n");
    try {
      RequestLine parsed = RequestLine.of(buf);
      assertThat(parsed.method()).isEqualTo(method);
      assertThat(parsed.target()).isEqualTo(target);
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @CsvSource({"3000", "100000"})
  void requestLine_cutsALongTargetAndSaysHowLongTheLineWas(int length) {
    String path = "/" + "x".repeat(length);
    ByteBuf buf = buffer("GET " + path + " HTTP/1.1\r\n\r\n");
    try {
      String target = RequestLine.of(buf).target();
      assertThat(target)
          .startsWith(path.substring(0, RequestLine.MAX_TARGET))
          .endsWith("...(request line: " + (length + 14) + " bytes)");
    } finally {
      buf.release();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "'CONNECT a:443 HTTP/1.1', true",
    "'GET http://a/ HTTP/1.1', false",
    "'CONNEC', false"
  })
  void isConnect_readsTheMethodAsTheDecoderWill(String line, boolean connect) {
    ByteBuf buf = buffer("\r\n" + line);
    try {
      assertThat(RequestLine.isConnect(buf)).isEqualTo(connect);
    } finally {
      buf.release();
    }
  }

  private static ByteBuf buffer(String text) {
    return Unpooled.copiedBuffer(text, StandardCharsets.ISO_8859_1);
  }

  private static String unescape(String text) {
    return text.replace("\\r", "\r").replace("\\n", "\n");
  }
}
