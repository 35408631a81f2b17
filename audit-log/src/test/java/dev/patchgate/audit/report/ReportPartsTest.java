package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.audit.text.ByteSize;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ReportPartsTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab | KB5034441",
        "Windows6.1-KB2533552-x64.msu | KB2533552",
        "AMD64-all-windows10.0-kb123456-x64.cab | KB123456",
        "kb5034441.cab | KB5034441",
        "windows10.0-kb50344410-x64.cab | none",
        "windows10.0-kb12345-x64.cab | none",
        "xkb5034441.cab | none",
        "mpam-fe.exe | none",
        "c73a7176-1876-3d62-9fc0-f0a0f66f42fd | none"
      })
  void kbNumberComesFromTheFileName(String fileName, String kb) {
    assertThat(KbNumber.in(fileName).orElse(null)).isEqualTo(kb);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"KB5034441, KB5034441", "kb5034441, KB5034441", "' 5034441 ', KB5034441"})
  void kbArgumentAcceptsEitherCaseAndABareNumber(String argument, String kb) {
    assertThat(KbNumber.parse(argument)).isEqualTo(kb);
  }

  @Test
  void kbArgumentRejectsWhatIsNoKbNumber() {
    assertThatThrownBy(() -> KbNumber.parse("KB50"))
        .hasMessage("--kb: 'KB50' (expected: a KB number such as KB5034441)");
  }

  @ParameterizedTest(name = "{0} -> ''{1}''")
  @CsvSource(
      delimiter = '|',
      value = {
        "http://h/a/b/file.cab | file.cab",
        "http://h/a/b/file.cab?x=1/2 | file.cab",
        "http://h/file.cab#frag | file.cab",
        "http://h/dir/ | ''",
        "http://h | ''",
        "http://h/?q=/x | ''",
        "host.example:443 | ''",
        "/no/scheme/file.cab | ''"
      })
  void fileNameIsTheLastPathSegment(String url, String name) {
    assertThat(UrlParts.fileName(url)).isEqualTo(name);
  }

  @ParameterizedTest(name = "length {0}, full {1}, ranges {2}/{3} -> {4}")
  @CsvSource(
      nullValues = "none",
      value = {
        "1000, true, 0, false, COMPLETE",
        "1000, false, 0, false, INCOMPLETE",
        "1000, false, 1000, true, COMPLETE",
        "1000, false, 999, true, PARTIAL_RANGE",
        "none, false, 999, true, UNKNOWN",
        "none, false, 0, false, UNKNOWN",
        "none, true, 0, false, COMPLETE"
      })
  void completenessTable(
      Long length, boolean full, long rangeBytes, boolean ranges, Completeness expected) {
    assertThat(Completeness.decide(length, full, rangeBytes, ranges)).isEqualTo(expected);
  }

  @Test
  void clientsSortIpv4ByNumberThenOthersAsText() {
    List<String> clients =
        new ArrayList<>(List.of("fe80::1", "10.10.1.10", "10.10.1.5", "9.1.1.1", "1.2.3", "::1"));

    clients.sort(ClientOrder.INSTANCE);

    assertThat(clients)
        .containsExactly("9.1.1.1", "10.10.1.5", "10.10.1.10", "1.2.3", "::1", "fe80::1");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "0, 0 B",
    "1023, 1023 B",
    "1024, 1.0 KiB",
    "1000000, 976.6 KiB",
    "5368709120, 5.0 GiB"
  })
  void byteSizesReadAsPeopleSayThem(long bytes, String text) {
    assertThat(ByteSize.human(bytes)).isEqualTo(text);
  }

  @Test
  void htmlEscapeCoversMarkupQuotesAndControlCharacters() {
    assertThat(HtmlRenderer.escape("<a href='x'>\"&\u001b</a>"))
        .isEqualTo("&lt;a href=&#39;x&#39;&gt;&quot;&amp;\\u001b&lt;/a&gt;");
  }
}
