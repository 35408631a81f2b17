package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AuditJsonTest {

  @Test
  void fieldsAreWrittenInTheDocumentedOrder() {
    Map<String, Object> fields =
        AuditJsonReader.readObject(AuditJson.toJson(AuditRecords.allowedDownload("r-42")));

    assertThat(fields.keySet()).containsExactlyElementsOf(AuditFields.IN_ORDER);
  }

  @Test
  void aSummaryRecordAddsItsCountLastTimeAndHostsAfterTheOrdinaryFieldsAndReadsBack() {
    AuditRecord summary =
        AuditRecords.rateLimitSummary(
            "r-7",
            Instant.parse("2026-11-23T10:15:30.123Z"),
            new AuditSummary(
                500,
                Instant.parse("2026-11-23T10:15:31.001Z"),
                java.util.List.of("a.example", "b.example"),
                3));

    Map<String, Object> fields = AuditJsonReader.readObject(AuditJson.toJson(summary));

    assertThat(fields.keySet())
        .containsExactlyElementsOf(
            Stream.concat(AuditFields.IN_ORDER.stream(), AuditFields.SUMMARY_IN_ORDER.stream())
                .toList());
    assertThat(fields)
        .contains(
            entry("decision", "deny"),
            entry("reason", "rate limit"),
            entry("status", 429L),
            entry("count", 500L),
            entry("last_ts", "2026-11-23T10:15:31.001Z"),
            entry("hosts", "a.example b.example"),
            entry("more_hosts", 3L));
    assertThat(AuditFields.countOf(fields)).isEqualTo(500);
    assertThat(summary.count()).isEqualTo(500);
  }

  @Test
  void anOrdinaryRecordHasNoCountAndCountsAsOne() {
    Map<String, Object> fields =
        AuditJsonReader.readObject(AuditJson.toJson(AuditRecords.allowedDownload("r-42")));

    assertThat(fields).doesNotContainKeys(AuditFields.SUMMARY_IN_ORDER.toArray(String[]::new));
    assertThat(AuditFields.countOf(fields)).isEqualTo(1);
  }

  @Test
  void everyFieldCarriesItsRecordComponent() {
    Map<String, Object> fields =
        AuditJsonReader.readObject(AuditJson.toJson(AuditRecords.allowedDownload("r-42")));

    assertThat(fields)
        .containsExactly(
            entry("ts", "2026-11-23T10:15:30.123Z"),
            entry("id", "r-42"),
            entry("client", "10.1.2.3"),
            entry("via", null),
            entry("method", "GET"),
            entry("url", "http://download.windowsupdate.com/c/msdownload/update/kb123.cab"),
            entry("host", "download.windowsupdate.com"),
            entry("port", 80L),
            entry("decision", "allow"),
            entry("entry", "*.windowsupdate.com"),
            entry("reason", null),
            entry("would_deny", false),
            entry("status", 200L),
            entry("bytes_to_client", 5_368_709_120L),
            entry("bytes_from_client", 312L),
            entry("duration_ms", 1_250L),
            entry("content_type", "application/vnd.ms-cab-compressed"),
            entry("object_length", 5_368_709_120L),
            entry("cache", "miss"),
            entry("upstream", "203.0.113.7"));
  }

  @Test
  void absentOptionalFieldsAreWrittenAsJsonNull() {
    String json = AuditJson.toJson(AuditRecords.deniedUrl("http://evil.example/"));

    assertThat(json)
        .contains("\"host\":null,\"port\":null,")
        .contains("\"entry\":null,\"reason\":\"host not allowed\",")
        .endsWith("\"upstream\":null}");
  }

  @Test
  void timestampAlwaysHasThreeFractionDigitsInUtc() {
    assertThat(tsOf(Instant.parse("2026-11-23T10:15:30Z"))).isEqualTo("2026-11-23T10:15:30.000Z");
    assertThat(tsOf(Instant.parse("2026-11-23T10:15:30.5Z"))).isEqualTo("2026-11-23T10:15:30.500Z");
    // Truncated, not rounded: a request that arrived at .999999 did not arrive in the next second.
    assertThat(tsOf(Instant.parse("2026-11-23T23:59:59.999999999Z")))
        .isEqualTo("2026-11-23T23:59:59.999Z");
  }

  @Test
  void missingMethodUrlAndClientOfAMalformedRequestAreWrittenAsEmptyStrings() {
    AuditRecord record =
        new AuditRecord(
            AuditRecords.ARRIVED,
            "r-1",
            null,
            null,
            null,
            null,
            null,
            null,
            AuditDecision.ERROR,
            null,
            "malformed request",
            false,
            400,
            90,
            17,
            0,
            null,
            null,
            CacheOutcome.NONE,
            null,
            null,
            null);

    Map<String, Object> fields = AuditJsonReader.readObject(AuditJson.toJson(record));

    assertThat(fields)
        .contains(entry("client", ""), entry("method", ""), entry("url", ""))
        .contains(entry("decision", "error"), entry("cache", "none"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("injectionAttempts")
  void noUrlCanForgeALineOrAField(String url) {
    String json = AuditJson.toJson(AuditRecords.deniedUrl(url));

    assertThat(json.chars())
        .as("no control character, DEL, C1, line or paragraph separator survives")
        .noneMatch(c -> c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029);
    assertThat(isWellFormedUtf16(json)).as("no lone surrogate, so UTF-8 is lossless").isTrue();
    String onDisk = new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    Map<String, Object> fields = AuditJsonReader.readObject(onDisk);
    assertThat(fields.keySet()).containsExactlyElementsOf(AuditFields.IN_ORDER);
    assertThat(fields.get(AuditFields.URL)).isEqualTo(url);
    assertThat(fields.get(AuditFields.DECISION)).isEqualTo("deny");
  }

  static Stream<Arguments> injectionAttempts() {
    return Stream.of(
        // A newline ends the record early and starts a forged one on the next line.
        threat("LF then a fake record", "http://a.example/\n{\"decision\":\"allow\"}"),
        threat("CRLF then a fake record", "http://a.example/\r\n{\"id\":\"x\"}"),
        // Closing the string and the object, then a whole allowed record on the same line.
        threat(
            "quote-brace then a fake record",
            "http://a.example/\"}{\"ts\":\"2026-11-23T00:00:00.000Z\",\"decision\":\"allow\"}"),
        // Closing the string, then a second decision field that a last-wins parser would keep.
        threat("quote then a forged field", "http://a.example/\",\"decision\":\"allow"),
        // A trailing backslash escapes our closing quote if backslashes pass unescaped.
        threat("trailing backslash", "http://a.example/\\"),
        // Line breaks to JavaScript and to several log viewers.
        threat("U+2028 line separator", "http://a.example/\u2028{\"x\":1}"),
        threat("U+2029 paragraph separator", "http://a.example/\u2029{\"x\":1}"),
        // Terminal escape: recolours, hides or rewrites what an operator sees in `tail -f`.
        threat("ANSI CSI via ESC [", "http://a.example/\u001b[2K\u001b[1A\u001b[32mallow"),
        threat("ANSI CSI via C1 U+009B", "http://a.example/\u009b2K"),
        // Truncates the line in tools written in C.
        threat("NUL byte", "http://a.example/\u0000.cab"),
        threat("DEL", "http://a.example/\u007f"),
        threat("every other C0 control", allC0Controls()),
        // Invalid UTF-16 has no UTF-8 encoding: it would be written as '?' and lose evidence.
        threat("lone high surrogate", "http://a.example/\ud800"),
        threat("lone low surrogate", "http://a.example/\udc00x"),
        threat("reversed surrogate pair", "http://a.example/\udc00\ud800"),
        // Shows the text in another order than it was logged (Trojan Source).
        threat("bidi override", "http://a.example/\u202egpj.exe"),
        threat("bidi isolate", "http://a.example/\u2066x\u2069"),
        // Legitimate non-ASCII must pass through unchanged, pairs included.
        threat("Japanese path and an emoji", "http://a.example/病院/更新\ud83d\udc89"));
  }

  private static Arguments threat(String name, String url) {
    return Arguments.of(Named.of(name, url));
  }

  private static String allC0Controls() {
    StringBuilder s = new StringBuilder("http://a.example/");
    for (char c = 0; c < 0x20; c++) {
      s.append(c);
    }
    return s.toString();
  }

  private static boolean isWellFormedUtf16(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < s.length()
          && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return false;
      }
    }
    return true;
  }

  private static Object tsOf(Instant ts) {
    return AuditJsonReader.readObject(AuditJson.toJson(AuditRecords.withTs("r-1", ts)))
        .get(AuditFields.TS);
  }
}
