package dev.patchgate.allowlist;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The named client groups of an allowlist file's {@code clients} block: which HIS machines may use
 * the gateway at all, and which entries serve which of them.
 *
 * <p>A set of groups is a bit set ({@code long[]}, bit {@code i} for the {@code i}-th group in file
 * order), so that an entry's {@code clients} are checked against a client's groups with a few AND
 * operations rather than name lookups. Immutable and thread-safe.
 */
final class ClientGroups {
  private final List<String> names;
  private final Cidr[][] ranges;

  /**
   * @param groups group names in file order to their address ranges (each at least one)
   */
  ClientGroups(Map<String, List<Cidr>> groups) {
    this.names = List.copyOf(groups.keySet());
    this.ranges = new Cidr[names.size()][];
    int i = 0;
    for (List<Cidr> cidrs : groups.values()) {
      ranges[i++] = cidrs.toArray(new Cidr[0]);
    }
  }

  /** Each group's ranges as text ({@code 10.10.0.0/16}), in file order, by name in file order. */
  Map<String, List<String>> asText() {
    Map<String, List<String>> text = new LinkedHashMap<>();
    for (int g = 0; g < names.size(); g++) {
      text.put(names.get(g), Arrays.stream(ranges[g]).map(Cidr::toString).toList());
    }
    return Collections.unmodifiableMap(text);
  }

  /** Group names in file order. */
  List<String> names() {
    return names;
  }

  /** The groups {@code client} is in; all bits clear when it is in none (unregistered). */
  long[] groupsOf(InetAddress client) {
    byte[] bytes = client.getAddress();
    long[] bits = Cidr.bitsOf(bytes);
    boolean ipv4 = bytes.length == 4;
    long[] groups = new long[words()];
    for (int g = 0; g < ranges.length; g++) {
      for (Cidr cidr : ranges[g]) {
        if (cidr.contains(bits[0], bits[1], ipv4)) {
          groups[g >>> 6] |= 1L << g;
          break;
        }
      }
    }
    return groups;
  }

  /** The set of the named groups; every name must be one of {@link #names()}. */
  long[] setOf(Collection<String> groupNames) {
    long[] set = new long[words()];
    for (String name : groupNames) {
      int g = names.indexOf(name);
      if (g < 0) {
        throw new IllegalArgumentException("unknown group " + name);
      }
      set[g >>> 6] |= 1L << g;
    }
    return set;
  }

  /** The names of the groups in {@code set}, in file order. */
  List<String> namesOf(long[] set) {
    List<String> result = new ArrayList<>();
    for (int g = 0; g < names.size(); g++) {
      if ((set[g >>> 6] & (1L << g)) != 0) {
        result.add(names.get(g));
      }
    }
    return result;
  }

  static boolean isEmpty(long[] set) {
    for (long word : set) {
      if (word != 0) {
        return false;
      }
    }
    return true;
  }

  static boolean intersects(long[] a, long[] b) {
    for (int i = 0; i < a.length; i++) {
      if ((a[i] & b[i]) != 0) {
        return true;
      }
    }
    return false;
  }

  private int words() {
    return Math.max(1, (names.size() + 63) >>> 6);
  }
}
