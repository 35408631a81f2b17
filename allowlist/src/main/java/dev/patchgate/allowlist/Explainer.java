package dev.patchgate.allowlist;

import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Works out an {@link Explanation}: runs every entry's checks against the request, the slow way (a
 * scan of all entries rather than the host index), so it can say for each entry covering the host
 * which check it failed and what differed. The choice of the closest entry follows the same rule as
 * {@link Allowlist#decide}: furthest in the order of {@link Check}, ties to file order.
 *
 * <p>One instance per explanation; not thread-safe.
 */
final class Explainer {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm:ss", Locale.ROOT);

  private final Allowlist allowlist;
  private final AccessRequest request;
  private final Evaluation facts;
  private final String client;
  private final List<String> lines = new ArrayList<>();

  private Explainer(Allowlist allowlist, AccessRequest request) {
    this.allowlist = allowlist;
    this.request = request;
    this.facts = new Evaluation(request, allowlist.groups(), allowlist.timeZone());
    this.client = HostSyntax.format(request.client());
  }

  static Explanation explain(Allowlist allowlist, AccessRequest request) {
    Decision decision = allowlist.decide(request);
    if (request == null) {
      return new Explanation(decision, List.of("no request to explain"));
    }
    Explainer explainer = new Explainer(allowlist, request);
    explainer.explain(decision);
    return new Explanation(decision, explainer.lines);
  }

  private void explain(Decision decision) {
    ZoneId zone = allowlist.timeZone();
    lines.add(
        "request: "
            + request.method()
            + " "
            + request.target().url()
            + " from "
            + client
            + " at "
            + LocalDateTime.ofInstant(request.at(), zone).format(TIME)
            + " "
            + zone.getId());
    lines.add(clientLine());
    List<Finding> covering = covering();
    if (decision.allowed()) {
      Entry entry = decision.matchedEntry();
      if (decision.wouldDeny()) {
        Finding finding = findingFor(covering, entry);
        lines.add(
            "allowed by entry "
                + where(entry)
                + ", which is in report mode: enforced, it would deny the request ("
                + decision.reason()
                + "): "
                + finding.detail());
      } else {
        lines.add("allowed by entry " + where(entry));
      }
      if (!request.target().isIpLiteral()) {
        lines.add(addressNote(entry));
      }
      return;
    }
    lines.add("denied: " + decision.reason());
    if (!facts.registered()) {
      return;
    }
    if (covering.isEmpty()) {
      lines.add("no entry names host " + AllowlistReader.quote(request.target().host()));
      String nearest = nearest();
      if (nearest != null) {
        lines.add(nearest);
      }
      return;
    }
    Finding closest = covering.get(0);
    for (Finding finding : covering) {
      if (finding.check.isFurtherThan(closest.check)) {
        closest = finding;
      }
    }
    lines.add("closest entry " + where(closest.entry) + ": " + closest.detail());
    for (Finding finding : covering) {
      if (finding != closest) {
        lines.add("entry " + where(finding.entry) + " also names the host: " + finding.detail());
      }
    }
  }

  private String clientLine() {
    ClientGroups groups = allowlist.groups();
    if (groups == null) {
      return "client "
          + client
          + ": the allowlist has no client groups, so every client may use every entry";
    }
    List<String> in = groups.namesOf(facts.clientGroups());
    if (in.isEmpty()) {
      return "client "
          + client
          + " is in no client group (groups: "
          + String.join(", ", groups.names())
          + "); add its address to one under clients { } to let it use the gateway";
    }
    return "client "
        + client
        + " is in "
        + (in.size() == 1 ? "group " : "groups ")
        + String.join(", ", in);
  }

  /** Every entry with a pattern covering the host, in file order, with the check it failed. */
  private List<Finding> covering() {
    String host = request.target().host();
    List<Finding> findings = new ArrayList<>();
    for (Entry entry : allowlist.entries()) {
      List<Binding> matching = new ArrayList<>();
      Check check = null;
      for (Binding binding : entry.bindings()) {
        if (binding.pattern().matches(host)) {
          matching.add(binding);
          Check c = entry.check(binding, facts);
          if (check == null || c.isFurtherThan(check)) {
            check = c;
          }
        }
      }
      if (check != null) {
        findings.add(new Finding(entry, check, matching));
      }
    }
    return findings;
  }

  private static Finding findingFor(List<Finding> findings, Entry entry) {
    for (Finding finding : findings) {
      if (finding.entry == entry) {
        return finding;
      }
    }
    throw new IllegalStateException("the allowing entry does not cover the host: " + entry);
  }

  private String addressNote(Entry entry) {
    List<Cidr> exempt = entry.rules().addresses();
    return "the gateway then resolves "
        + request.target().host()
        + " and dials it only at a public address"
        + (exempt.isEmpty() ? "" : " or one in " + exempt)
        + "; loopback, private, link-local and other special addresses are refused";
  }

  /**
   * For a host no entry names: the entry whose patterns share the most trailing labels with it (at
   * least a registrable domain), or null.
   */
  private String nearest() {
    String host = request.target().host();
    if (request.target().isIpLiteral()) {
      return null;
    }
    String[] labels = host.split("\\.", -1);
    Binding best = null;
    int bestShared = 0;
    for (Entry entry : allowlist.entries()) {
      for (Binding binding : entry.bindings()) {
        String pattern = binding.pattern().host();
        if (HostSyntax.isIpLiteral(pattern)) {
          continue;
        }
        int shared = sharedLabels(labels, pattern.split("\\.", -1));
        if (shared > bestShared) {
          best = binding;
          bestShared = shared;
        }
      }
    }
    if (best == null || bestShared < 2) {
      return null;
    }
    String suffix =
        String.join(".", Arrays.copyOfRange(labels, labels.length - bestShared, labels.length));
    if (bestShared == 2 && PublicSuffixes.isTwoLabelPublicSuffix(suffix)) {
      return null;
    }
    HostPattern pattern = best.pattern();
    if (pattern.wildcard() && pattern.host().equals(host)) {
      return "entry "
          + where(best.entry())
          + " lists "
          + AllowlistReader.quote(pattern.toString())
          + ", which covers the names below "
          + host
          + " but not "
          + host
          + " itself; add \""
          + host
          + "\" to its hosts if clients need it";
    }
    return "the nearest entry is "
        + where(best.entry())
        + ", which lists "
        + AllowlistReader.quote(pattern.toString());
  }

  private static int sharedLabels(String[] a, String[] b) {
    int shared = 0;
    while (shared < a.length
        && shared < b.length
        && a[a.length - 1 - shared].equals(b[b.length - 1 - shared])) {
      shared++;
    }
    return shared;
  }

  private String where(Entry entry) {
    return AllowlistReader.quote(entry.name())
        + " ("
        + allowlist.fileName()
        + ":"
        + entry.line()
        + ")";
  }

  /** One entry covering the host, the check it failed, and the bindings that matched. */
  private final class Finding {
    final Entry entry;
    final Check check;
    final List<Binding> matching;

    Finding(Entry entry, Check check, List<Binding> matching) {
      this.entry = entry;
      this.check = check;
      this.matching = matching;
    }

    /** What about the request differs from what the entry allows, for the failed check. */
    String detail() {
      Target target = request.target();
      EntryRules rules = entry.rules();
      switch (check) {
        case REGISTERED:
          return "client " + client + " is in no client group";
        case CLIENT:
          return "client " + client + " is in no group of " + rules.clients();
        case SCHEME:
          return "scheme "
              + schemeName(target.scheme())
              + " is not allowed for this host (allowed: "
              + allowedSchemes()
              + ")";
        case PORT:
          return "port " + target.port() + " is not in " + ports(target.scheme());
        case METHOD:
          return "method " + request.method() + " is not in " + new TreeSet<>(rules.methods());
        case PATH:
          if (rules.paths() != null && !rules.paths().matches(target.path())) {
            return "path "
                + pathOnly(target.path())
                + " does not start with any of "
                + rules.paths();
          }
          return "path "
              + pathOnly(target.path())
              + " does not start with any of "
              + profilePaths()
              + ", the only paths the entry's profile allows on this host";
        case SCHEDULE:
          return Schedule.describe(facts.minuteOfWeek())
              + " "
              + allowlist.timeZone().getId()
              + " is outside "
              + rules.schedule();
        default:
          return "the entry allows the request";
      }
    }

    private List<String> allowedSchemes() {
      List<String> names = new ArrayList<>();
      for (Scheme scheme : Scheme.values()) {
        for (Binding binding : matching) {
          if (binding.allows(scheme)) {
            names.add(schemeName(scheme));
            break;
          }
        }
      }
      return names;
    }

    private List<String> profilePaths() {
      List<String> prefixes = new ArrayList<>();
      for (Binding binding : matching) {
        if (binding.paths() != null) {
          prefixes.addAll(binding.paths().prefixes());
        }
      }
      return prefixes;
    }

    private Set<Integer> ports(Scheme scheme) {
      Set<Integer> ports = new TreeSet<>();
      for (Binding binding : matching) {
        for (int port : binding.ports(scheme)) {
          ports.add(port);
        }
      }
      return ports;
    }
  }

  private static String schemeName(Scheme scheme) {
    return scheme == Scheme.HTTPS ? "https (CONNECT)" : "http";
  }

  private static String pathOnly(String pathAndQuery) {
    int query = pathAndQuery.indexOf('?');
    return query < 0 ? pathAndQuery : pathAndQuery.substring(0, query);
  }
}
