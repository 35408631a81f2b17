package dev.patchgate.allowlist;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * What kind of address a host name resolved to: public, or one of the special ranges that an update
 * gateway must not dial on a name's say-so.
 *
 * <p>A name that resolves into the hospital's own ranges (DNS rebinding, a poisoned or a careless
 * record) would turn the gateway into a way into the HIS network, the cloud metadata service or the
 * gateway itself. IPv6 forms that carry an IPv4 address inside them (IPv4-mapped, NAT64, 6to4,
 * Teredo, IPv4-compatible) are refused as a class, whatever they embed: each may reach an IPv4 host
 * the IPv4 check never saw.
 *
 * <p>Every class but {@link #PUBLIC} has a fixed {@linkplain #refusal() refusal phrase} that never
 * contains the address, so it is safe to show a client and to log as is. Pure and thread-safe.
 */
public enum AddressClass {
  /** A global unicast address: dialled without an exemption. */
  PUBLIC(null),
  /** 127.0.0.0/8 and ::1: the gateway itself. */
  LOOPBACK("resolved address is loopback"),
  /** 10/8, 172.16/12, 192.168/16 and fc00::/7 (unique local): the hospital's own networks. */
  PRIVATE("resolved address is private"),
  /** 169.254/16 (including the cloud metadata service 169.254.169.254) and fe80::/10. */
  LINK_LOCAL("resolved address is link-local"),
  /** 100.64/10, the carrier-grade NAT range shared by an ISP's customers. */
  SHARED("resolved address is in the shared (CGNAT) range"),
  /** 224/4 and ff00::/8. */
  MULTICAST("resolved address is multicast"),
  /** 0.0.0.0/8 and ::, which many stacks treat as "this host". */
  UNSPECIFIED("resolved address is unspecified"),
  /**
   * Everything else that is not global unicast: 240/4 (with the broadcast address), 192.0.0.0/24,
   * 198.18/15 (benchmarking), documentation ranges, the 6to4 relay anycast 192.88.99/24; in IPv6
   * the rest of 2001::/23, 2001:db8::/32, 3fff::/20, 100::/64, 5f00::/16, fec0::/10 and all
   * addresses outside 2000::/3.
   */
  RESERVED("resolved address is reserved"),
  /** ::ffff:0:0/96, an IPv4 address spelled as IPv6. */
  IPV4_MAPPED("resolved address is IPv4-mapped IPv6"),
  /** 64:ff9b::/96 and 64:ff9b:1::/48, IPv4 reached through a NAT64 translator. */
  NAT64("resolved address is NAT64"),
  /** 2002::/16, IPv4 tunnelled as 6to4. */
  SIX_TO_FOUR("resolved address is 6to4"),
  /** 2001::/32, IPv4 tunnelled as Teredo. */
  TEREDO("resolved address is Teredo"),
  /** ::/96 (deprecated IPv4-compatible IPv6). */
  IPV4_COMPATIBLE("resolved address is IPv4-compatible IPv6");

  /** First match wins; checked for IPv4 addresses. */
  private static final List<Range> IPV4 =
      List.of(
          new Range("0.0.0.0/8", UNSPECIFIED),
          new Range("10.0.0.0/8", PRIVATE),
          new Range("100.64.0.0/10", SHARED),
          new Range("127.0.0.0/8", LOOPBACK),
          new Range("169.254.0.0/16", LINK_LOCAL),
          new Range("172.16.0.0/12", PRIVATE),
          new Range("192.0.0.0/24", RESERVED),
          new Range("192.0.2.0/24", RESERVED),
          new Range("192.88.99.0/24", RESERVED),
          new Range("192.168.0.0/16", PRIVATE),
          new Range("198.18.0.0/15", RESERVED),
          new Range("198.51.100.0/24", RESERVED),
          new Range("203.0.113.0/24", RESERVED),
          new Range("224.0.0.0/4", MULTICAST),
          new Range("240.0.0.0/4", RESERVED));

  /** First match wins, so the narrow ranges come before the wide ones containing them. */
  private static final List<Range> IPV6 =
      List.of(
          new Range("::/128", UNSPECIFIED),
          new Range("::1/128", LOOPBACK),
          new Range("::ffff:0:0/96", IPV4_MAPPED),
          new Range("::/96", IPV4_COMPATIBLE),
          new Range("64:ff9b::/96", NAT64),
          new Range("64:ff9b:1::/48", NAT64),
          new Range("100::/64", RESERVED),
          new Range("2001::/32", TEREDO),
          new Range("2001::/23", RESERVED),
          new Range("2001:db8::/32", RESERVED),
          new Range("2002::/16", SIX_TO_FOUR),
          new Range("3fff::/20", RESERVED),
          new Range("5f00::/16", RESERVED),
          new Range("fc00::/7", PRIVATE),
          new Range("fe80::/10", LINK_LOCAL),
          new Range("fec0::/10", RESERVED),
          new Range("ff00::/8", MULTICAST));

  /** Global unicast IPv6; anything outside it that no range above names is reserved. */
  private static final Cidr GLOBAL_UNICAST = Cidr.parse("2000::/3");

  private final String refusal;

  AddressClass(String refusal) {
    this.refusal = refusal;
  }

  /**
   * The fixed phrase a request to an address of this class is refused with, e.g. {@code "resolved
   * address is loopback"}; null for {@link #PUBLIC}.
   */
  public String refusal() {
    return refusal;
  }

  /**
   * Classifies an address by its bytes alone (no DNS, no scope). An {@code Inet6Address} holding an
   * IPv4-mapped address is {@link #IPV4_MAPPED}, whatever IPv4 address it carries.
   *
   * @throws NullPointerException if {@code address} is null
   */
  public static AddressClass of(InetAddress address) {
    Objects.requireNonNull(address, "address");
    byte[] bytes = address.getAddress();
    long[] bits = Cidr.bitsOf(bytes);
    boolean ipv4 = address instanceof Inet4Address;
    for (Range range : ipv4 ? IPV4 : IPV6) {
      if (range.cidr.contains(bits[0], bits[1], false)) {
        return range.kind;
      }
    }
    if (!ipv4 && !GLOBAL_UNICAST.contains(bits[0], bits[1], false)) {
      return RESERVED;
    }
    return PUBLIC;
  }

  private static final class Range {
    final Cidr cidr;
    final AddressClass kind;

    Range(String cidr, AddressClass kind) {
      this.cidr = Cidr.parse(cidr);
      this.kind = kind;
    }
  }
}
