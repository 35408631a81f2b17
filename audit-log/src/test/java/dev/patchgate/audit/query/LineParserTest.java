package dev.patchgate.audit.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.audit.AuditJson;
import dev.patchgate.audit.AuditJsonReader;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The fast parser must agree with the reference reader, {@link AuditJsonReader}. */
class LineParserTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "{\"a\":\"b\"}",
        "{\"a\":null,\"b\":true,\"c\":false,\"d\":0,\"e\":-12,\"f\":\"\"}",
        "{\"max\":9223372036854775807,\"min\":-9223372036854775808}",
        "{\"esc\":\"q\\\"b\\\\s\\/n\\nr\\rt\\tb\\bf\\f\"}",
        "{\"u\":\"\\u00e9\\u2028\\ud83d\\ude00\\ud800x\\u001b\"}",
        "{\"raw\":\"caf\u00e9 \u65e5\u672c \ud83d\ude00 \u007f\"}",
        "{\"mix\":\"\u00e9\\n\u65e5\"}",
        "{\"url\":\"http://x/a?b=c&d=%20\",\"seq\":41,\"hash\":\"9c0f\"}"
      })
  void acceptsWhatTheReferenceReaderAcceptsWithTheSameValues(String line) {
    assertThat(parse(line)).isEqualTo(AuditJsonReader.readObject(line));
    assertThat(parse(line).keySet())
        .containsExactlyElementsOf(AuditJsonReader.readObject(line).keySet());
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "{",
        "[]",
        "{\"a\":\"b\"",
        "{\"a\":\"b\"}x",
        "{\"a\":\"b\"}\r",
        "{\"a\" :\"b\"}",
        "{ \"a\":\"b\"}",
        "{\"a\":\"b\", \"c\":1}",
        "{\"a\":\"b\",\"a\":\"c\"}",
        "{\"a\":null,\"a\":null}",
        "{\"a\":{\"b\":1}}",
        "{\"a\":[1]}",
        "{\"a\":1.5}",
        "{\"a\":1e3}",
        "{\"a\":-}",
        "{\"a\":nul}",
        "{\"a\":tru}",
        "{\"a\":\"tab\there\"}",
        "{\"a\":\"\\x\"}",
        "{\"a\":\"\\u12\"}",
        "{\"a\":\"unterminated}",
        "{\"a\":9223372036854775808}",
        "{a:1}",
        "{\"a\":1,}"
      })
  void rejectsWhatTheReferenceReaderRejects(String line) {
    assertThatThrownBy(() -> AuditJsonReader.readObject(line))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse(line))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(" at byte ");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "http://download.windowsupdate.com/c/msdownload/kb5034441.cab",
        "caf\u00e9\n\u2028\u202e\ud83d\ude00\ud800<script>\"\\",
        ""
      })
  void readsBackEveryRecordTheWriterWrites(String url) {
    String line =
        new ChainedLines()
            .next(AuditJson.toJson(TestRecords.download().url(url).reason("r\u0000").build()));

    assertThat(parse(line)).isEqualTo(AuditJsonReader.readObject(line));
  }

  @ParameterizedTest
  @ValueSource(strings = {"{\"a\":\"b\"}", "{\"n\":-5}"})
  void parsesALineInTheMiddleOfABuffer(String line) {
    byte[] inner = line.getBytes(StandardCharsets.UTF_8);
    byte[] buffer = new byte[inner.length + 10];
    System.arraycopy(inner, 0, buffer, 5, inner.length);

    assertThat(LineParser.parse(buffer, 5, 5 + inner.length))
        .isEqualTo(AuditJsonReader.readObject(line));
  }

  private static Map<String, Object> parse(String line) {
    byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
    return LineParser.parse(bytes, 0, bytes.length);
  }
}
