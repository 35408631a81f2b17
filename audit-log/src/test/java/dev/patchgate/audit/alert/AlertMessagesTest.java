package dev.patchgate.audit.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditJsonReader;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertMessagesTest {
  private static final Instant AT = Instant.parse("2026-11-23T10:15:30.123Z");
  private static final Alert DENIED =
      new Alert(
          AlertKind.DENIED,
          "10.10.1.5",
          "evil.example",
          "host not in allowlist",
          AT,
          1,
          false,
          Duration.ofMinutes(10));

  @Test
  void syslogMessageIsRfc5424WithStructuredData() {
    assertThat(SyslogMessage.format(DENIED, 20, "gw1"))
        .isEqualTo(
            "<164>1 2026-11-23T10:15:30.123Z gw1 patchgate - ALERT [patchgate@32473"
                + " client=\"10.10.1.5\" host=\"evil.example\" kind=\"denied\" count=\"1\""
                + " summary=\"false\"] patchgate: denied request from 10.10.1.5 to evil.example"
                + " (host not in allowlist)");
  }

  @Test
  void syslogStructuredDataEscapesQuoteBackslashAndBracketAndShowsControlCharacters() {
    Alert hostile =
        new Alert(
            AlertKind.SNI_MISMATCH,
            "10.10.1.5",
            "a\"b\\c]d\ne",
            "x",
            AT,
            1,
            false,
            Duration.ofMinutes(10));

    String message = SyslogMessage.format(hostile, 16, "gw1");

    assertThat(message)
        .startsWith("<132>1 ")
        .contains(" host=\"a\\\"b\\\\c\\]d\\\\u000ae\" kind=\"sni_mismatch\"")
        .doesNotContain("\n");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {"gw1.hospital.local | gw1.hospital.local", "'gw 1' | gw1", "'' | -", "日本 | -"})
  void syslogHostnameIsPrintableAsciiOrNil(String name, String field) {
    assertThat(SyslogMessage.hostname(name)).isEqualTo(field);
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"local4, 20", "LOCAL0, 16", "daemon, 3", "auth, 4", "23, 23"})
  void facilityNamesAreTheSyslogConfNames(String name, int code) {
    assertThat(SyslogSettings.facilityCode(name)).isEqualTo(code);
  }

  @Test
  void webhookBodyIsFlatJsonWithATextFieldForSlackAndTeams() {
    Alert summary =
        new Alert(
            AlertKind.UNREGISTERED_CLIENT,
            "10.20.0.9",
            "<b>\"x\"</b>\u2028",
            "unregistered client",
            AT,
            9,
            true,
            Duration.ofMinutes(10));

    Map<String, Object> json = AuditJsonReader.readObject(WebhookMessage.json(summary));

    assertThat(json)
        .containsEntry(
            "text",
            "patchgate: 9 more requests from an unregistered client from 10.20.0.9 to"
                + " <b>\"x\"</b>\u2028 in the last 10 minutes (unregistered client)")
        .containsEntry("kind", "unregistered_client")
        .containsEntry("client", "10.20.0.9")
        .containsEntry("host", "<b>\"x\"</b>\u2028")
        .containsEntry("count", 9L)
        .containsEntry("summary", true)
        .containsEntry("at", "2026-11-23T10:15:30.123Z")
        .containsEntry("window_seconds", 600L);
    assertThat(WebhookMessage.json(summary)).doesNotContain("\u2028");
  }

  @Test
  void logLineIsOneLineWithTheFields() {
    RecordingLogger logger = new RecordingLogger();

    new LogChannel(logger).send(DENIED);

    assertThat(logger.lines)
        .containsExactly(
            "WARN alert kind=denied client=10.10.1.5 host=evil.example count=1 summary=false:"
                + " patchgate: denied request from 10.10.1.5 to evil.example (host not in"
                + " allowlist)");
  }
}
