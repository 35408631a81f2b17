package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AllowlistDecideTest {
  private static final String HOST = Decision.HOST_NOT_ALLOWED;
  private static final String PORT = Decision.PORT_NOT_ALLOWED;

  private static final String FILE =
      String.join(
          "\n",
          "entries {",
          "  # Windows Update payloads come over plain HTTP; metadata over CONNECT :443",
          "  windows-update { hosts = [\"*.windowsupdate.com\", \"*.update.microsoft.com\"] }",
          "  av-signatures  { hosts = [\"updates.av-vendor.example\"] }",
          "  lab-origin     { hosts = [\"127.0.0.1\", \"[2001:db8::10]\", \"lab.example.\"],"
              + " ports = [18080, 18443] }",
          "  lab-v6         { hosts = [\"2001:DB8:0:0:0:0:0:11\"] }",
          "  vendor-api     { hosts = [\"*.vendor.example\"], ports = [8080] }",
          "  vendor-web     { hosts = [\"*.Vendor.Example\"] }",
          "}");

  private static final Allowlist ALLOWLIST = parse(FILE);

  static Stream<Arguments> decisions() {
    return Stream.of(
        // wildcard covers one label below its suffix
        arguments("GET", "http://download.windowsupdate.com/x.cab", "windows-update"),
        // wildcard covers any depth
        arguments("GET", "http://au.b1.download.windowsupdate.com/x.cab", "windows-update"),
        // wildcard does not cover its apex
        arguments("GET", "http://windowsupdate.com/x.cab", HOST),
        // suffix confusion: same ending without a label boundary
        arguments("GET", "http://evilwindowsupdate.com/x.cab", HOST),
        // suffix confusion: allowlisted name as a prefix of an attacker's domain
        arguments("GET", "http://windowsupdate.com.evil.example/x.cab", HOST),
        // suffix confusion: allowlisted subdomain as a prefix of an attacker's domain
        arguments("GET", "http://download.windowsupdate.com.evil.example/x.cab", HOST),
        // punycode look-alike of an allowlisted name is a different host
        arguments("GET", "http://download.xn--wndowsupdate-sfb.com/x.cab", HOST),
        // case and trailing dot are normalised before matching
        arguments("GET", "http://DOWNLOAD.WindowsUpdate.com./x.cab", "windows-update"),
        // CONNECT to the default HTTPS port
        arguments("CONNECT", "fe2.update.microsoft.com:443", "windows-update"),
        // CONNECT to another port of an allowed host
        arguments("CONNECT", "fe2.update.microsoft.com:8443", PORT),
        // CONNECT to the HTTP port of an allowed host: a tunnel to :80 is not needed
        arguments("CONNECT", "fe2.update.microsoft.com:80", PORT),
        // plain HTTP to the HTTPS port: not a default for HTTP
        arguments("GET", "http://download.windowsupdate.com:443/x.cab", PORT),
        // explicit default port
        arguments("GET", "http://download.windowsupdate.com:80/x.cab", "windows-update"),
        // exact host
        arguments("GET", "http://updates.av-vendor.example/sig.dat", "av-signatures"),
        // exact host does not cover subdomains
        arguments("GET", "http://x.updates.av-vendor.example/sig.dat", HOST),
        // exact host does not cover its parent
        arguments("GET", "http://av-vendor.example/sig.dat", HOST),
        // exact host over CONNECT
        arguments("CONNECT", "updates.av-vendor.example:443", "av-signatures"),
        // exact host on a port it does not list
        arguments("GET", "http://updates.av-vendor.example:8080/sig.dat", PORT),
        // IPv4 literal on a listed port
        arguments("GET", "http://127.0.0.1:18080/", "lab-origin"),
        // IPv4 literal over CONNECT on a listed port
        arguments("CONNECT", "127.0.0.1:18443", "lab-origin"),
        // explicit ports replace the defaults: 80 is no longer allowed
        arguments("GET", "http://127.0.0.1/", PORT),
        // explicit ports replace the defaults: 443 is no longer allowed
        arguments("CONNECT", "127.0.0.1:443", PORT),
        // IPv4-mapped IPv6 is a different literal: not the listed IPv4 address
        arguments("GET", "http://[::ffff:127.0.0.1]:18080/", HOST),
        // an address that is not listed
        arguments("GET", "http://10.0.0.1/", HOST),
        // IPv6 literal listed with brackets, requested uncompressed
        arguments("GET", "http://[2001:db8:0:0:0:0:0:10]:18080/", "lab-origin"),
        // IPv6 literal listed without brackets and uncompressed, requested compressed
        arguments("CONNECT", "[2001:db8::11]:443", "lab-v6"),
        // exact name listed with a trailing dot
        arguments("GET", "http://lab.example:18080/", "lab-origin"),
        // first entry names the host but not the port; a later entry allows it
        arguments("GET", "http://api.vendor.example/", "vendor-web"),
        // first entry allows the port and wins
        arguments("GET", "http://api.vendor.example:8080/", "vendor-api"),
        // neither entry for the host allows the port
        arguments("CONNECT", "api.vendor.example:8443", PORT));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} -> {2}")
  @MethodSource("decisions")
  void decide_matchesHostsAndPorts(String method, String target, String entryOrReason) {
    Decision decision = ALLOWLIST.decide(request(method, target));

    if (entryOrReason.equals(HOST) || entryOrReason.equals(PORT)) {
      assertThat(decision).hasToString("DENY " + entryOrReason);
      assertThat(decision.entry()).isNull();
    } else {
      assertThat(decision).hasToString("ALLOW " + entryOrReason);
      assertThat(decision.reason()).isNull();
    }
    assertThat(decision.allowed()).isEqualTo(decision.verdict() == Verdict.ALLOW);
    assertThat(decision.wouldDeny()).isFalse();
  }

  @ParameterizedTest(name = "[{index}] {0} {1}")
  @MethodSource("decisions")
  void decide_agreesWithScanningEveryEntryInFileOrder(
      String method, String target, String ignored) {
    AccessRequest request = request(method, target);

    Decision decision = ALLOWLIST.decide(request);

    assertThat(decision).hasToString(ScanningPolicy.decide(ALLOWLIST, request));
  }

  @Test
  void decide_firstEntryInFileOrderWinsOverAMoreSpecificLaterOne() {
    // "zeta" before "alpha": file order, not name or hash order, decides.
    Allowlist allowlist =
        parse(
            String.join(
                "\n",
                "entries {",
                "  zeta  { hosts = [\"*.example.com\"] }",
                "  alpha { hosts = [\"a.example.com\"] }",
                "}"));

    assertThat(allowlist.decide(request("GET", "http://a.example.com/")).entry()).isEqualTo("zeta");
    assertThat(allowlist.entryNames()).containsExactly("zeta", "alpha");
  }

  @Test
  void decide_laterExactEntryWinsWhenItComesFirst() {
    Allowlist allowlist =
        parse(
            String.join(
                "\n",
                "entries {",
                "  alpha { hosts = [\"a.example.com\"] }",
                "  zeta  { hosts = [\"*.example.com\"] }",
                "}"));

    assertThat(allowlist.decide(request("GET", "http://a.example.com/")).entry())
        .isEqualTo("alpha");
    assertThat(allowlist.decide(request("GET", "http://b.example.com/")).entry()).isEqualTo("zeta");
  }

  @Test
  void denyAllDeniesEveryHost() {
    Decision decision = Allowlist.denyAll().decide(request("GET", "http://windowsupdate.com/"));

    assertThat(decision).hasToString("DENY " + HOST);
    assertThat(Allowlist.denyAll().size()).isZero();
    assertThat(Allowlist.denyAll().entryNames()).isEmpty();
  }

  @Test
  void emptyOrMissingEntriesYieldAnAllowlistThatDeniesEverything() {
    for (String text : List.of("", "entries {}", "# nothing allowed yet\n")) {
      Allowlist allowlist = parse(text);

      assertThat(allowlist.size()).isZero();
      assertThat(allowlist.decide(request("CONNECT", "windowsupdate.com:443")).reason())
          .isEqualTo(HOST);
    }
  }

  @Test
  void decide_nullRequestIsDeniedWithoutThrowing() {
    assertThat(ALLOWLIST.decide(null)).hasToString("DENY no request");
  }

  @Test
  void sizeAndEntryNamesFollowTheFile() {
    assertThat(ALLOWLIST.size()).isEqualTo(6);
    assertThat(ALLOWLIST.entryNames())
        .containsExactly(
            "windows-update", "av-signatures", "lab-origin", "lab-v6", "vendor-api", "vendor-web");
  }

  @Test
  void decide_withAHundredThousandEntriesStillFindsEachKind() {
    StringBuilder file = new StringBuilder("entries {\n");
    for (int i = 0; i < 100_000; i++) {
      String host = i % 2 == 0 ? "host" + i + ".example.com" : "*.zone" + i + ".example.net";
      file.append("  e").append(i).append(" { hosts = [\"").append(host).append("\"] }\n");
    }
    file.append("  last { hosts = [\"10.9.8.7\"], ports = [8080] }\n}\n");
    Allowlist allowlist = parse(file.toString());

    assertThat(allowlist.size()).isEqualTo(100_001);
    assertThat(allowlist.decide(request("GET", "http://host99998.example.com/")).entry())
        .isEqualTo("e99998");
    assertThat(allowlist.decide(request("CONNECT", "a.b.zone77777.example.net:443")).entry())
        .isEqualTo("e77777");
    assertThat(allowlist.decide(request("GET", "http://10.9.8.7:8080/")).entry()).isEqualTo("last");
    assertThat(allowlist.decide(request("GET", "http://host1.example.com/")).reason())
        .isEqualTo(HOST);
  }

  private static Allowlist parse(String text) {
    try {
      return Allowlist.parse(text, "test.conf");
    } catch (AllowlistException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }
}
