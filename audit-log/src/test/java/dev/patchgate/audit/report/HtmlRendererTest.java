package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The page's markup; how it looks and behaves in a browser is proxy's ReportExportIT, in Chromium.
 */
class HtmlRendererTest {
  private static final String KB_CAB =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";

  @Test
  void aLongUrlKeepsItsHostAndFileNameAndTheWholeValueStaysInThePage() throws IOException {
    String page = render(patches(KB_CAB));

    assertThat(page)
        .contains(
            "<td class=\"u\" title=\""
                + KB_CAB
                + "\">http://download.windowsupdate.com/<span class=\"cut\">c/msdownload/")
        .contains(
            "</span>/01/windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab</td>");
  }

  @Test
  void aShortUrlIsShownWholeWithoutATitle() throws IOException {
    String url = "http://download.windowsupdate.com/d/kb5035000.cab";
    assertThat(render(patches(url))).contains("<td class=\"u\">" + url + "</td>");
  }

  @Test
  void theFileAndHostColumnsAreLeftToTheUrlAndTimesShowTheMinute() throws IOException {
    String page = render(patches(KB_CAB));

    assertThat(page)
        .doesNotContain("<th>File</th>")
        .doesNotContain("<th>Host</th>")
        .contains("<th>URL</th>")
        .contains("<td title=\"2026-11-21T08:00:00.000Z\">2026-11-21 08:00</td>");
  }

  @Test
  void columnsShareTheLineAndAHugeValueIsCutToTwoLinesOfItsColumn() throws IOException {
    String huge = "http://vendor.example.jp/" + "a".repeat(10_000) + ".cab";
    ReportModel report = patches(huge);
    int[] widths = HtmlRenderer.widths(report, HtmlRenderer.shown(report));

    assertThat(Arrays.stream(widths).sum() + 2 * widths.length)
        .isLessThanOrEqualTo(HtmlRenderer.LINE_CHARS);
    String page = render(report);
    String cell = page.substring(page.indexOf("<td class=\"u\""));
    cell = cell.substring(0, cell.indexOf("</td>"));
    String visible =
        cell.replaceAll("<span class=\"cut\">[^<]*</span>", "").replaceAll(".*\">", "");
    assertThat(visible.length())
        .isLessThanOrEqualTo(HtmlRenderer.CELL_LINES * widths[widths.length - 1]);
    assertThat(visible).startsWith("http://vendor.example.jp/").endsWith("aaa.cab");
  }

  @Test
  void noScriptNoLinkAndAPolicyThatForbidsThem() throws IOException {
    String page = render(patches("javascript:alert(1)"));

    assertThat(page)
        .contains("default-src 'none'")
        .doesNotContain("<script")
        .doesNotContain("<a ")
        .doesNotContain("href=")
        .contains("<td class=\"u\">javascript:alert(1)</td>");
  }

  private static String render(ReportModel report) throws IOException {
    StringWriter out = new StringWriter();
    HtmlRenderer.render(report, "2026-11-23T10:00:00Z", out);
    return out.toString();
  }

  private static ReportModel patches(String url) {
    List<Object> cells =
        Arrays.asList(
            "2026-11-21T08:00:00.000Z",
            "2026-11-22T10:00:00.000Z",
            "KB5034441",
            url.substring(url.lastIndexOf('/') + 1),
            "download.windowsupdate.com",
            1_000_000L,
            "complete",
            "mirror+upstream",
            3L,
            1_100_900L,
            "windows-update",
            url);
    return new ReportModel(
        "Patch downloads",
        List.of("Period: all"),
        null,
        PatchReport.COLUMNS,
        List.of(new ReportModel.Row("10.10.1.5", false, cells)),
        "no downloads found");
  }
}
