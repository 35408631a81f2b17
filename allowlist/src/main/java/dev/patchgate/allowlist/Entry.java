package dev.patchgate.allowlist;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One named rule of the allowlist: the hosts it covers, and the conditions under which it lets a
 * request to them through.
 *
 * <p>Matching is split in two so that {@link Allowlist} finds candidate entries through its host
 * index instead of scanning every entry: the index answers which {@link Binding}s cover a host, and
 * {@link #check} runs every other condition, in the fixed order of {@link Check}.
 *
 * <p>Immutable and thread-safe. Holds its allowing {@link Decision}s ready-made, so allowing a
 * request by name allocates nothing.
 */
final class Entry {
  private static final int GET = 1;
  private static final int HEAD = 2;

  private final String name;
  private final int order;
  private final int line;
  private final List<Binding> bindings;
  private final EntryRules rules;
  private final int methods;
  private final long[] clientSet;
  private final Decision allow;
  private final Map<Check, Decision> wouldDeny;

  /**
   * @param name the entry's name in the file
   * @param order its position in file order; lower wins when several entries allow a request
   * @param line the line of the entry in the file, for explanations
   * @param hosts each host rule, in file order, to its ports per scheme (possibly none)
   * @param rules the entry's other conditions
   * @param clientSet the groups of {@code rules.clients()} as a set of {@link ClientGroups}, or
   *     null for every registered client
   */
  Entry(
      String name,
      int order,
      int line,
      Map<HostRule, Map<Scheme, Set<Integer>>> hosts,
      EntryRules rules,
      long[] clientSet) {
    if (hosts.isEmpty()) {
      throw new IllegalArgumentException("an entry needs at least one host");
    }
    this.name = name;
    this.order = order;
    this.line = line;
    this.rules = rules;
    this.clientSet = clientSet == null ? null : clientSet.clone();
    this.methods =
        (rules.methods().contains("GET") ? GET : 0) | (rules.methods().contains("HEAD") ? HEAD : 0);
    List<Binding> built = new ArrayList<>(hosts.size());
    hosts.forEach(
        (rule, ports) ->
            built.add(
                new Binding(
                    this,
                    rule.pattern(),
                    rule.paths().isEmpty() ? null : new PathPrefixes(rule.paths()),
                    sorted(ports.getOrDefault(Scheme.HTTP, Set.of())),
                    sorted(ports.getOrDefault(Scheme.HTTPS, Set.of())))));
    this.bindings = List.copyOf(built);
    this.allow = Decision.allow(this, null);
    this.wouldDeny = new EnumMap<>(Check.class);
    if (rules.report()) {
      for (Check check : Check.values()) {
        if (check != Check.PASSED) {
          wouldDeny.put(check, Decision.wouldDeny(this, check.reason, null));
        }
      }
    }
  }

  String name() {
    return name;
  }

  int order() {
    return order;
  }

  int line() {
    return line;
  }

  List<Binding> bindings() {
    return bindings;
  }

  EntryRules rules() {
    return rules;
  }

  boolean report() {
    return rules.report();
  }

  /** {@code kb-files = true}: the patch report may read KB numbers from its files' names. */
  boolean kbFiles() {
    return rules.kbFiles();
  }

  /**
   * The first check this entry fails for the request, or {@link Check#PASSED}, given that {@code
   * binding}, one of this entry's, covers the request's host.
   */
  Check check(Binding binding, Evaluation request) {
    if (!request.registered()) {
      return Check.REGISTERED;
    }
    if (clientSet != null && !request.inAnyOf(clientSet)) {
      return Check.CLIENT;
    }
    Target target = request.target();
    Scheme scheme = target.scheme();
    if (!binding.allows(scheme)) {
      return Check.SCHEME;
    }
    if (!binding.allows(scheme, target.port())) {
      return Check.PORT;
    }
    if (scheme == Scheme.HTTP) {
      if ((methods & methodBit(request.method())) == 0) {
        return Check.METHOD;
      }
      if (!pathAllowed(binding, target.path())) {
        return Check.PATH;
      }
    }
    if (rules.schedule() != null && !rules.schedule().contains(request.minuteOfWeek())) {
      return Check.SCHEDULE;
    }
    return Check.PASSED;
  }

  /** True when a plain-HTTP path passes the binding's own prefixes and the entry's. */
  private boolean pathAllowed(Binding binding, String pathAndQuery) {
    return (binding.paths() == null || binding.paths().matches(pathAndQuery))
        && (rules.paths() == null || rules.paths().matches(pathAndQuery));
  }

  /** The decision allowing {@code target}: ready-made for a name, new for an IP literal. */
  Decision allowing(Target target) {
    return target.isIpLiteral() ? Decision.allow(this, Cidr.ofLiteral(target.host())) : allow;
  }

  /** The report-mode decision letting {@code target} through although {@code failed} failed. */
  Decision reporting(Check failed, Target target) {
    return target.isIpLiteral()
        ? Decision.wouldDeny(this, failed.reason, Cidr.ofLiteral(target.host()))
        : wouldDeny.get(failed);
  }

  private static int methodBit(String method) {
    switch (method) {
      case "GET":
        return GET;
      case "HEAD":
        return HEAD;
      default:
        return 0;
    }
  }

  private static int[] sorted(Set<Integer> ports) {
    return ports.stream().mapToInt(Integer::intValue).sorted().toArray();
  }

  @Override
  public String toString() {
    List<String> patterns = new ArrayList<>();
    for (Binding binding : bindings) {
      patterns.add(binding.pattern().toString());
    }
    return name + patterns;
  }
}
