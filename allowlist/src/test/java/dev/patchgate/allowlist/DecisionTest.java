package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DecisionTest {

  @Test
  void allowNamesItsEntryAndHasNoReason() {
    Decision decision = new Decision(Verdict.ALLOW, "windows-update", null);

    assertThat(decision.allowed()).isTrue();
  }

  @Test
  void denyHasAReasonAndNamesNoEntry() {
    Decision decision = new Decision(Verdict.DENY, null, Decision.HOST_NOT_ALLOWED);

    assertThat(decision.allowed()).isFalse();
  }

  @Test
  void inconsistentDecisionsCannotBeBuilt() {
    assertThatThrownBy(() -> new Decision(Verdict.ALLOW, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Decision(Verdict.ALLOW, "x", Decision.HOST_NOT_ALLOWED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(Verdict.DENY, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new Decision(Verdict.DENY, "x", Decision.PORT_NOT_ALLOWED))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Decision(null, "x", null))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void accessRequestNeedsEveryComponent() {
    Target target = new Target(Scheme.HTTPS, "windowsupdate.com", 443, "");

    assertThatThrownBy(() -> new AccessRequest(null, "CONNECT", target))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AccessRequest(Requests.CLIENT, null, target))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AccessRequest(Requests.CLIENT, "CONNECT", null))
        .isInstanceOf(NullPointerException.class);
  }
}
