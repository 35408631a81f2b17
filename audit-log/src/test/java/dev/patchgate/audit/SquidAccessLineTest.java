package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SquidAccessLineTest {
  /**
   * What common Squid log parsers match the native format with (Splunk's and Graylog's Squid
   * extractors use this shape): time, elapsed, client, code/status, bytes, method, URL, user,
   * hierarchy/peer, type.
   */
  static final Pattern SQUID_NATIVE =
      Pattern.compile(
          "^(\\d+\\.\\d{3})\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)/(\\d{3})\\s+(\\d+)\\s+(\\S+)\\s+(\\S+)"
              + "\\s+(\\S+)\\s+(\\S+)/(\\S+)\\s+(\\S+)$");

  @Test
  void anAllowedDownloadIsOneLineOfSquidsNativeFormat() {
    String line = SquidAccessLine.format(AuditRecords.allowedDownload("r-1"));

    // Ended at 10:15:30.123 + 1.250 s; the elapsed time right-aligned in six columns.
    assertThat(line)
        .isEqualTo(
            "1795428931.373   1250 10.1.2.3 TCP_MISS/200 5368709120 GET"
                + " http://download.windowsupdate.com/c/msdownload/update/kb123.cab -"
                + " HIER_DIRECT/203.0.113.7 application/vnd.ms-cab-compressed");
  }

  @Test
  void aDenialHasNoUpstreamAndSquidsDeniedCode() {
    String line = SquidAccessLine.format(AuditRecords.deniedUrl("http://evil.example/"));

    assertThat(line)
        .isEqualTo(
            "1795428930.126      3 10.1.2.3 TCP_DENIED/403 512 GET http://evil.example/ -"
                + " HIER_NONE/- text/plain");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("resultCodes")
  void resultCodesFollowSquid5(AuditRecord record, String code) {
    assertThat(SquidAccessLine.resultCode(record)).isEqualTo(code);
  }

  static Stream<Arguments> resultCodes() {
    return Stream.of(
        code(
            "allowed, fetched upstream", AuditDecision.ALLOW, "GET", CacheOutcome.MISS, "TCP_MISS"),
        code(
            "allowed, passed through", AuditDecision.ALLOW, "GET", CacheOutcome.BYPASS, "TCP_MISS"),
        code(
            "allowed, mirror not involved",
            AuditDecision.ALLOW,
            "HEAD",
            CacheOutcome.NONE,
            "TCP_MISS"),
        code("served from the mirror", AuditDecision.ALLOW, "GET", CacheOutcome.HIT, "TCP_HIT"),
        code(
            "mirror copy due for revalidation",
            AuditDecision.ALLOW,
            "GET",
            CacheOutcome.STALE,
            "TCP_REFRESH_FAIL_OLD"),
        code("tunnel opened", AuditDecision.ALLOW, "CONNECT", CacheOutcome.NONE, "TCP_TUNNEL"),
        code("denied", AuditDecision.DENY, "GET", CacheOutcome.NONE, "TCP_DENIED"),
        code("denied tunnel", AuditDecision.DENY, "CONNECT", CacheOutcome.NONE, "TCP_DENIED"),
        // Squid 5 logs a request it could not carry out (malformed) as NONE_NONE/400.
        code("malformed request", AuditDecision.ERROR, "GET", CacheOutcome.NONE, "NONE_NONE"));
  }

  @Test
  void aTunnelLogsHostAndPortAsItsUrl() {
    AuditRecord tunnel =
        record(AuditDecision.ALLOW, "CONNECT", "update.example:443", CacheOutcome.NONE, 200);

    assertThat(SquidAccessLine.format(tunnel))
        .contains(" TCP_TUNNEL/200 ")
        .contains(" CONNECT update.example:443 - HIER_DIRECT/203.0.113.7 -");
  }

  @Test
  void noStatusIsWrittenAsThreeZerosAndMissingValuesAsDashes() {
    AuditRecord record =
        new AuditRecord(
            Instant.parse("2026-11-23T10:15:30Z"),
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
            0,
            0,
            0,
            0,
            null,
            null,
            CacheOutcome.NONE,
            null,
            null,
            null);

    assertThat(SquidAccessLine.format(record))
        .isEqualTo("1795428930.000      0 - NONE_NONE/000 0 - - - HIER_NONE/- -");
  }

  @Test
  void aSummaryRecordIsOneDeniedLineAtItsLastTimeNamingItsCountAndHosts() {
    AuditRecord record =
        AuditRecords.rateLimitSummary(
            "r-1",
            Instant.parse("2026-11-23T10:15:30Z"),
            new AuditSummary(
                500,
                Instant.parse("2026-11-23T10:15:31.250Z"),
                java.util.List.of("a.example", "b.example"),
                3));

    assertThat(SquidAccessLine.format(record))
        .isEqualTo(
            "1795428931.250      0 10.1.2.3 TCP_DENIED/429 0 -"
                + " patchgate-summary:count=500;hosts=a.example,b.example,+3 - HIER_NONE/- -");
  }

  @Test
  void negativeNumbersWhichTheRecordToleratesStillGiveTenFields() {
    AuditRecord record =
        new AuditRecord(
            Instant.parse("2026-11-23T10:15:30Z"),
            "r-1",
            "10.1.2.3",
            null,
            "GET",
            "http://a.example/",
            "a.example",
            80,
            AuditDecision.ALLOW,
            "a.example",
            null,
            false,
            -1,
            -5,
            0,
            -20,
            null,
            null,
            CacheOutcome.MISS,
            null,
            null,
            null);

    String line = SquidAccessLine.format(record);

    assertThat(line)
        .isEqualTo(
            "1795428930.000      0 10.1.2.3 TCP_MISS/000 0 GET http://a.example/ - HIER_NONE/- -");
    assertThat(SQUID_NATIVE.matcher(line).matches()).isTrue();
  }

  @Test
  void theMediaTypeIsCutAtItsParametersAsSquidKeepsIt() {
    assertThat(fieldsOf(withContentType("text/html; charset=utf-8"))[9]).isEqualTo("text/html");
    assertThat(fieldsOf(withContentType("text/html;charset=utf-8"))[9]).isEqualTo("text/html");
    assertThat(fieldsOf(withContentType(" text/html"))[9]).isEqualTo("-");
    assertThat(fieldsOf(withContentType("text/\"x\"\n"))[9]).isEqualTo("text/%22x%22%0A");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("hostileUrls")
  void noUrlCanAddAFieldOrALine(String url) {
    String line =
        SquidAccessLine.format(record(AuditDecision.DENY, "GET", url, CacheOutcome.NONE, 403));

    assertThat(line.chars()).as("printable ASCII only").allMatch(c -> c >= 0x20 && c < 0x7f);
    assertThat(line.split(" +")).as("ten space-separated fields").hasSize(10);
    Matcher m = SQUID_NATIVE.matcher(line);
    assertThat(m.matches()).isTrue();
    assertThat(m.group(4)).isEqualTo("TCP_DENIED");
    assertThat(m.group(5)).isEqualTo("403");
    assertThat(m.group(7)).isEqualTo("GET");
    assertThat(m.group(9)).isEqualTo("-");
    assertThat(m.group(10)).isEqualTo("HIER_NONE");
    assertThat(percentDecode(m.group(8))).as("nothing lost").isEqualTo(url);
  }

  static Stream<Arguments> hostileUrls() {
    return Stream.of(
        // A space would shift every field after the URL.
        hostile("spaces", "http://a.example/a b c"),
        hostile("a tab", "http://a.example/a\tb"),
        // A newline would start a forged entry on the next line.
        hostile(
            "LF then a fake entry",
            "http://a.example/\n1795428930.000 1 10.9.9.9 TCP_MISS/200 1 GET http://x/ - HIER_NONE/- -"),
        hostile("CR", "http://a.example/\r"),
        hostile("quotes", "http://a.example/\"quoted\"'single'"),
        hostile("brackets and backslash", "http://a.example/[x]{y}\\z|^~`<>#frag"),
        hostile("NUL, DEL and ESC", "http://a.example/\u0000\u007f\u001b[2K"),
        hostile("C1 control", "http://a.example/\u009b2K"),
        hostile("line separator", "http://a.example/\u2028x"),
        hostile("Japanese path", "http://a.example/病院/更新.cab"),
        hostile("emoji", "http://a.example/\ud83d\udc89"));
  }

  @Test
  void percentSignsAreKeptAsSquidDoesSoAnEscapedUrlIsNotEscapedTwice() {
    assertThat(
            fieldsOf(record(AuditDecision.DENY, "GET", "http://a/%41%20", CacheOutcome.NONE, 403))[
                6])
        .isEqualTo("http://a/%41%20");
  }

  @Test
  void aHostileMethodOrMissingClientCannotShiftFields() {
    AuditRecord record =
        new AuditRecord(
            Instant.parse("2026-11-23T10:15:30Z"),
            "r-1",
            "",
            null,
            "GET http://x/ HTTP/1.1\r\n",
            "http://a.example/",
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
            "text/plain",
            null,
            CacheOutcome.NONE,
            null,
            null,
            null);

    String line = SquidAccessLine.format(record);

    assertThat(SQUID_NATIVE.matcher(line).matches()).isTrue();
    String[] fields = line.split(" +");
    assertThat(fields).hasSize(10);
    assertThat(fields[2]).isEqualTo("-");
    assertThat(fields[5]).isEqualTo("GET%20http://x/%20HTTP/1.1%0D%0A");
  }

  private static String[] fieldsOf(AuditRecord record) {
    return SquidAccessLine.format(record).trim().split(" +");
  }

  private static AuditRecord withContentType(String contentType) {
    return new AuditRecord(
        Instant.parse("2026-11-23T10:15:30Z"),
        "r-1",
        "10.1.2.3",
        null,
        "GET",
        "http://a.example/",
        "a.example",
        80,
        AuditDecision.ALLOW,
        "a.example",
        null,
        false,
        200,
        10,
        10,
        1,
        contentType,
        null,
        CacheOutcome.MISS,
        "203.0.113.7",
        null,
        null);
  }

  private static AuditRecord record(
      AuditDecision decision, String method, String url, CacheOutcome cache, int status) {
    return new AuditRecord(
        Instant.parse("2026-11-23T10:15:30Z"),
        "r-1",
        "10.1.2.3",
        null,
        method,
        url,
        "a.example",
        443,
        decision,
        null,
        null,
        false,
        status,
        100,
        50,
        7,
        null,
        null,
        cache,
        decision == AuditDecision.ALLOW ? "203.0.113.7" : null,
        null,
        null);
  }

  private static Arguments code(
      String name, AuditDecision decision, String method, CacheOutcome cache, String code) {
    return Arguments.of(
        Named.of(name, record(decision, method, "http://a.example/", cache, 200)), code);
  }

  private static Arguments hostile(String name, String url) {
    return Arguments.of(Named.of(name, url));
  }

  private static String percentDecode(String s) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == '%' && i + 2 < bytes.length && isHex(bytes[i + 1]) && isHex(bytes[i + 2])) {
        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
        i += 2;
      } else {
        out.write(bytes[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static boolean isHex(byte b) {
    return (b >= '0' && b <= '9') || (b >= 'A' && b <= 'F');
  }
}
