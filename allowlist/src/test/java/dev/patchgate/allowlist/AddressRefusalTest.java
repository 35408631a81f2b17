package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.AddressClassTest.address;
import static dev.patchgate.allowlist.Requests.allowlist;
import static dev.patchgate.allowlist.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link Decision#addressRefusal}: may the gateway dial the address an allowed host resolved to?
 */
class AddressRefusalTest {
  private static final String OK = null;
  private static final String LOOPBACK = "resolved address is loopback";
  private static final String PRIVATE = "resolved address is private";
  private static final String LINK_LOCAL = "resolved address is link-local";
  private static final String MAPPED = "resolved address is IPv4-mapped IPv6";
  private static final String NAT64 = "resolved address is NAT64";

  private static final Allowlist ALLOWLIST =
      allowlist(
          Requests.lines(
              "entries {",
              "  updates  { hosts = [\"updates.example.com\", \"10.20.0.50\", \"::ffff:8.8.4.4\"] }",
              "  internal { hosts = [\"wsus.hospital.example\"], ports = [8530],",
              "             addresses = [\"10.20.0.0/24\", \"fd00:20::/64\"] }",
              "  lab      { hosts = [\"127.0.0.1\"], ports = [18080] }",
              "  trial    { hosts = [\"trial.example.com\"], mode = report, ports = [8080] }",
              "}"));

  static Stream<Arguments> refusals() {
    return Stream.of(
        // a public address
        arguments("GET", "http://updates.example.com/", "93.184.216.34", OK),
        arguments("GET", "http://updates.example.com/", "2606:4700:4700::1111", OK),
        // DNS rebinding to the gateway itself
        arguments("GET", "http://updates.example.com/", "127.0.0.1", LOOPBACK),
        arguments("GET", "http://updates.example.com/", "::1", LOOPBACK),
        // a name resolving into the hospital network
        arguments("GET", "http://updates.example.com/", "10.20.0.7", PRIVATE),
        // the cloud metadata service
        arguments("GET", "http://updates.example.com/", "169.254.169.254", LINK_LOCAL),
        // IPv4-mapped form of a public address: refused as a class
        arguments("GET", "http://updates.example.com/", "::ffff:93.184.216.34", MAPPED),
        // NAT64 form of a private address
        arguments("GET", "http://updates.example.com/", "64:ff9b::a14:7", NAT64),
        // the entry's addresses exempt its internal range
        arguments("GET", "http://wsus.hospital.example:8530/", "10.20.0.7", OK),
        arguments("GET", "http://wsus.hospital.example:8530/", "fd00:20::7", OK),
        // the IPv4-mapped form of an exempt address names the same host
        arguments("GET", "http://wsus.hospital.example:8530/", "::ffff:10.20.0.7", OK),
        // but nothing outside the exempt ranges
        arguments("GET", "http://wsus.hospital.example:8530/", "10.20.1.7", PRIVATE),
        arguments("GET", "http://wsus.hospital.example:8530/", "fd00:21::7", PRIVATE),
        arguments("GET", "http://wsus.hospital.example:8530/", "127.0.0.1", LOOPBACK),
        // and public addresses still pass
        arguments("GET", "http://wsus.hospital.example:8530/", "8.8.8.8", OK),
        // an IP literal the entry lists: listing it is the administrator's consent
        arguments("GET", "http://10.20.0.50/", "10.20.0.50", OK),
        arguments("CONNECT", "127.0.0.1:18080", "127.0.0.1", OK),
        // a literal's consent covers that address only
        arguments("GET", "http://10.20.0.50/", "10.20.0.51", PRIVATE),
        // an IPv4-mapped literal listed as such covers the IPv4 address it names
        arguments("GET", "http://[::ffff:8.8.4.4]/", "8.8.4.4", OK),
        // the exemption of one entry's hosts is not another's
        arguments("GET", "http://updates.example.com/", "10.20.0.8", PRIVATE),
        // report mode lets a request through but never relaxes the address check
        arguments("GET", "http://trial.example.com/", "10.20.0.9", PRIVATE),
        arguments("GET", "http://trial.example.com/", "93.184.216.34", OK),
        // a denied request may dial nothing
        arguments("GET", "http://example.org/", "93.184.216.34", "host not in allowlist"),
        arguments(
            "CONNECT",
            "updates.example.com:8443",
            "93.184.216.34",
            "port not allowed for this host"));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} resolved to {2} -> {3}")
  @MethodSource("refusals")
  void addressRefusal_allowsPublicAddressesAndWhatTheEntryNames(
      String method, String target, String resolved, String expected) {
    Decision decision = ALLOWLIST.decide(request(method, target));

    assertThat(decision.addressRefusal(address(resolved))).isEqualTo(expected);
  }

  @Test
  void sniCheckIsOnUnlessTheAllowingEntryTurnsItOff() {
    Allowlist allowlist =
        allowlist(
            Requests.lines(
                "entries {",
                "  checked   { hosts = [\"a.example.com\"] }",
                "  unchecked { hosts = [\"b.example.com\"], sni-check = false }",
                "}"));

    assertThat(allowlist.decide(request("CONNECT", "a.example.com:443")).sniCheck()).isTrue();
    assertThat(allowlist.decide(request("CONNECT", "b.example.com:443")).sniCheck()).isFalse();
    assertThat(allowlist.decide(request("CONNECT", "c.example.com:443")).sniCheck()).isTrue();
  }

  @Test
  void addressRefusalNeedsAnAddress() {
    Decision decision = ALLOWLIST.decide(request("GET", "http://updates.example.com/"));

    assertThatThrownBy(() -> decision.addressRefusal(null))
        .isInstanceOf(NullPointerException.class);
  }
}
