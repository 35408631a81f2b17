package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.Requests.address;
import static dev.patchgate.allowlist.Requests.allowlist;
import static dev.patchgate.allowlist.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class DecisionTest {
  private static final Allowlist ALLOWLIST =
      allowlist(
          Requests.lines(
              "entries {",
              "  plain { hosts = [\"a.example.com\"] }",
              "  trial { hosts = [\"b.example.com\"], mode = report, schedule = [\"Sun 01:00-02:00\"] }",
              "}"));

  private static final Entry PLAIN = ALLOWLIST.entries().get(0);

  @Test
  void allowNamesItsEntryAndHasNoReason() {
    Decision decision = ALLOWLIST.decide(request("GET", "http://a.example.com/"));

    assertThat(decision.verdict()).isEqualTo(Verdict.ALLOW);
    assertThat(decision.allowed()).isTrue();
    assertThat(decision.entry()).isEqualTo("plain");
    assertThat(decision.reason()).isNull();
    assertThat(decision.wouldDeny()).isFalse();
    assertThat(decision).hasToString("ALLOW plain");
  }

  @Test
  void denyHasAReasonAndNamesNoEntry() {
    Decision decision = ALLOWLIST.decide(request("GET", "http://c.example.com/"));

    assertThat(decision.verdict()).isEqualTo(Verdict.DENY);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.entry()).isNull();
    assertThat(decision.reason()).isEqualTo(Decision.HOST_NOT_ALLOWED);
    assertThat(decision.wouldDeny()).isFalse();
    assertThat(decision).hasToString("DENY host not in allowlist");
  }

  @Test
  void reportModeAllowCarriesTheReasonItWouldDenyWith() {
    Decision decision = ALLOWLIST.decide(request("GET", "http://b.example.com/"));

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.entry()).isEqualTo("trial");
    assertThat(decision.wouldDeny()).isTrue();
    assertThat(decision.reason()).isEqualTo(Decision.OUTSIDE_SCHEDULE);
    assertThat(decision).hasToString("ALLOW trial (would deny: outside the allowed schedule)");
  }

  @Test
  void inconsistentDecisionsCannotBeBuilt() {
    assertThatThrownBy(() -> Decision.allow(null, null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Decision.wouldDeny(PLAIN, null, null))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Decision.deny(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void denialsOfOneReasonShareAnInstanceAndNeverCarryAnAddressOrEntry() {
    Decision first = Decision.deny(Decision.PORT_NOT_ALLOWED);

    assertThat(Decision.deny(Decision.PORT_NOT_ALLOWED)).isSameAs(first);
    assertThat(first.sniCheck()).isTrue();
    assertThat(first.addressRefusal(address("93.184.216.34"))).isEqualTo(Decision.PORT_NOT_ALLOWED);
  }

  @Test
  void upstream_isTheEntrysAndParentUnlessItSaysDirect() {
    Allowlist allowlist =
        allowlist(
            Requests.lines(
                "entries {",
                "  vendor { hosts = [\"a.example.com\"] }",
                "  wsus { hosts = [\"wsus.hospital.example\"], upstream = direct }",
                "  pinned { hosts = [\"c.example.com\"], upstream = parent }",
                "}"));

    assertThat(allowlist.decide(request("GET", "http://a.example.com/")).upstream())
        .isEqualTo(Upstream.PARENT);
    assertThat(allowlist.decide(request("GET", "http://wsus.hospital.example/")).upstream())
        .isEqualTo(Upstream.DIRECT);
    assertThat(allowlist.decide(request("GET", "http://c.example.com/")).upstream())
        .isEqualTo(Upstream.PARENT);
    assertThat(Decision.deny(Decision.HOST_NOT_ALLOWED).upstream()).isEqualTo(Upstream.PARENT);
  }

  @Test
  void allowByNameAllocatesNothing() {
    Decision first = ALLOWLIST.decide(request("GET", "http://a.example.com/"));

    assertThat(ALLOWLIST.decide(request("GET", "http://a.example.com/x"))).isSameAs(first);
  }

  @Test
  void accessRequestNeedsEveryComponent() {
    Target target = new Target(Scheme.HTTPS, "windowsupdate.com", 443, "");
    Instant at = Requests.AT;

    assertThatThrownBy(() -> new AccessRequest(null, "CONNECT", target, at))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AccessRequest(Requests.CLIENT, null, target, at))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AccessRequest(Requests.CLIENT, "CONNECT", null, at))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> new AccessRequest(Requests.CLIENT, "CONNECT", target, null))
        .isInstanceOf(NullPointerException.class);
  }
}
