package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.Requests.allowlist;
import static dev.patchgate.allowlist.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What an administrator reads when a PC reports a failed update: the entry that allowed the
 * request, or the entry that came closest and what differed.
 */
class ExplainTest {
  private static final Allowlist ALLOWLIST = AllowlistRulesTest.ALLOWLIST;
  private static final String PC = "10.10.1.5";
  private static final String WU = "http://download.windowsupdate.com/c/msdownload/x.cab";

  /** Wed 12:00 Tokyo. */
  private static final Instant WED_1200 = Instant.parse("2024-01-10T03:00:00Z");

  /** Sat 14:00 Tokyo. */
  private static final Instant SAT_1400 = Instant.parse("2024-01-13T05:00:00Z");

  private static final String PC_LINE = "client 10.10.1.5 is in group his-pcs";

  private static List<String> explain(String client, String method, String target, Instant at) {
    Explanation explanation = ALLOWLIST.explain(request(client, method, target, at));
    assertThat(explanation.decision())
        .hasToString(ALLOWLIST.decide(request(client, method, target, at)).toString());
    assertThat(explanation).hasToString(String.join("\n", explanation.lines()));
    return explanation.lines();
  }

  @Test
  void allowedRequestNamesTheEntryAndTheAddressCheckStillToCome() {
    assertThat(explain(PC, "GET", WU, SAT_1400))
        .containsExactly(
            "request: GET " + WU + " from 10.10.1.5 at Sat 2024-01-13 14:00:00 Asia/Tokyo",
            PC_LINE,
            "allowed by entry 'windows-update' (test.conf:8)",
            "the gateway then resolves download.windowsupdate.com and dials it only at a public"
                + " address; loopback, private, link-local and other special addresses are"
                + " refused");
  }

  @Test
  void updateOutsideItsWindowSaysWhenItWasAndWhatTheWindowsAre() {
    assertThat(explain(PC, "GET", WU, WED_1200))
        .containsExactly(
            "request: GET " + WU + " from 10.10.1.5 at Wed 2024-01-10 12:00:00 Asia/Tokyo",
            PC_LINE,
            "denied: outside the allowed schedule",
            "closest entry 'windows-update' (test.conf:8): Wed 12:00 Asia/Tokyo is outside"
                + " Mon-Fri 22:00-06:00, Sat,Sun 00:00-24:00");
  }

  @Test
  void wrongPortNamesThePortsTheEntryHasForThatHost() {
    assertThat(
            explain(
                PC, "GET", "http://download.windowsupdate.com:8080/c/msdownload/x.cab", SAT_1400))
        .endsWith(
            "denied: port not allowed for this host",
            "closest entry 'windows-update' (test.conf:8): port 8080 is not in [80]");
  }

  @Test
  void clientOutsideTheEntrysGroupsNamesThem() {
    assertThat(explain("10.20.0.10", "GET", WU, SAT_1400))
        .containsSubsequence(
            "client 10.20.0.10 is in group emr-servers",
            "denied: client not allowed for this host",
            "closest entry 'windows-update' (test.conf:8): client 10.20.0.10 is in no group of"
                + " [his-pcs]");
  }

  @Test
  void unregisteredClientIsToldToJoinAGroup() {
    assertThat(explain("10.9.1.1", "GET", WU, SAT_1400))
        .endsWith(
            "client 10.9.1.1 is in no client group (groups: his-pcs, emr-servers, devices); add its"
                + " address to one under clients { } to let it use the gateway",
            "denied: unregistered client");
  }

  @Test
  void hostThatAWildcardDoesNotCoverPointsAtTheWildcard() {
    assertThat(explain(PC, "GET", "http://windowsupdate.com/c/msdownload/x.cab", SAT_1400))
        .endsWith(
            "denied: host not in allowlist",
            "no entry names host 'windowsupdate.com'",
            "entry 'windows-update' (test.conf:8) lists '*.windowsupdate.com', which covers the"
                + " names below windowsupdate.com but not windowsupdate.com itself; add"
                + " \"windowsupdate.com\" to its hosts if clients need it");
  }

  @Test
  void unlistedHostNamesTheEntryWithTheNearestPattern() {
    assertThat(explain(PC, "GET", "http://cdn.vendor.example/", SAT_1400))
        .endsWith(
            "no entry names host 'cdn.vendor.example'",
            "the nearest entry is 'mirror-a' (test.conf:24), which lists 'mirror.vendor.example'");
  }

  @Test
  void unlistedHostWithNothingNearSaysOnlyThat() {
    assertThat(explain(PC, "GET", "http://example.org/", SAT_1400))
        .endsWith("denied: host not in allowlist", "no entry names host 'example.org'");
  }

  @Test
  void everyEntryNamingTheHostIsListedWithTheClosestFirst() {
    assertThat(explain(PC, "GET", "http://mirror.vendor.example/", SAT_1400))
        .endsWith(
            "denied: port not allowed for this host",
            "closest entry 'mirror-a' (test.conf:24): port 80 is not in [8080]",
            "entry 'mirror-b' (test.conf:25) also names the host: client 10.10.1.5 is in no group"
                + " of [emr-servers]");
  }

  @Test
  void schemeMethodAndPathSayWhatTheEntryAllows() {
    assertThat(explain(PC, "CONNECT", "download.windowsupdate.com:443", SAT_1400))
        .last()
        .isEqualTo(
            "closest entry 'windows-update' (test.conf:8): scheme https (CONNECT) is not allowed"
                + " for this host (allowed: [http])");
    assertThat(explain("10.20.0.10", "HEAD", "http://sig.av-vendor.example/x", SAT_1400))
        .last()
        .isEqualTo("closest entry 'av-signatures' (test.conf:18): method HEAD is not in [GET]");
    assertThat(explain(PC, "GET", "http://download.windowsupdate.com/x/y.cab?v=1", SAT_1400))
        .last()
        .isEqualTo(
            "closest entry 'windows-update' (test.conf:8): path /x/y.cab does not start with any"
                + " of [/c/msdownload/, /d/msdownload]");
    assertThat(explain("10.20.0.10", "GET", "http://www.microsoft.com/en-us/", SAT_1400))
        .last()
        .isEqualTo(
            "closest entry 'pki' (test.conf:26): path /en-us/ does not start with any of"
                + " [/pkiops/, /pki/certs], the only paths the entry's profile allows on this host");
  }

  @Test
  void reportModeSaysTheRequestPassedAndWhyEnforcingWouldDenyIt() {
    Allowlist trial =
        allowlist(
            Requests.lines(
                "entries {",
                "  trial { hosts = [\"a.example.com\"], mode = report,"
                    + " schedule = [\"Mon-Fri 22:00-06:00\"], addresses = [\"10.20.0.0/24\"] }",
                "}"));

    assertThat(trial.explain(request(PC, "GET", "http://a.example.com/", SAT_1400)).lines())
        .containsExactly(
            "request: GET http://a.example.com/ from 10.10.1.5 at Sat 2024-01-13 14:00:00"
                + " Asia/Tokyo",
            "client 10.10.1.5: the allowlist has no client groups, so every client may use every"
                + " entry",
            "allowed by entry 'trial' (test.conf:2), which is in report mode: enforced, it would"
                + " deny the request (outside the allowed schedule): Sat 14:00 Asia/Tokyo is"
                + " outside Mon-Fri 22:00-06:00",
            "the gateway then resolves a.example.com and dials it only at a public address or one"
                + " in [10.20.0.0/24]; loopback, private, link-local and other special addresses"
                + " are refused");
  }

  @Test
  void noRequestIsExplainedAsSuch() {
    Explanation explanation = ALLOWLIST.explain(null);

    assertThat(explanation.decision()).hasToString("DENY no request");
    assertThat(explanation.lines()).containsExactly("no request to explain");
  }
}
