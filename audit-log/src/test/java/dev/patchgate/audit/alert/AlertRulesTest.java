package dev.patchgate.audit.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.query.TestRecords;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AlertRulesTest {

  @ParameterizedTest(name = "{0} / {1} -> {2}")
  @CsvSource(
      nullValues = "none",
      delimiter = '|',
      value = {
        "DENY  | host not in allowlist                                        | DENIED",
        "DENY  | port not allowed for this host                               | DENIED",
        "DENY  | unregistered client                                          | UNREGISTERED_CLIENT",
        "DENY  | TLS SNI differs from the CONNECT host                        | SNI_MISMATCH",
        "DENY  | TLS SNI missing for a named host                             | SNI_MISMATCH",
        "DENY  | TLS SNI check: the tunnel did not start with a TLS ClientHello | SNI_MISMATCH",
        "ERROR | TLS SNI check: malformed TLS ClientHello                     | SNI_MISMATCH",
        "DENY  | TLS ECH cannot be checked                                    | SNI_MISMATCH",
        "DENY  | connection limit (256 per client)                            | CONNECTION_LIMIT",
        "DENY  | connection limit (gateway full)                              | CONNECTION_LIMIT",
        "ERROR | upstream connection failed                                   | none",
        "ERROR | malformed request target                                     | none",
        "ALLOW | none                                                         | none",
        "ALLOW | host not in allowlist                                        | none"
      })
  void eachOutcomeRaisesItsAlert(AuditDecision decision, String reason, AlertKind expected) {
    TestRecords record = TestRecords.denied("evil.example").decision(decision).reason(reason);
    if (decision == AuditDecision.ALLOW) {
      // An entry in report mode: allowed, with the reason it would have been denied.
      record.entry("windows-update").wouldDeny(reason != null);
    }

    assertThat(AlertRules.classify(record.build()).orElse(null)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "none",
      value = {
        "DENY  | wrong user name or password                                  | none",
        "DENY  | too many failed sign-ins for this user name (5 in 15 minutes) | CONSOLE_SIGN_IN",
        "ALLOW | signed in                                                    | none"
      })
  void theConsoleAlertsOnlyOnceSignInsAreThrottled(
      AuditDecision decision, String reason, AlertKind expected) {
    TestRecords record =
        TestRecords.denied("127.0.0.1")
            .method(AlertRules.CONSOLE_METHOD)
            .decision(decision)
            .reason(reason);

    assertThat(AlertRules.classify(record.build()).orElse(null)).isEqualTo(expected);
  }
}
