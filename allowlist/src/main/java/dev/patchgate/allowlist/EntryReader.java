package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.AllowlistReader.quote;
import static dev.patchgate.allowlist.EntryKeys.ADDRESSES;
import static dev.patchgate.allowlist.EntryKeys.CLIENTS;
import static dev.patchgate.allowlist.EntryKeys.HOSTS;
import static dev.patchgate.allowlist.EntryKeys.HOSTS_EXAMPLE;
import static dev.patchgate.allowlist.EntryKeys.KB_FILES;
import static dev.patchgate.allowlist.EntryKeys.KEYS;
import static dev.patchgate.allowlist.EntryKeys.METHODS;
import static dev.patchgate.allowlist.EntryKeys.MIRROR;
import static dev.patchgate.allowlist.EntryKeys.MIRROR_DROP_QUERY;
import static dev.patchgate.allowlist.EntryKeys.MIRROR_MAX_AGE;
import static dev.patchgate.allowlist.EntryKeys.MODE;
import static dev.patchgate.allowlist.EntryKeys.PATHS;
import static dev.patchgate.allowlist.EntryKeys.PORTS;
import static dev.patchgate.allowlist.EntryKeys.PROFILE;
import static dev.patchgate.allowlist.EntryKeys.SCHEDULE;
import static dev.patchgate.allowlist.EntryKeys.SCHEMES;
import static dev.patchgate.allowlist.EntryKeys.SNI_CHECK;
import static dev.patchgate.allowlist.EntryKeys.UPSTREAM;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one entry of the allowlist file: checks its name and keys, has each key read ({@link
 * EntryOptionReader} for the single values, {@link EntryListReader} for the lists), refuses the
 * combinations that cannot mean what the administrator wants, and builds the {@link Entry}.
 * Problems go to the file's {@link FileProblems}; an entry with any problem is not built.
 *
 * <p>Not thread-safe; one per file read.
 */
final class EntryReader {
  private static final int DEFAULT_HTTP_PORT = 80;
  private static final int DEFAULT_CONNECT_PORT = 443;

  private final FileProblems problems;
  private final ClientGroups groups;
  private final EntryOptionReader options;
  private final EntryListReader lists;

  /**
   * @param groups the file's client groups, or null when it has no {@code clients} block
   * @param groupNames every group name the file defines (problems or not), null without a block
   */
  EntryReader(
      FileProblems problems, ClientGroups groups, Set<String> groupNames, ProfileCatalog profiles) {
    this.problems = problems;
    this.groups = groups;
    this.options = new EntryOptionReader(problems, profiles);
    this.lists = new EntryListReader(problems, groupNames);
  }

  /** The entry, or null when it has problems (which are recorded). */
  Entry read(String name, ConfigValue value, int order) {
    int before = problems.count();
    String entry = quote(name);
    if (!AllowlistReader.NAME.matcher(name).matches()) {
      problems.add(
          value.origin(),
          "entry name "
              + entry
              + " may contain only letters, digits, '-' and '_' (at most 64), e.g. windows-update");
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          value.origin(),
          "entry " + entry + " must be an object, e.g. " + name + " { " + HOSTS_EXAMPLE + " }");
      return null;
    }
    ConfigObject fields = (ConfigObject) value;
    for (Map.Entry<String, ConfigValue> field : FileProblems.inFileOrder(fields)) {
      String key = field.getKey();
      if (!KEYS.contains(key)) {
        problems.add(
            field.getValue().origin(),
            "unknown key "
                + quote(key)
                + " in entry "
                + entry
                + " (expected one of: "
                + String.join(", ", KEYS)
                + ")"
                + Suggestions.didYouMean(key, KEYS));
      }
    }
    ConfigValue schemesValue = fields.get(SCHEMES);
    Set<Scheme> schemes = lists.readSchemes(entry, schemesValue);
    Profile profile = options.readProfile(entry, fields.get(PROFILE));
    List<HostPattern> ownHosts = lists.readHosts(entry, fields.get(HOSTS));
    if (fields.get(PROFILE) == null && fields.get(HOSTS) == null) {
      problems.add(
          value.origin(),
          "entry "
              + entry
              + " has neither '"
              + HOSTS
              + "' nor '"
              + PROFILE
              + "'; add e.g. "
              + HOSTS_EXAMPLE
              + " or profile = windows-update");
    }
    int[] ports = lists.readPorts(entry, fields.get(PORTS));
    if (fields.get(PORTS) != null && fields.get(HOSTS) == null && fields.get(PROFILE) != null) {
      problems.add(
          fields.get(PORTS).origin(),
          "'"
              + PORTS
              + "' in entry "
              + entry
              + " applies to the entry's own hosts, and it has none: a profile's hosts bring"
              + " their own ports; remove 'ports' or add 'hosts'");
    }
    Set<String> methods = lists.readMethods(entry, fields.get(METHODS));
    PathPrefixes paths = lists.readPaths(entry, fields.get(PATHS));
    List<String> clients = lists.readClients(entry, fields.get(CLIENTS));
    Schedule schedule = lists.readSchedule(entry, fields.get(SCHEDULE));
    List<Cidr> addresses = lists.readAddresses(entry, fields.get(ADDRESSES));
    boolean report = options.readMode(entry, fields.get(MODE));
    boolean sniCheck = options.readBoolean(entry, SNI_CHECK, fields.get(SNI_CHECK), true);
    MirrorPolicy mirror =
        new MirrorPolicy(
            options.readBoolean(entry, MIRROR, fields.get(MIRROR), true),
            options.readBoolean(entry, MIRROR_DROP_QUERY, fields.get(MIRROR_DROP_QUERY), false),
            options.readMaxAge(entry, fields.get(MIRROR_MAX_AGE)));
    boolean kbFiles = options.readBoolean(entry, KB_FILES, fields.get(KB_FILES), false);
    Upstream upstream = options.readUpstream(entry, fields.get(UPSTREAM));
    checkPlainHttpOnly(entry, fields, schemes, schemesValue != null);
    Map<HostRule, Map<Scheme, Set<Integer>>> hosts = new LinkedHashMap<>();
    for (HostPattern host : ownHosts) {
      Map<Scheme, Set<Integer>> byScheme = portsOf(hosts, HostRule.anyPath(host));
      for (Scheme scheme : schemes) {
        Set<Integer> allowed = byScheme.computeIfAbsent(scheme, s -> new TreeSet<>());
        if (ports.length == 0) {
          allowed.add(scheme == Scheme.HTTPS ? DEFAULT_CONNECT_PORT : DEFAULT_HTTP_PORT);
        } else {
          Arrays.stream(ports).forEach(allowed::add);
        }
      }
    }
    if (profile != null) {
      addProfileHosts(entry, profile, fields.get(PROFILE).origin(), schemes, hosts);
    }
    if (problems.count() > before) {
      return null;
    }
    EntryRules rules =
        new EntryRules(
            schemes, methods, paths, clients, schedule, addresses, report, sniCheck, mirror,
            kbFiles, upstream);
    long[] clientSet = clients == null ? null : groups.setOf(clients);
    return new Entry(name, order, FileProblems.lineOf(value.origin()), hosts, rules, clientSet);
  }

  private static Map<Scheme, Set<Integer>> portsOf(
      Map<HostRule, Map<Scheme, Set<Integer>>> hosts, HostRule rule) {
    return hosts.computeIfAbsent(rule, h -> new EnumMap<>(Scheme.class));
  }

  /**
   * A profile's rules: each host pattern keeps its own scheme and port, narrowed by the entry's
   * {@code schemes}; a path-restricted rule becomes a binding of its own, so its host is never
   * opened beyond those paths. A rule narrowed away still names its host, so a request to it is
   * refused for its scheme, not as an unknown host.
   */
  private void addProfileHosts(
      String entry,
      Profile profile,
      ConfigOrigin origin,
      Set<Scheme> schemes,
      Map<HostRule, Map<Scheme, Set<Integer>>> hosts) {
    for (ProfileHost rule : profile.allRules()) {
      String badPath = null;
      for (String path : rule.paths()) {
        String problem = PathPrefixes.problemWith(path);
        if (problem != null && badPath == null) {
          badPath = quote(path) + ": " + problem;
        }
      }
      if (badPath != null) {
        // Shipped data, not the administrator's: say so rather than send them hunting.
        problems.add(
            origin,
            "entry "
                + entry
                + ": profile "
                + quote(profile.name())
                + " has an invalid path "
                + badPath
                + "; this is a fault in patchgate's profile, please report it");
        continue;
      }
      Map<Scheme, Set<Integer>> byScheme =
          portsOf(hosts, new HostRule(rule.hostPattern(), rule.paths()));
      if (schemes.contains(rule.scheme())) {
        byScheme.computeIfAbsent(rule.scheme(), s -> new TreeSet<>()).add(rule.port());
      }
    }
  }

  /** Keys that only mean something for plain HTTP, or only for CONNECT, against the schemes. */
  private void checkPlainHttpOnly(
      String entry, ConfigObject fields, Set<Scheme> schemes, boolean schemesGiven) {
    for (String key : List.of(METHODS, PATHS)) {
      checkOnlyFor(
          entry,
          fields,
          schemes,
          key,
          Scheme.HTTP,
          "plain HTTP only",
          "remove '" + key + "' or add http to 'schemes'");
    }
    ConfigValue paths = fields.get(PATHS);
    if (paths != null && !schemesGiven) {
      problems.add(
          paths.origin(),
          "entry "
              + entry
              + ": 'paths' can be checked on plain HTTP only (a CONNECT tunnel hides the path);"
              + " add schemes = [http] to serve plain HTTP only, or schemes = [http, https] to let"
              + " tunnels to these hosts through without a path check");
    }
    for (String key : List.of(MIRROR, MIRROR_DROP_QUERY, MIRROR_MAX_AGE)) {
      checkOnlyFor(
          entry,
          fields,
          schemes,
          key,
          Scheme.HTTP,
          "plain HTTP downloads only (tunnels are never mirrored)",
          "remove it");
    }
    checkOnlyFor(
        entry,
        fields,
        schemes,
        KB_FILES,
        Scheme.HTTP,
        "plain HTTP downloads only (the patch report reads KB numbers from the file names of"
            + " plain-HTTP URLs)",
        "remove it");
    checkOnlyFor(
        entry, fields, schemes, SNI_CHECK, Scheme.HTTPS, "CONNECT tunnels only", "remove it");
  }

  /**
   * Records a problem when {@code key} is set although the entry's schemes leave out {@code
   * needed}, the only scheme it applies to: "'key' applies to {@code appliesTo}, but the entry's
   * schemes are [the other one]; {@code fix}".
   */
  private void checkOnlyFor(
      String entry,
      ConfigObject fields,
      Set<Scheme> schemes,
      String key,
      Scheme needed,
      String appliesTo,
      String fix) {
    ConfigValue value = fields.get(key);
    if (value == null || schemes.contains(needed)) {
      return;
    }
    String others = needed == Scheme.HTTP ? "[https]" : "[http]";
    problems.addForKey(
        value,
        entry,
        key,
        "applies to " + appliesTo + ", but the entry's schemes are " + others + "; " + fix);
  }
}
