package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.AddressClassTest.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CidrTest {

  static Stream<Arguments> ranges() {
    return Stream.of(
        arguments("10.10.0.0/16", "10.10.0.0", true),
        arguments("10.10.0.0/16", "10.10.255.255", true),
        arguments("10.10.0.0/16", "10.11.0.0", false),
        arguments("10.10.0.0/16", "10.9.255.255", false),
        // a single address is a /32
        arguments("10.20.0.10", "10.20.0.10", true),
        arguments("10.20.0.10", "10.20.0.11", false),
        // the IPv4-mapped spelling of an address in an IPv4 range names the same host
        arguments("10.10.0.0/16", "::ffff:10.10.1.1", true),
        arguments("0.0.0.0/0", "192.0.2.1", true),
        // an IPv4 range never covers other IPv6 addresses
        arguments("0.0.0.0/0", "2001:db8::1", false),
        arguments("fd00:20::/64", "fd00:20::ffff", true),
        arguments("fd00:20::/64", "fd00:21::1", false),
        // an IPv6 range shorter than /96 is meant for IPv6 and never covers IPv4
        arguments("::/0", "10.0.0.1", false),
        arguments("::/0", "2001:db8::1", true),
        // an IPv6 range inside the IPv4-mapped block covers IPv4 addresses
        arguments("::ffff:10.0.0.0/104", "10.1.2.3", true),
        arguments("::ffff:10.0.0.0/104", "11.1.2.3", false),
        arguments("2001:db8::/32", "2001:db8:ffff::1", true),
        arguments("2001:db8::/33", "2001:db8:8000::1", false));
  }

  @ParameterizedTest(name = "[{index}] {0} contains {1}: {2}")
  @MethodSource("ranges")
  void contains_comparesTheNetworkBits(String range, String address, boolean expected) {
    assertThat(Cidr.parse(range).contains(address(address))).isEqualTo(expected);
  }

  static Stream<Arguments> spellings() {
    return Stream.of(
        arguments("10.10.0.0/16", "10.10.0.0/16"),
        arguments("10.20.0.10", "10.20.0.10"),
        arguments("10.20.0.10/32", "10.20.0.10"),
        arguments("FD00:20:0:0::/64", "fd00:20::/64"),
        arguments("::/0", "::/0"),
        arguments("0.0.0.0/0", "0.0.0.0/0"));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("spellings")
  void toString_writesTheCanonicalForm(String text, String canonical) {
    assertThat(Cidr.parse(text)).hasToString(canonical);
  }
}
