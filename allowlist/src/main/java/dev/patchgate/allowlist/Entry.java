package dev.patchgate.allowlist;

import java.util.Arrays;
import java.util.List;

/**
 * One named rule of the allowlist: the hosts it covers and what it lets through to them.
 *
 * <p>Matching is split in two so that {@link Allowlist} can find candidate entries through its host
 * index instead of scanning every entry: {@link #matchesHost} is what the index answers, {@link
 * #permits} is every other condition. Client groups, schemes, methods, paths and schedules will be
 * added to {@code permits}; each will also need its own deny reason.
 *
 * <p>Immutable and thread-safe.
 */
final class Entry {
  private static final int DEFAULT_HTTP_PORT = 80;
  private static final int DEFAULT_CONNECT_PORT = 443;

  private final String name;
  private final int order;
  private final List<HostPattern> hosts;
  private final int[] ports;

  /**
   * @param name the entry's name in the file
   * @param order its position in file order; lower wins when several entries allow a request
   * @param hosts the validated host patterns, at least one
   * @param ports the allowed ports for both schemes, or empty for the defaults (80 for HTTP, 443
   *     for CONNECT)
   */
  Entry(String name, int order, List<HostPattern> hosts, int[] ports) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("an entry needs at least one host");
    }
    this.name = name;
    this.order = order;
    this.hosts = List.copyOf(hosts);
    this.ports = ports.clone();
    Arrays.sort(this.ports);
  }

  String name() {
    return name;
  }

  int order() {
    return order;
  }

  List<HostPattern> hosts() {
    return hosts;
  }

  /** True when one of this entry's patterns covers the canonical {@code host}. */
  boolean matchesHost(String host) {
    for (HostPattern pattern : hosts) {
      if (pattern.matches(host)) {
        return true;
      }
    }
    return false;
  }

  /**
   * True when this entry lets the request through, given that its host already matched (the
   * caller's index guarantees that; see the class comment). Today only the port is checked.
   */
  boolean permits(AccessRequest request) {
    Target target = request.target();
    if (ports.length == 0) {
      int defaultPort = target.scheme() == Scheme.HTTPS ? DEFAULT_CONNECT_PORT : DEFAULT_HTTP_PORT;
      return target.port() == defaultPort;
    }
    return Arrays.binarySearch(ports, target.port()) >= 0;
  }

  @Override
  public String toString() {
    return name + hosts;
  }
}
