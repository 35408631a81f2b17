package dev.patchgate.allowlist;

import java.net.InetAddress;

/**
 * An address range as the allowlist writes it: {@code 10.10.0.0/16}, {@code fd00:20::/64}, or a
 * single address ({@code 10.20.0.10}, meaning /32 or /128).
 *
 * <p>Ranges are held in IPv6 space, an IPv4 range as its IPv4-mapped form ({@code ::ffff:0:0/96}
 * plus the prefix): an IPv4 range then also covers the IPv4-mapped spelling of its addresses, which
 * names the same host, and one comparison of two longs serves both families.
 *
 * <p>Immutable and thread-safe. Public for the gateway's configuration, which names the admin
 * listener's clients the same way.
 */
public final class Cidr {
  private static final long MAPPED_HI = 0L;
  private static final long MAPPED_LO = 0x0000_ffff_0000_0000L;
  private static final int IPV4_IN_IPV6 = 96;
  private static final String EXPECTED =
      "expected an address or a range, e.g. 10.10.0.0/16, 10.20.0.10 or fd00:20::/64";

  private final long hi;
  private final long lo;
  private final long maskHi;
  private final long maskLo;
  private final boolean ipv4;

  /** The prefix length as written: 0..32 for IPv4, 0..128 for IPv6. */
  private final int prefix;

  private Cidr(long hi, long lo, int prefix, boolean ipv4) {
    int bits = ipv4 ? IPV4_IN_IPV6 + prefix : prefix;
    this.maskHi = bits >= 64 ? -1L : bits == 0 ? 0L : -1L << (64 - bits);
    this.maskLo = bits <= 64 ? 0L : bits == 128 ? -1L : -1L << (128 - bits);
    this.hi = hi;
    this.lo = lo;
    this.prefix = prefix;
    this.ipv4 = ipv4;
  }

  /**
   * Parses a range or a single address as written in the allowlist file.
   *
   * @throws IllegalArgumentException with a message for the administrator saying what is wrong and
   *     how to fix it (without repeating the text, which the caller quotes)
   */
  public static Cidr parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    long[] bits = addressBits(address);
    boolean ipv4 = address.indexOf(':') < 0;
    int max = ipv4 ? 32 : 128;
    int prefix = max;
    if (slash >= 0) {
      String digits = text.substring(slash + 1);
      boolean leadingZero = digits.length() > 1 && digits.charAt(0) == '0';
      if (digits.isEmpty() || digits.length() > 3 || leadingZero || !HostSyntax.allDigits(digits)) {
        throw new IllegalArgumentException(EXPECTED);
      }
      prefix = Integer.parseInt(digits);
      if (prefix > max) {
        throw new IllegalArgumentException(
            "prefix /"
                + prefix
                + " is out of range for "
                + (ipv4 ? "IPv4 (0 to 32)" : "IPv6 (0 to 128)"));
      }
    }
    Cidr cidr = new Cidr(bits[0], bits[1], prefix, ipv4);
    if ((bits[0] & ~cidr.maskHi) != 0 || (bits[1] & ~cidr.maskLo) != 0) {
      Cidr network = new Cidr(bits[0] & cidr.maskHi, bits[1] & cidr.maskLo, prefix, ipv4);
      throw new IllegalArgumentException("host bits are set; write " + network);
    }
    return cidr;
  }

  /** The single address of a canonical IP-literal host (see {@link HostSyntax}). */
  static Cidr ofLiteral(String canonicalLiteral) {
    return parse(canonicalLiteral);
  }

  /**
   * True when the address is inside this range. An IPv4 address is seen as IPv4-mapped, so it is
   * inside an IPv4 range, or an IPv6 range of at least /96 such as {@code ::ffff:10.0.0.0/104}; an
   * IPv6 range shorter than /96 ({@code ::/0}) is meant for IPv6 and never covers IPv4.
   */
  public boolean contains(InetAddress address) {
    byte[] bytes = address.getAddress();
    long[] bits = bitsOf(bytes);
    return contains(bits[0], bits[1], bytes.length == 4);
  }

  /**
   * True when the 128-bit address {@code hi:lo} is inside this range.
   *
   * @param wasIpv4 true when the address was an IPv4 address, given here as IPv4-mapped
   */
  boolean contains(long addressHi, long addressLo, boolean wasIpv4) {
    if (wasIpv4 && !ipv4 && prefix < IPV4_IN_IPV6) {
      return false;
    }
    return (addressHi & maskHi) == hi && (addressLo & maskLo) == lo;
  }

  /** The prefix length as written (0..32 for IPv4). */
  int prefix() {
    return prefix;
  }

  /** The 128-bit form of 4 or 16 address bytes: {@code [hi, lo]}, IPv4 as IPv4-mapped. */
  static long[] bitsOf(byte[] bytes) {
    if (bytes.length == 4) {
      return new long[] {MAPPED_HI, MAPPED_LO | (toLong(bytes, 0, 4) & 0xffff_ffffL)};
    }
    return new long[] {toLong(bytes, 0, 8), toLong(bytes, 8, 8)};
  }

  /** {@code 10.10.0.0/16} or {@code fd00:20::/64}; a single address without its prefix. */
  @Override
  public String toString() {
    String address;
    if (ipv4) {
      address = dottedQuad((int) lo);
    } else {
      int[] groups = new int[8];
      for (int i = 0; i < 4; i++) {
        groups[i] = (int) (hi >>> (48 - 16 * i)) & 0xffff;
        groups[4 + i] = (int) (lo >>> (48 - 16 * i)) & 0xffff;
      }
      address = Ipv6.format(groups);
    }
    return prefix == (ipv4 ? 32 : 128) ? address : address + "/" + prefix;
  }

  private static long[] addressBits(String address) {
    try {
      if (address.indexOf(':') >= 0) {
        if (address.startsWith("[")) {
          throw new IllegalArgumentException(
              "write an IPv6 range without brackets, e.g. fd00:20::/64");
        }
        int[] groups = Ipv6.parse(HostSyntax.canonicalIpv6(address));
        long high = 0;
        long low = 0;
        for (int i = 0; i < 4; i++) {
          high = high << 16 | groups[i];
          low = low << 16 | groups[4 + i];
        }
        return new long[] {high, low};
      }
      String canonical = HostSyntax.canonicalName(address);
      if (!HostSyntax.isDottedQuad(canonical)) {
        throw new IllegalArgumentException(EXPECTED);
      }
      @SuppressWarnings("StringSplitter") // a validated dotted quad has exactly four parts
      String[] octets = canonical.split("\\.");
      byte[] bytes = new byte[4];
      for (int i = 0; i < 4; i++) {
        bytes[i] = (byte) Integer.parseInt(octets[i]);
      }
      return bitsOf(bytes);
    } catch (TargetException e) {
      switch (e.fault()) {
        case ALTERNATE_IPV4:
          throw new IllegalArgumentException(
              "write an IPv4 address as a dotted quad without leading zeros, e.g. 10.0.0.1");
        case IPV6_ZONE_ID:
          throw new IllegalArgumentException(
              "an IPv6 zone ID is not allowed; write the address alone, e.g. fe80::/10");
        default:
          throw new IllegalArgumentException(EXPECTED);
      }
    }
  }

  private static long toLong(byte[] bytes, int from, int count) {
    long value = 0;
    for (int i = from; i < from + count; i++) {
      value = value << 8 | (bytes[i] & 0xff);
    }
    return value;
  }

  private static String dottedQuad(int address) {
    return (address >>> 24)
        + "."
        + ((address >>> 16) & 0xff)
        + "."
        + ((address >>> 8) & 0xff)
        + "."
        + (address & 0xff);
  }
}
