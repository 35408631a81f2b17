package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.allowlist.HoconScanner.GiveUp;
import dev.patchgate.allowlist.HoconScanner.Kind;
import dev.patchgate.allowlist.HoconScanner.Token;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HoconScannerTest {
  /** Every token up to the end, as "KIND text@line". */
  private static List<String> tokens(String text) {
    HoconScanner scanner = new HoconScanner(text);
    List<String> out = new ArrayList<>();
    for (Token t = scanner.next(); t.kind != Kind.EOF; t = scanner.next()) {
      out.add(t.kind + " " + t.text.replace("\n", "\\n") + "@" + t.line);
    }
    return out;
  }

  @Test
  void next_splitsKeysSeparatorsAndValues_andSkipsComments() {
    assertThat(tokens("a.b = [1, x] # note\nc += ${d} // more\n"))
        .containsExactly(
            "UNQUOTED a.b@1",
            "EQUALS =@1",
            "OPEN_BRACKET [@1",
            "UNQUOTED 1@1",
            "COMMA ,@1",
            "UNQUOTED x@1",
            "CLOSE_BRACKET ]@1",
            "NEWLINE \\n@1",
            "UNQUOTED c@2",
            "PLUS_EQUALS +=@2",
            "SUBSTITUTION @2",
            "NEWLINE \\n@2");
  }

  @Test
  void next_unescapesQuotedStrings_andCountsTheLinesOfTripleQuotedOnes() {
    assertThat(tokens("\"a\\tb\\u0041\" : \"\"\"x\ny\"\"\"\"\nz"))
        .containsExactly(
            "QUOTED a\tbA@1", "COLON :@1", "QUOTED x\\ny\"@1", "NEWLINE \\n@2", "UNQUOTED z@3");
  }

  @Test
  void next_marksWhiteSpaceBeforeAToken() {
    HoconScanner scanner = new HoconScanner("a b\"c\"");
    assertThat(scanner.next().spaceBefore).isFalse();
    assertThat(scanner.next().spaceBefore).isTrue();
    assertThat(scanner.next().spaceBefore).isFalse();
  }

  @Test
  void startsWithBrace_andPushBack_giveTheTokenAgain() {
    HoconScanner braced = new HoconScanner("\n{ a = 1 }");
    assertThat(braced.startsWithBrace()).isTrue();
    HoconScanner plain = new HoconScanner("a = 1");
    assertThat(plain.startsWithBrace()).isFalse();
    assertThat(plain.next().text).isEqualTo("a");
    assertThat(plain.peekIsSeparator()).isTrue();
  }

  @Test
  void next_givesUpOnWhatItDoesNotModel() {
    for (String text : List.of("\"open", "\"a\nb\"", "${x", "a + b", "a ? b", "\"\\u12\"")) {
      HoconScanner scanner = new HoconScanner(text);
      assertThatThrownBy(
              () -> {
                while (scanner.next().kind != Kind.EOF) {
                  // read on
                }
              })
          .as(text)
          .isInstanceOf(GiveUp.class);
    }
  }
}
