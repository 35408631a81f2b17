package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.Decision;
import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.proxy.tunnel.SniGate;
import org.junit.jupiter.api.Test;

/**
 * The alert rules and the anomaly report recognise refusals by their reason phrases, which the
 * allowlist and the SNI check own: if one of them is reworded, these fail before an alert silently
 * stops being raised.
 */
class AlertPhrasesTest {
  @Test
  void theUnregisteredClientAlertKnowsTheAllowlistsPhrase() {
    assertThat(AlertRules.UNREGISTERED_CLIENT).isEqualTo(Decision.UNREGISTERED_CLIENT);
  }

  @Test
  void theAnomalyReportKnowsTheAllowlistsScheduleRefusal() {
    assertThat(AlertRules.OUTSIDE_SCHEDULE).isEqualTo(Decision.OUTSIDE_SCHEDULE);
  }

  @Test
  void everySniRefusalStartsWithThePrefixTheAlertRulesLookFor() {
    assertThat(new String[] {SniGate.MISMATCH, SniGate.MISSING, SniGate.NOT_TLS, SniGate.MALFORMED})
        .allMatch(reason -> reason.startsWith(AlertRules.SNI_REASON_PREFIX));
  }

  @Test
  void theEchRefusalStartsWithThePrefixTheAlertRulesLookFor() {
    assertThat(SniGate.ECH).startsWith(AlertRules.ECH_REASON_PREFIX);
  }
}
