package dev.patchgate.audit.query;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AsciiNeedleTest {

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "kb5034441 | x/windows10.0-KB5034441-x64.cab | true",
        "kb5034441 | x/windows10.0-kb503444-x64.cab | false",
        "kb5034441 | kb5034441 | true",
        "kb5034441 | b5034441 | false",
        "\"decision\":\"allow\" | {\"decision\":\"allow\"} | true",
        "\"decision\":\"allow\" | {\"decision\":\"ALLOW\"} | true",
        "\"decision\":\"allow\" | {\"decision\":\"deny\"} | false",
        "\"status\":200 | ,\"status\":200, | true",
        "\"status\":200 | ,\"status\":20 | false",
        "_x | a_x | true",
        "_x | a_X | true",
        "x_ | X_ | true",
        "[ | { | false"
      })
  void findsTheNeedleIgnoringAsciiCaseWhereverItsRareByteIs(
      String needle, String line, boolean found) {
    byte[] bytes = ("##" + line + "##").getBytes(StandardCharsets.US_ASCII);

    assertThat(AsciiNeedle.of(needle).foundIn(bytes, 2, bytes.length - 2)).isEqualTo(found);
  }

  @ParameterizedTest(name = "{0} in {1}: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "\"decision\":\"allow\" | {\"decision\":\"allow\"} | true",
        "\"decision\":\"allow\" | {\"decision\":\"ALLOW\"} | false",
        "\"method\":\"GET\" | \"method\":\"GET\" | true",
        "\"method\":\"GET\" | \"method\":\"GE | false",
        "\"status\":206 | \"status\":206 | true"
      })
  void exactNeedlesRespectCase(String needle, String line, boolean found) {
    byte[] bytes = line.getBytes(StandardCharsets.US_ASCII);

    assertThat(AsciiNeedle.exact(needle).foundIn(bytes, 0, bytes.length)).isEqualTo(found);
  }

  @ParameterizedTest(name = "{0} is verbatim: {1}")
  @CsvSource(
      delimiter = '|',
      value = {"10.10.1.5 | true", "*.x | true", "a\"b | false", "a\\b | false", "café | false"})
  void onlyTextTheWriterNeverEscapesCanBeSearchedRaw(String text, boolean verbatim) {
    assertThat(AsciiNeedle.isVerbatim(text)).isEqualTo(verbatim);
  }
}
