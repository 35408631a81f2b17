package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.report.ReportModel.Column;
import dev.patchgate.audit.report.ReportModel.Kind;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a spreadsheet opens: hostile values stay text and quoting follows RFC 4180. */
class CsvRendererTest {
  private static final List<Column> COLUMNS =
      List.of(
          new Column("host", "Host", Kind.TEXT, 0, true),
          new Column("url", "URL", Kind.URL, 0, false),
          new Column("requests", "Requests", Kind.COUNT, 0, true));

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '`',
      value = {
        // threat | value in the record | cell as written
        "plain host stays as it is | download.windowsupdate.com | download.windowsupdate.com",
        "formula | =1+2 | '=1+2",
        "formula calling out | =HYPERLINK(\"http://x\",\"y\") | \"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"",
        "plus sign | +1 | '+1",
        "minus sign | -2+3 | '-2+3",
        "at sign | @SUM(A1:A9) | '@SUM(A1:A9)",
        "full-width equals | \uff1d1+2 | '\uff1d1+2",
        "comma | a,b | \"a,b\"",
        "double quotes | say \"hi\" | \"say \"\"hi\"\"\"",
        "single quote | it's | it's",
        "markup | <script>alert(1)</script> | <script>alert(1)</script>",
        "bidi override | abc\u202Eexe.cab | abc\\u202eexe.cab"
      })
  void textCellsAreNeutralisedAndQuoted(String threat, String value, String cell)
      throws IOException {
    assertThat(row(value, 3L)).as(threat).isEqualTo("10.10.1.5," + cell + "," + cell + ",3");
  }

  @Test
  void aValueStartingWithATabOrCarriageReturnGetsAnApostrophe() throws IOException {
    // OWASP's rule; the control character itself is also shown escaped, never written raw
    assertThat(row("\t=cmd() A0", 1L)).isEqualTo("10.10.1.5,'\\u0009=cmd() A0,'\\u0009=cmd() A0,1");
    assertThat(row("\r=cmd() A0", 1L)).isEqualTo("10.10.1.5,'\\u000d=cmd() A0,'\\u000d=cmd() A0,1");
  }

  @Test
  void aNegativeNumberIsANumberNotAFormula() throws IOException {
    assertThat(row("h", -5L)).isEqualTo("10.10.1.5,h,h,-5");
  }

  @Test
  void everyRowEndsInCrlfAndTheHeaderNamesTheColumns() throws IOException {
    StringWriter out = new StringWriter();
    CsvRenderer.render(model("h", 1L), out);
    assertThat(out.toString()).isEqualTo("client,host,url,requests\r\n10.10.1.5,h,h,1\r\n");
  }

  private static String row(String value, long count) throws IOException {
    StringWriter out = new StringWriter();
    CsvRenderer.render(model(value, count), out);
    String[] lines = out.toString().split("\r\n", -1);
    assertThat(lines).hasSize(3);
    return lines[1];
  }

  private static ReportModel model(String value, long count) {
    return new ReportModel(
        "Test",
        List.of(),
        null,
        COLUMNS,
        List.of(new ReportModel.Row("10.10.1.5", false, Arrays.asList(value, value, count))),
        "nothing");
  }
}
