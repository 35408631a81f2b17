package dev.patchgate.audit.report;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * Orders client addresses as an administrator reads them: IPv4 addresses by number ({@code
 * 10.10.1.5} before {@code 10.10.1.10}), then everything else as text.
 */
final class ClientOrder implements Comparator<String> {
  static final ClientOrder INSTANCE = new ClientOrder();

  private ClientOrder() {}

  /**
   * Each distinct client's position in this order, so that sorting many rows compares integers
   * instead of parsing addresses again and again.
   */
  static Map<String, Integer> ranks(Collection<String> clients) {
    Map<String, Integer> ranks = new HashMap<>();
    int rank = 0;
    TreeSet<String> sorted = new TreeSet<>(INSTANCE);
    sorted.addAll(clients);
    for (String client : sorted) {
      ranks.put(client, rank++);
    }
    return ranks;
  }

  @Override
  public int compare(String a, String b) {
    long x = ipv4(a);
    long y = ipv4(b);
    if (x >= 0 && y >= 0) {
      return Long.compare(x, y);
    }
    if (x >= 0 || y >= 0) {
      return x >= 0 ? -1 : 1;
    }
    return a.compareTo(b);
  }

  /** The address as a number, or -1 when {@code s} is not a dotted-quad IPv4 address. */
  private static long ipv4(String s) {
    long value = 0;
    int octets = 0;
    int octet = -1;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c == '.') {
        if (octet < 0 || octet > 255) {
          return -1;
        }
        value = value << 8 | octet;
        octets++;
        octet = -1;
      } else if (c >= '0' && c <= '9') {
        octet = (octet < 0 ? 0 : octet * 10) + (c - '0');
        if (octet > 255) {
          return -1;
        }
      } else {
        return -1;
      }
    }
    return octets == 4 ? value : -1;
  }
}
