package dev.patchgate.audit.report;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * Client groups for tests, each the addresses that start with a text ({@code "10.20.1."}), as an
 * allowlist's {@code clients} block would name them; blocks are IPv4 as without an allowlist.
 */
final class PrefixGroups implements ClientGroups {
  private final Map<String, String> prefixes = new LinkedHashMap<>();
  private final ZoneId zone;

  /**
   * @param namesAndPrefixes a group's name, then its prefix, for each group in order
   */
  PrefixGroups(ZoneId zone, String... namesAndPrefixes) {
    this.zone = zone;
    for (int i = 0; i < namesAndPrefixes.length; i += 2) {
      prefixes.put(namesAndPrefixes[i], namesAndPrefixes[i + 1]);
    }
  }

  @Override
  public List<String> names() {
    return List.copyOf(prefixes.keySet());
  }

  @Override
  public List<String> groupsOf(String client) {
    List<String> groups = new ArrayList<>();
    prefixes.forEach(
        (name, prefix) -> {
          if (client.startsWith(prefix)) {
            groups.add(name);
          }
        });
    return groups;
  }

  @Override
  public Predicate<String> block(String cidr) {
    return ClientGroups.none().block(cidr);
  }

  @Override
  public ZoneId zone() {
    return zone;
  }
}
