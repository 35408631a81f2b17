package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AddressClassTest {

  static Stream<Arguments> addresses() {
    return Stream.of(
        // DNS rebinding to the gateway itself
        arguments("127.0.0.1", AddressClass.LOOPBACK),
        arguments("127.255.255.254", AddressClass.LOOPBACK),
        arguments("::1", AddressClass.LOOPBACK),
        // a name resolving into the hospital's own networks
        arguments("10.0.0.1", AddressClass.PRIVATE),
        arguments("172.16.0.1", AddressClass.PRIVATE),
        arguments("172.31.255.255", AddressClass.PRIVATE),
        arguments("192.168.1.1", AddressClass.PRIVATE),
        arguments("fd00:20::1", AddressClass.PRIVATE),
        arguments("fc00::1", AddressClass.PRIVATE),
        // the cloud metadata service and other link-local hosts
        arguments("169.254.169.254", AddressClass.LINK_LOCAL),
        arguments("169.254.0.1", AddressClass.LINK_LOCAL),
        arguments("fe80::1", AddressClass.LINK_LOCAL),
        arguments("febf:ffff::1", AddressClass.LINK_LOCAL),
        // an ISP's carrier-grade NAT, shared with its other customers
        arguments("100.64.0.1", AddressClass.SHARED),
        arguments("100.127.255.255", AddressClass.SHARED),
        // multicast
        arguments("224.0.0.1", AddressClass.MULTICAST),
        arguments("239.255.255.250", AddressClass.MULTICAST),
        arguments("ff02::1", AddressClass.MULTICAST),
        // "this host" on many stacks
        arguments("0.0.0.0", AddressClass.UNSPECIFIED),
        arguments("0.1.2.3", AddressClass.UNSPECIFIED),
        arguments("::", AddressClass.UNSPECIFIED),
        // reserved and special-purpose ranges
        arguments("240.0.0.1", AddressClass.RESERVED),
        arguments("255.255.255.255", AddressClass.RESERVED),
        arguments("192.0.0.8", AddressClass.RESERVED),
        arguments("198.18.0.1", AddressClass.RESERVED),
        arguments("198.19.255.255", AddressClass.RESERVED),
        arguments("192.0.2.1", AddressClass.RESERVED),
        arguments("198.51.100.7", AddressClass.RESERVED),
        arguments("203.0.113.5", AddressClass.RESERVED),
        arguments("192.88.99.1", AddressClass.RESERVED),
        arguments("2001:db8::1", AddressClass.RESERVED),
        arguments("3fff::1", AddressClass.RESERVED),
        arguments("100::1", AddressClass.RESERVED),
        arguments("2001:2::1", AddressClass.RESERVED),
        arguments("fec0::1", AddressClass.RESERVED),
        // outside global unicast 2000::/3
        arguments("4000::1", AddressClass.RESERVED),
        // IPv4 smuggled inside IPv6, whatever IPv4 address it carries
        arguments("::ffff:127.0.0.1", AddressClass.IPV4_MAPPED),
        arguments("::ffff:8.8.8.8", AddressClass.IPV4_MAPPED),
        arguments("64:ff9b::a00:1", AddressClass.NAT64),
        arguments("64:ff9b::808:808", AddressClass.NAT64),
        arguments("64:ff9b:1::1", AddressClass.NAT64),
        arguments("2002:a00:1::1", AddressClass.SIX_TO_FOUR),
        arguments("2001:0:4136:e378:8000:63bf:3fff:fdd2", AddressClass.TEREDO),
        arguments("::8.8.8.8", AddressClass.IPV4_COMPATIBLE),
        arguments("::a00:1", AddressClass.IPV4_COMPATIBLE),
        // public addresses, next to the ranges above, must pass
        arguments("8.8.8.8", AddressClass.PUBLIC),
        arguments("93.184.216.34", AddressClass.PUBLIC),
        arguments("13.107.4.50", AddressClass.PUBLIC),
        arguments("172.32.0.1", AddressClass.PUBLIC),
        arguments("172.15.255.255", AddressClass.PUBLIC),
        arguments("100.128.0.1", AddressClass.PUBLIC),
        arguments("100.63.255.255", AddressClass.PUBLIC),
        arguments("169.253.255.255", AddressClass.PUBLIC),
        arguments("192.169.0.1", AddressClass.PUBLIC),
        arguments("223.255.255.255", AddressClass.PUBLIC),
        arguments("2001:4860:4860::8888", AddressClass.PUBLIC),
        arguments("2606:4700:4700::1111", AddressClass.PUBLIC),
        arguments("2404:6800:4004:80f::200e", AddressClass.PUBLIC),
        arguments("2001:200::1", AddressClass.PUBLIC),
        arguments("2003::1", AddressClass.PUBLIC));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("addresses")
  void of_classifiesEveryAddressByItsBytes(String literal, AddressClass expected) {
    assertThat(AddressClass.of(address(literal))).isEqualTo(expected);
  }

  @Test
  void everyClassButPublicHasItsOwnFixedRefusalPhrase() {
    Set<String> phrases = new HashSet<>();
    for (AddressClass kind : AddressClass.values()) {
      if (kind == AddressClass.PUBLIC) {
        assertThat(kind.refusal()).isNull();
      } else {
        assertThat(kind.refusal()).startsWith("resolved address is ");
        assertThat(phrases.add(kind.refusal())).as(kind.refusal()).isTrue();
      }
    }
    assertThat(AddressClass.LOOPBACK.refusal()).isEqualTo("resolved address is loopback");
  }

  /**
   * An address from a literal: IPv6 literals stay {@link Inet6Address} (Java would turn {@code
   * ::ffff:a.b.c.d} into IPv4, which is exactly the form a resolver can hand back as IPv6).
   */
  static InetAddress address(String literal) {
    try {
      if (literal.indexOf(':') < 0) {
        return InetAddress.getByName(literal);
      }
      int[] groups = Ipv6.parse(literal);
      byte[] bytes = new byte[16];
      for (int i = 0; i < 8; i++) {
        bytes[2 * i] = (byte) (groups[i] >> 8);
        bytes[2 * i + 1] = (byte) groups[i];
      }
      return Inet6Address.getByAddress(null, bytes, -1);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }
}
