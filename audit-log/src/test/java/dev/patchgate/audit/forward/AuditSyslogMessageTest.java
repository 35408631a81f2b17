package dev.patchgate.audit.forward;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The frame of one forwarded audit line: octet count in bytes, RFC 5424 header, the line as is. */
class AuditSyslogMessageTest {
  private static final Instant NOW = Instant.parse("2026-11-23T11:00:00.500Z");

  @Test
  void aLineIsFramedByItsLengthInBytesAndCarriedByteForByte() throws Exception {
    // Non-ASCII in a URL, as the writer keeps it: UTF-8, two bytes for the ü.
    byte[] line =
        "{\"ts\":\"2026-11-23T10:15:30.123Z\",\"url\":\"http://x.example/m\u00fcnchen.cab\",\"seq\":7,\"hash\":\"ab\"}"
            .getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    AuditSyslogMessage.write(out, 20, "gw-site1", line, NOW);

    byte[] frame = out.toByteArray();
    String header = "<166>1 2026-11-23T10:15:30.123Z gw-site1 patchgate - audit - ";
    int length = header.length() + line.length;
    byte[] prefix = (length + " " + header).getBytes(StandardCharsets.US_ASCII);
    assertThat(Arrays.copyOfRange(frame, 0, prefix.length)).isEqualTo(prefix);
    assertThat(Arrays.copyOfRange(frame, prefix.length, frame.length)).isEqualTo(line);
  }

  @Test
  void aLineWithoutALeadingTsIsStampedWithTheTimeOfSending() throws Exception {
    byte[] torn = "{\"url\":\"http://x.exa".getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    AuditSyslogMessage.write(out, 16, "gw", torn, NOW);

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "75 <134>1 2026-11-23T11:00:00.500Z gw patchgate - audit - {\"url\":\"http://x.exa");
  }
}
