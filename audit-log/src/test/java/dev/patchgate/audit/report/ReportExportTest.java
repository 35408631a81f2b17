package dev.patchgate.audit.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The console's exports of audit records: in their own order, hostile values inert. */
class ReportExportTest {
  @Test
  void recordsStayInTheirOrderWithTheClientAsAColumnAndFormulasAsText() throws IOException {
    ReportExport export =
        ReportExport.records(
            List.of(
                record("10.0.0.2", "=HYPERLINK(\"http://x\")", 403L),
                record("10.0.0.1", "http://a.example/kb.cab", 200L),
                record("10.0.0.2", "http://b.example/<script>", 200L)),
            List.of("3 records"));
    StringWriter csv = new StringWriter();

    export.csv(csv);

    assertThat(csv.toString().split("\r\n"))
        .containsExactly(
            "ts,client,method,url,decision,status,entry,reason,user,bytes_to_client,count",
            "2026-11-21T08:00:00Z,10.0.0.2,GET,\"'=HYPERLINK(\"\"http://x\"\")\",allow,403,lab,,,512,1",
            "2026-11-21T08:00:00Z,10.0.0.1,GET,http://a.example/kb.cab,allow,200,lab,,,512,1",
            "2026-11-21T08:00:00Z,10.0.0.2,GET,http://b.example/<script>,allow,200,lab,,,512,1");
  }

  @Test
  void recordsInHtmlAreOneTableWithoutClientSections() throws IOException {
    StringWriter html = new StringWriter();

    ReportExport.records(
            List.of(
                record("10.0.0.2", "http://b.example/<script>", 200L),
                record("10.0.0.1", "http://a.example/kb.cab", 200L)),
            List.of())
        .html("2026-11-21T09:00:00Z", html);

    assertThat(html.toString())
        .doesNotContain("<h2>", "<script>")
        .contains("http://b.example/&lt;script&gt;", "<th>Client</th>");
    assertThat(html.toString().split("<table>", -1)).hasSize(2);
    assertThat(html.toString().indexOf("10.0.0.2")).isLessThan(html.toString().indexOf("10.0.0.1"));
  }

  private static Map<String, Object> record(String client, String url, long status) {
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("ts", "2026-11-21T08:00:00Z");
    r.put("client", client);
    r.put("method", "GET");
    r.put("url", url);
    r.put("decision", "allow");
    r.put("status", status);
    r.put("entry", "lab");
    r.put("bytes_to_client", 512L);
    return r;
  }
}
