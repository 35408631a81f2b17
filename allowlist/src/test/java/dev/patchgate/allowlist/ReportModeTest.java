package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.Requests.allowlist;
import static dev.patchgate.allowlist.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code mode = report}: watch a restriction in the audit log before enforcing it. */
class ReportModeTest {
  private static final String HIS_PC = "10.10.1.5";
  private static final String EMR = "10.20.0.10";
  private static final String STRANGER = "10.9.9.9";

  /** Wed 12:00 Tokyo. */
  private static final Instant OFFICE = Instant.parse("2024-01-10T03:00:00Z");

  /** Mon 23:00 Tokyo. */
  private static final Instant NIGHT = Instant.parse("2024-01-08T14:00:00Z");

  private static final Allowlist ALLOWLIST =
      allowlist(
          Requests.lines(
              "time-zone = \"Asia/Tokyo\"",
              "clients { his-pcs = [\"10.10.0.0/16\"], emr-servers = [\"10.20.0.0/24\"] }",
              "entries {",
              "  strict { hosts = [\"a.example.com\"], ports = [8080] }",
              "  trial  { hosts = [\"*.example.com\"], mode = report, clients = [his-pcs],"
                  + " schedule = [\"Mon-Fri 22:00-06:00\"] }",
              "  open   { hosts = [\"b.example.com\"] }",
              "  trial-port   { hosts = [\"d.example.net\"], mode = report, ports = [8080] }",
              "  trial-method { hosts = [\"d.example.net\"], mode = report, schemes = [http],"
                  + " methods = [HEAD] }",
              "  enforced     { hosts = [\"d.example.net\"], mode = enforce, clients = [emr-servers] }",
              "}"));

  static Stream<Arguments> decisions() {
    return Stream.of(
        // an enforce entry that permits wins, whatever the report entries say
        arguments(HIS_PC, "http://a.example.com:8080/", OFFICE, "ALLOW strict"),
        // the enforce entry refuses the port; the report entry would refuse the hour: let through
        arguments(
            HIS_PC,
            "http://a.example.com/",
            OFFICE,
            "ALLOW trial (would deny: outside the allowed schedule)"),
        // a report entry whose rules all pass allows like any entry, with nothing to report
        arguments(HIS_PC, "http://a.example.com/", NIGHT, "ALLOW trial"),
        // a later enforce entry that permits wins over an earlier report entry that would deny
        arguments(HIS_PC, "http://b.example.com/", OFFICE, "ALLOW open"),
        // a client outside the report entry's groups is let through and reported
        arguments(
            EMR,
            "http://c.example.com/",
            NIGHT,
            "ALLOW trial (would deny: client not allowed for this host)"),
        // an unregistered client is covered like any failed check
        arguments(
            STRANGER,
            "http://c.example.com/",
            NIGHT,
            "ALLOW trial (would deny: unregistered client)"),
        // the same for a host an enforce entry names too
        arguments(
            STRANGER,
            "http://b.example.com/",
            NIGHT,
            "ALLOW trial (would deny: unregistered client)"),
        // a host no report entry covers is denied as usual
        arguments(STRANGER, "http://example.org/", NIGHT, "DENY unregistered client"),
        arguments(HIS_PC, "http://example.org/", NIGHT, "DENY host not in allowlist"),
        // of two report entries, the one that got further names the reason (method after port)
        arguments(
            HIS_PC,
            "http://d.example.net/",
            OFFICE,
            "ALLOW trial-method (would deny: method not allowed for this host)"),
        // the enforce entry for the same host permits its own clients
        arguments(EMR, "http://d.example.net/", OFFICE, "ALLOW enforced"));
  }

  @ParameterizedTest(name = "[{index}] {0} GET {1} at {2} -> {3}")
  @MethodSource("decisions")
  void reportEntryLetsThroughWhatItWouldDenyAndSaysWhy(
      String client, String target, Instant at, String expected) {
    AccessRequest request = request(client, "GET", target, at);

    Decision decision = ALLOWLIST.decide(request);

    assertThat(decision).hasToString(expected);
    assertThat(decision.wouldDeny()).isEqualTo(expected.contains("would deny"));
    assertThat(ScanningPolicy.decide(ALLOWLIST, request)).isEqualTo(expected);
  }
}
