package dev.patchgate.allowlist;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The administrator's allowlist: named entries, each naming hosts and the conditions under which
 * requests to them may pass. Everything not allowed is denied.
 *
 * <p>A file looks like this (HOCON; every key but an entry's {@code hosts} or {@code profile} is
 * optional):
 *
 * <pre>
 * time-zone = "Asia/Tokyo"            # schedules are read in this zone; default: the JVM's
 * clients {                           # without this block every client may use every entry
 *   his-pcs     = ["10.10.0.0/16"]
 *   emr-servers = ["10.20.0.10", "10.20.0.11", "fd00:20::/64"]
 * }
 * entries {
 *   windows-update {
 *     profile   = windows-update      # a curated host list shipped with patchgate
 *     hosts     = ["download.example.com"]
 *     ports     = [80, 8080]          # for the entry's own hosts
 *     schemes   = [http, https]       # https = CONNECT tunnels
 *     methods   = [GET, HEAD]         # plain HTTP only
 *     paths     = ["/c/msdownload/"]  # plain HTTP only
 *     clients   = [his-pcs]
 *     schedule  = ["Mon-Fri 22:00-06:00", "Sat,Sun 00:00-24:00"]
 *     addresses = ["10.20.0.0/24"]    # non-public ranges the hosts may resolve into
 *     mode      = enforce             # or report
 *     sni-check = true
 *     kb-files  = false               # true: the patch report may read KB numbers from file names
 *   }
 * }
 * </pre>
 *
 * <p><b>Hosts.</b> A host pattern is an exact name, {@code *.example.com} (every name below
 * example.com at any depth, not example.com itself), or an IPv4 or IPv6 address; an address is
 * allowed only when the request names that very address. A {@code profile}'s hosts each bring their
 * own scheme and port; the entry's own {@code hosts} get each of its {@code schemes} (default both)
 * on its {@code ports} (default 80 for http, 443 for https; with {@code ports}, exactly those for
 * both).
 *
 * <p><b>Conditions.</b> {@code schemes}, {@code methods}, {@code paths}, {@code clients} and {@code
 * schedule} narrow every host of the entry, profile hosts included. {@code methods} (default GET
 * and HEAD) and {@code paths} apply to plain HTTP only: a CONNECT tunnel's path is encrypted and
 * cannot be checked, so an entry with {@code paths} must say in {@code schemes} whether tunnels to
 * its hosts pass unchecked ({@code [http, https]}) or not at all ({@code [http]}). A path prefix
 * matches on segment boundaries and never looks at the query. {@code clients} names groups of the
 * {@code clients} block (default: every registered client). {@code schedule} lists weekly windows
 * in {@code time-zone}; a window crossing midnight belongs to the day it starts.
 *
 * <p><b>Clients.</b> With a {@code clients} block, a client in no group is denied ({@link
 * Decision#UNREGISTERED_CLIENT}). Without one, every client may use every entry.
 *
 * <p><b>Deciding.</b> The first entry in file order that permits a request allows it. When none
 * does, the entries naming the host are ranked by how far they got in the order of checks:
 * registered client, client group, scheme, port, method, path, schedule. The request is denied with
 * the reason of the furthest (ties to file order), unless an entry in {@code mode = report} names
 * the host: then the furthest such entry lets it through with {@link Decision#wouldDeny()} and that
 * reason, so a new restriction can be watched in the audit log before it is enforced.
 *
 * <p><b>Addresses.</b> The proxy asks {@link Decision#addressRefusal} about every address an
 * allowed host resolves to: only public addresses pass, unless the entry's {@code addresses} cover
 * them (see {@link AddressClass}). For CONNECT it checks the TLS SNI unless the entry says {@code
 * sni-check = false} ({@link Decision#sniCheck()}).
 *
 * <p>Immutable and thread-safe: {@link #decide} may be called from any number of threads, and a
 * reload builds a new instance.
 */
public final class Allowlist {
  private static final Allowlist DENY_ALL =
      new Allowlist(List.of(), null, Map.of(), ZoneId.systemDefault(), "");

  private final List<Entry> entries;
  private final List<String> entryNames;
  private final ClientGroups groups;
  // Group names to the limits they set, in file order; empty when the file sets none.
  private final Map<String, ClientLimits> limits;
  private final ZoneId zone;
  private final String fileName;

  /** Exact hosts (names and addresses) to the bindings naming them, in file order. */
  private final Map<String, Binding[]> exact;

  /** Wildcard suffixes ("example.com" for "*.example.com") to their bindings, in file order. */
  private final Map<String, Binding[]> wildcards;

  /**
   * @param groups the client groups; null when the file has no {@code clients} block
   * @param limits group names to the limits they set (only groups of {@code groups})
   */
  Allowlist(
      List<Entry> entries,
      ClientGroups groups,
      Map<String, ClientLimits> limits,
      ZoneId zone,
      String fileName) {
    this.entries = List.copyOf(entries);
    this.entryNames = entries.stream().map(Entry::name).toList();
    this.groups = groups;
    this.limits = Collections.unmodifiableMap(new LinkedHashMap<>(limits));
    this.zone = zone;
    this.fileName = fileName;
    Map<String, List<Binding>> exactLists = new HashMap<>(entries.size() * 2);
    Map<String, List<Binding>> wildcardLists = new HashMap<>();
    for (Entry entry : entries) {
      for (Binding binding : entry.bindings()) {
        HostPattern pattern = binding.pattern();
        Map<String, List<Binding>> index = pattern.wildcard() ? wildcardLists : exactLists;
        index.computeIfAbsent(pattern.host(), k -> new ArrayList<>(1)).add(binding);
      }
    }
    this.exact = freeze(exactLists);
    this.wildcards = freeze(wildcardLists);
  }

  /**
   * Reads and validates an allowlist file (UTF-8 HOCON), with patchgate's shipped profiles and the
   * JVM's time zone as the default.
   *
   * @param file the file; its path as given is quoted in problems
   * @return the allowlist; one that denies everything when the file has no entries
   * @throws AllowlistException listing every problem in the file; a missing or unreadable file is
   *     one problem on line 0. Never any other exception for bad content.
   */
  public static Allowlist load(Path file) throws AllowlistException {
    String name = file.toString();
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw fileProblem(name, "file not found; check the path or create the file");
    } catch (AccessDeniedException e) {
      throw fileProblem(name, "permission denied; make the file readable by patchgate's user");
    } catch (CharacterCodingException e) {
      throw fileProblem(name, "not valid UTF-8; save the file as UTF-8");
    } catch (IOException e) {
      String cause = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw fileProblem(
          name, "cannot read the file (" + cause + "); check that it is a readable file");
    }
    return parse(text, name);
  }

  /**
   * Parses and validates allowlist text, as {@link #load} does for a file's contents.
   *
   * @param hocon the text
   * @param fileName the name to quote in problems
   * @throws AllowlistException listing every problem found, sorted by line
   * @throws NullPointerException if either argument is null
   */
  public static Allowlist parse(String hocon, String fileName) throws AllowlistException {
    return parse(hocon, fileName, ProfileCatalog.shipped(), ZoneId.systemDefault());
  }

  /**
   * As {@link #parse(String, String)}, with the profiles and the default zone given: the seam for
   * tests that must not depend on the shipped profiles or the machine's zone.
   */
  static Allowlist parse(String hocon, String fileName, ProfileCatalog profiles, ZoneId defaultZone)
      throws AllowlistException {
    if (hocon == null || fileName == null) {
      throw new NullPointerException(hocon == null ? "hocon" : "fileName");
    }
    // Notepad, which many hospital administrators will use, saves UTF-8 with a byte-order mark.
    String text = hocon.startsWith("\uFEFF") ? hocon.substring(1) : hocon;
    return AllowlistReader.read(text, fileName, profiles, defaultZone);
  }

  /**
   * An allowlist with no entries and no client groups: every request is denied with {@link
   * Decision#HOST_NOT_ALLOWED}.
   */
  public static Allowlist denyAll() {
    return DENY_ALL;
  }

  /**
   * Decides whether a request may pass; see the class comment for the rules.
   *
   * <p>Pure: no I/O, never throws (a null request is denied with {@link Decision#NO_REQUEST}),
   * thread-safe. Its cost grows with the number of labels in the host and the number of entries
   * naming that host, not with the size of the file: exact hosts are one map lookup, and wildcards
   * are found by looking up each suffix of the host ({@code a.b.example.com}: {@code
   * b.example.com}, {@code example.com}).
   */
  public Decision decide(AccessRequest request) {
    if (request == null) {
      return Decision.deny(Decision.NO_REQUEST);
    }
    Evaluation evaluation = new Evaluation(request, groups, zone);
    lookUp(request.target().host(), evaluation::consider);
    return evaluation.decision();
  }

  /**
   * Hands {@code sink} the bindings of every host pattern that may cover the canonical {@code
   * host}, each array (null for none) sorted by file order: the exact host's, then each suffix's
   * wildcards ({@code a.b.example.com}: {@code b.example.com}, {@code example.com}).
   */
  private void lookUp(String host, Consumer<Binding[]> sink) {
    sink.accept(exact.get(host));
    if (wildcards.isEmpty() || HostSyntax.isIpLiteral(host)) {
      return;
    }
    // A wildcard covers at least two labels, so the last label alone is never looked up.
    int dot = host.indexOf('.');
    while (dot >= 0) {
      int next = host.indexOf('.', dot + 1);
      if (next < 0) {
        break;
      }
      sink.accept(wildcards.get(host.substring(dot + 1)));
      dot = next;
    }
  }

  /**
   * Decides as {@link #decide} does, and says why in lines for the administrator: the entry that
   * allowed the request, or the one that came closest and what differed (port, scheme, method,
   * path, client group, schedule), or for a host no entry names the entry with the nearest host
   * pattern. Slower than {@code decide} (it scans every entry); meant for a command, not the
   * request path.
   *
   * @param request the request; null gives the {@link Decision#NO_REQUEST} denial
   */
  public Explanation explain(AccessRequest request) {
    return Explainer.explain(this, request);
  }

  /** The zone in which schedules are read. */
  public ZoneId timeZone() {
    return zone;
  }

  /** The number of entries. */
  public int size() {
    return entries.size();
  }

  /** The entry names in file order; unmodifiable. */
  public List<String> entryNames() {
    return entryNames;
  }

  /** Each entry in words, in file order: what a console lists, never what decides. */
  public List<EntryView> entryViews() {
    return entries.stream().map(EntryView::of).toList();
  }

  /**
   * The client groups of the {@code clients} block in file order, each with its address ranges;
   * empty when the file has none (every client may then use every entry).
   */
  public Map<String, List<String>> clientGroups() {
    return groups == null ? Map.of() : groups.asText();
  }

  /**
   * The names of the entries with a host pattern covering {@code host}, in file order: whom a
   * denial to that host concerns, since a denied record names no entry. {@code host} is normalised
   * as the audit record holds it (lower case, no trailing dot). Cheap: the host index, as {@link
   * #decide} uses it. Pure and thread-safe.
   */
  public List<String> entriesNaming(String host) {
    List<Binding> found = new ArrayList<>();
    lookUp(
        host,
        bindings -> {
          if (bindings != null) {
            found.addAll(Arrays.asList(bindings));
          }
        });
    return found.stream()
        .map(Binding::entry)
        .distinct()
        .sorted(Comparator.comparingInt(Entry::order))
        .map(Entry::name)
        .toList();
  }

  /** The entries in file order, for explanations and for tests that check the index. */
  List<Entry> entries() {
    return entries;
  }

  /**
   * The limits the file's {@code limits} block sets for {@code client} through its client groups,
   * the most generous of each where several of its groups set one; {@link ClientLimits#NONE} when
   * none does (the gateway's own limits apply). Cheap when the file sets no limits.
   */
  public ClientLimits limitsFor(InetAddress client) {
    if (limits.isEmpty() || groups == null) {
      return ClientLimits.NONE;
    }
    ClientLimits result = ClientLimits.NONE;
    for (String group : groups.namesOf(groups.groupsOf(client))) {
      ClientLimits set = limits.get(group);
      if (set != null) {
        result = result.orMoreGenerous(set);
      }
    }
    return result;
  }

  /**
   * The names of the file's client groups in file order; empty when it has no {@code clients}
   * block. Public for the audit reports, which group clients as the policy does.
   */
  public List<String> clientGroupNames() {
    return groups == null ? List.of() : groups.names();
  }

  /**
   * The client groups {@code client} is in, in file order; empty when it is in none or the file has
   * no {@code clients} block. The same matching as {@link #decide} (IPv4, IPv6 and IPv4-mapped
   * addresses).
   */
  public List<String> clientGroupsOf(InetAddress client) {
    return groups == null ? List.of() : groups.namesOf(groups.groupsOf(client));
  }

  /** The client groups; null when the file has none. */
  ClientGroups groups() {
    return groups;
  }

  String fileName() {
    return fileName;
  }

  /**
   * The index as arrays. A plain HashMap, never modified after the constructor and published
   * through a final field: an immutable copy would cost a second pass over 100,000 keys.
   */
  private static Map<String, Binding[]> freeze(Map<String, List<Binding>> lists) {
    Map<String, Binding[]> frozen = new HashMap<>(lists.size() * 4 / 3 + 1);
    lists.forEach((host, named) -> frozen.put(host, named.toArray(new Binding[0])));
    return frozen;
  }

  private static AllowlistException fileProblem(String file, String message) {
    return new AllowlistException(List.of(new Problem(file, 0, message)));
  }
}
