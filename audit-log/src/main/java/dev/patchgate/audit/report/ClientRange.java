package dev.patchgate.audit.report;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An IPv4 block ({@code 10.10.1.0/24}, or one address) that narrows the coverage report's
 * population. Immutable and thread-safe.
 */
final class ClientRange {
  private static final Pattern CIDR =
      Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})(?:/(\\d{1,2}))?");

  private final long network;
  private final long mask;
  private final String text;

  private ClientRange(long network, long mask, String text) {
    this.network = network;
    this.mask = mask;
    this.text = text;
  }

  /**
   * Reads a {@code --clients} argument.
   *
   * @throws IllegalArgumentException with a message for the user when it is not an IPv4 CIDR
   */
  static ClientRange parse(String argument) {
    String s = argument.strip().toLowerCase(Locale.ROOT);
    Matcher m = CIDR.matcher(s);
    long address = 0;
    boolean valid = m.matches();
    for (int i = 1; valid && i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      valid = octet <= 255;
      address = address << 8 | octet;
    }
    int bits = valid && m.group(5) != null ? Integer.parseInt(m.group(5)) : 32;
    if (!valid || bits > 32) {
      throw new IllegalArgumentException(
          "--clients: '" + argument + "' (expected: an IPv4 CIDR such as 10.10.1.0/24)");
    }
    long mask = bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
    if ((address & mask) != address) {
      throw new IllegalArgumentException(
          "--clients: '"
              + argument
              + "' has host bits set (expected: the network address, e.g. "
              + dotted(address & mask)
              + "/"
              + bits
              + ")");
    }
    return new ClientRange(address, mask, dotted(address) + "/" + bits);
  }

  /** Whether {@code client} (a record's {@code client} field) is in this block. */
  boolean contains(String client) {
    Matcher m = CIDR.matcher(client);
    if (!m.matches() || m.group(5) != null) {
      return false;
    }
    long address = 0;
    for (int i = 1; i <= 4; i++) {
      int octet = Integer.parseInt(m.group(i));
      if (octet > 255) {
        return false;
      }
      address = address << 8 | octet;
    }
    return (address & mask) == network;
  }

  @Override
  public String toString() {
    return text;
  }

  private static String dotted(long a) {
    return (a >> 24 & 255) + "." + (a >> 16 & 255) + "." + (a >> 8 & 255) + "." + (a & 255);
  }
}
