package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.AllowlistReader.quote;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one entry of the allowlist file: every key, its defaults, and the combinations that cannot
 * mean what the administrator wants. Problems go to the file's {@link FileProblems}; an entry with
 * any problem is not built.
 *
 * <p>Not thread-safe; one per file read.
 */
final class EntryReader {
  static final String PROFILE = "profile";
  static final String HOSTS = "hosts";
  static final String PORTS = "ports";
  static final String SCHEMES = "schemes";
  static final String METHODS = "methods";
  static final String PATHS = "paths";
  static final String CLIENTS = "clients";
  static final String SCHEDULE = "schedule";
  static final String ADDRESSES = "addresses";
  static final String MODE = "mode";
  static final String SNI_CHECK = "sni-check";
  static final String MIRROR = "mirror";
  static final String MIRROR_DROP_QUERY = "mirror-drop-query";
  static final String MIRROR_MAX_AGE = "mirror-max-age";
  static final String KB_FILES = "kb-files";
  static final List<String> KEYS =
      List.of(
          PROFILE,
          HOSTS,
          PORTS,
          SCHEMES,
          METHODS,
          PATHS,
          CLIENTS,
          SCHEDULE,
          ADDRESSES,
          MODE,
          SNI_CHECK,
          MIRROR,
          MIRROR_DROP_QUERY,
          MIRROR_MAX_AGE,
          KB_FILES);

  static final String HOSTS_EXAMPLE = "hosts = [\"updates.example.com\"]";
  private static final String PORTS_EXAMPLE = "ports = [8080]";
  private static final int DEFAULT_HTTP_PORT = 80;
  private static final int DEFAULT_CONNECT_PORT = 443;
  private static final List<String> METHOD_NAMES = List.of("GET", "HEAD");

  private final FileProblems problems;
  private final ClientGroups groups;
  private final Set<String> groupNames;
  private final ProfileCatalog profiles;
  private final Map<String, Optional<Profile>> profileCache = new HashMap<>();
  private final Set<String> checkedWindows = new HashSet<>();
  private final Map<List<String>, Schedule> schedules = new HashMap<>();

  /**
   * @param groups the file's client groups, or null when it has no {@code clients} block
   * @param groupNames every group name the file defines (problems or not), null without a block
   */
  EntryReader(
      FileProblems problems, ClientGroups groups, Set<String> groupNames, ProfileCatalog profiles) {
    this.problems = problems;
    this.groups = groups;
    this.groupNames = groupNames;
    this.profiles = profiles;
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
    Set<Scheme> schemes = readSchemes(entry, schemesValue);
    Profile profile = readProfile(entry, fields.get(PROFILE));
    List<HostPattern> ownHosts = readHosts(entry, fields.get(HOSTS));
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
    int[] ports = readPorts(entry, fields.get(PORTS));
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
    Set<String> methods = readMethods(entry, fields.get(METHODS));
    PathPrefixes paths = readPaths(entry, fields.get(PATHS));
    List<String> clients = readClients(entry, fields.get(CLIENTS));
    Schedule schedule = readSchedule(entry, fields.get(SCHEDULE));
    List<Cidr> addresses = readAddresses(entry, fields.get(ADDRESSES));
    boolean report = readMode(entry, fields.get(MODE));
    boolean sniCheck = readBoolean(entry, SNI_CHECK, fields.get(SNI_CHECK), true);
    MirrorPolicy mirror =
        new MirrorPolicy(
            readBoolean(entry, MIRROR, fields.get(MIRROR), true),
            readBoolean(entry, MIRROR_DROP_QUERY, fields.get(MIRROR_DROP_QUERY), false),
            readMaxAge(entry, fields.get(MIRROR_MAX_AGE)));
    boolean kbFiles = readBoolean(entry, KB_FILES, fields.get(KB_FILES), false);
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
            kbFiles);
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

  private Profile readProfile(String entry, ConfigValue value) {
    if (value == null) {
      return null;
    }
    String name = FileProblems.render(value);
    if (value.valueType() != ConfigValueType.STRING) {
      problems.add(
          value.origin(),
          "'"
              + PROFILE
              + "' in entry "
              + entry
              + " must be one profile name, not "
              + quote(name)
              + ", e.g. profile = windows-update");
      return null;
    }
    Optional<Profile> profile;
    try {
      profile = profileCache.computeIfAbsent(name, profiles::find);
    } catch (IllegalStateException e) {
      problems.add(
          value.origin(),
          "entry "
              + entry
              + ": cannot read patchgate's shipped profiles ("
              + e.getMessage()
              + "); this is a fault in patchgate, please report it");
      return null;
    }
    if (profile.isPresent()) {
      return profile.get();
    }
    List<String> known = profiles.names();
    problems.add(
        value.origin(),
        "entry "
            + entry
            + ": unknown profile "
            + quote(name)
            + (known.isEmpty()
                ? " (this patchgate ships no profiles; list the hosts instead)"
                : " (known profiles: " + String.join(", ", known) + ")")
            + Suggestions.didYouMean(name, known));
    return null;
  }

  private List<HostPattern> readHosts(String entry, ConfigValue value) {
    ConfigList list =
        problems.list(
            value,
            "'" + HOSTS + "' in entry " + entry,
            HOSTS_EXAMPLE,
            "list at least one, e.g. " + HOSTS_EXAMPLE);
    if (list == null) {
      return List.of();
    }
    List<HostPattern> hosts = new ArrayList<>();
    for (ConfigValue element : list) {
      if (element.valueType() != ConfigValueType.STRING) {
        problems.add(
            element.origin(),
            "entry "
                + entry
                + ": host "
                + quote(FileProblems.render(element))
                + " must be a quoted string, e.g. \"updates.example.com\"");
        continue;
      }
      String text = (String) element.unwrapped();
      try {
        hosts.add(HostPattern.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(
            element.origin(), "entry " + entry + ": host " + quote(text) + ": " + e.getMessage());
      }
    }
    return hosts;
  }

  private int[] readPorts(String entry, ConfigValue value) {
    ConfigList list =
        problems.list(
            value,
            "'" + PORTS + "' in entry " + entry,
            PORTS_EXAMPLE,
            "remove it to allow the defaults (80 for http, 443 for CONNECT) or list the ports,"
                + " e.g. "
                + PORTS_EXAMPLE);
    if (list == null) {
      return new int[0];
    }
    int[] ports = new int[list.size()];
    int count = 0;
    for (ConfigValue element : list) {
      String where = "entry " + entry + ": port " + quote(FileProblems.render(element));
      if (element.valueType() == ConfigValueType.STRING) {
        problems.add(
            element.origin(), where + " must be a number without quotes, e.g. " + PORTS_EXAMPLE);
        continue;
      }
      Object number = element.unwrapped();
      if (!(number instanceof Integer || number instanceof Long)) {
        problems.add(element.origin(), where + " must be a whole number from 1 to 65535");
        continue;
      }
      long port = ((Number) number).longValue();
      if (port < 1 || port > 65535) {
        problems.add(element.origin(), where + " is outside 1..65535");
        continue;
      }
      ports[count++] = (int) port;
    }
    return Arrays.copyOf(ports, count);
  }

  private Set<Scheme> readSchemes(String entry, ConfigValue value) {
    Set<Scheme> schemes = EnumSet.allOf(Scheme.class);
    ConfigList list =
        problems.list(
            value,
            "'" + SCHEMES + "' in entry " + entry,
            "schemes = [http]",
            "remove it to allow both, or list them, e.g. schemes = [http]");
    if (list == null) {
      return schemes;
    }
    schemes = EnumSet.noneOf(Scheme.class);
    for (ConfigValue element : list) {
      String text = FileProblems.render(element);
      switch (text.toLowerCase(Locale.ROOT)) {
        case "http":
          schemes.add(Scheme.HTTP);
          break;
        case "https":
          schemes.add(Scheme.HTTPS);
          break;
        default:
          problems.add(
              element.origin(),
              "entry "
                  + entry
                  + ": scheme "
                  + quote(text)
                  + " is not one of: http, https (https means CONNECT tunnels)");
      }
    }
    return schemes.isEmpty() ? EnumSet.allOf(Scheme.class) : schemes;
  }

  private Set<String> readMethods(String entry, ConfigValue value) {
    Set<String> methods = new LinkedHashSet<>(METHOD_NAMES);
    ConfigList list =
        problems.list(
            value,
            "'" + METHODS + "' in entry " + entry,
            "methods = [GET]",
            "remove it to allow GET and HEAD, or list them, e.g. methods = [GET]");
    if (list == null) {
      return methods;
    }
    methods.clear();
    for (ConfigValue element : list) {
      String text = FileProblems.render(element);
      String method = text.toUpperCase(Locale.ROOT);
      if (METHOD_NAMES.contains(method)) {
        methods.add(method);
      } else if (method.equals("CONNECT")) {
        problems.add(
            element.origin(),
            "entry "
                + entry
                + ": method "
                + quote(text)
                + " is not one of: GET, HEAD; tunnels are allowed with schemes = [https]");
      } else {
        problems.add(
            element.origin(),
            "entry "
                + entry
                + ": method "
                + quote(text)
                + " is not one of: GET, HEAD (patchgate answers every other method with 405)");
      }
    }
    return methods;
  }

  private PathPrefixes readPaths(String entry, ConfigValue value) {
    ConfigList list =
        problems.list(
            value,
            "'" + PATHS + "' in entry " + entry,
            "paths = [\"/c/msdownload/\"]",
            "remove it to allow every path, or list prefixes, e.g. paths = [\"/c/msdownload/\"]");
    if (list == null) {
      return null;
    }
    List<String> prefixes = new ArrayList<>();
    for (ConfigValue element : list) {
      String text = FileProblems.render(element);
      String problem = PathPrefixes.problemWith(text);
      if (problem != null) {
        problems.add(element.origin(), "entry " + entry + ": path " + quote(text) + ": " + problem);
      } else {
        prefixes.add(text);
      }
    }
    return new PathPrefixes(prefixes);
  }

  private List<String> readClients(String entry, ConfigValue value) {
    ConfigList list =
        problems.list(
            value,
            "'" + CLIENTS + "' in entry " + entry,
            "clients = [his-pcs]",
            "remove it to serve every registered client, or list groups, e.g. clients = [his-pcs]");
    if (list == null) {
      return null;
    }
    List<String> clients = new ArrayList<>();
    for (ConfigValue element : list) {
      String name = FileProblems.render(element);
      if (groupNames == null) {
        problems.add(
            element.origin(),
            "entry "
                + entry
                + ": client group "
                + quote(name)
                + " is not defined: the file has no clients { } block; add one, e.g. clients { "
                + (AllowlistReader.NAME.matcher(name).matches() ? name : "his-pcs")
                + " = [\"10.10.0.0/16\"] }");
      } else if (!groupNames.contains(name)) {
        problems.add(
            element.origin(),
            "entry "
                + entry
                + ": unknown client group "
                + quote(name)
                + " (known groups: "
                + String.join(", ", groupNames)
                + ")"
                + Suggestions.didYouMean(name, groupNames));
      } else if (!clients.contains(name)) {
        clients.add(name);
      }
    }
    return clients;
  }

  private Schedule readSchedule(String entry, ConfigValue value) {
    ConfigList list =
        problems.list(
            value,
            "'" + SCHEDULE + "' in entry " + entry,
            "schedule = [\"Mon-Fri 22:00-06:00\"]",
            "remove it to allow every hour, or list windows,"
                + " e.g. schedule = [\"Mon-Fri 22:00-06:00\"]");
    if (list == null) {
      return null;
    }
    List<String> windows = new ArrayList<>();
    for (ConfigValue element : list) {
      String text = FileProblems.render(element);
      try {
        if (!checkedWindows.contains(text)) {
          Schedule.checkWindow(text);
          checkedWindows.add(text);
        }
        windows.add(text.trim().replaceAll("\\s+", " "));
      } catch (IllegalArgumentException e) {
        problems.add(
            element.origin(),
            "entry " + entry + ": schedule " + quote(text) + ": " + e.getMessage());
      }
    }
    // Large files repeat a few schedules many times; entries share one compiled copy.
    return windows.isEmpty() ? null : schedules.computeIfAbsent(windows, Schedule::of);
  }

  private List<Cidr> readAddresses(String entry, ConfigValue value) {
    ConfigList list =
        problems.list(
            value,
            "'" + ADDRESSES + "' in entry " + entry,
            "addresses = [\"10.20.0.0/24\"]",
            "remove it, or list the internal ranges the hosts may resolve into,"
                + " e.g. addresses = [\"10.20.0.0/24\"]");
    if (list == null) {
      return List.of();
    }
    List<Cidr> ranges = new ArrayList<>();
    for (ConfigValue element : list) {
      String text = FileProblems.render(element);
      String where = "entry " + entry + ": address range " + quote(text) + ": ";
      try {
        Cidr range = Cidr.parse(text);
        if (range.prefix() == 0) {
          problems.add(
              element.origin(),
              where
                  + "this would switch the address check off for the entry; name the internal"
                  + " range its hosts resolve into, e.g. 10.20.0.0/24");
        } else {
          ranges.add(range);
        }
      } catch (IllegalArgumentException e) {
        problems.add(element.origin(), where + e.getMessage());
      }
    }
    return ranges;
  }

  private boolean readMode(String entry, ConfigValue value) {
    if (value == null) {
      return false;
    }
    String text = FileProblems.render(value);
    if (value.valueType() == ConfigValueType.STRING) {
      if (text.equals("enforce")) {
        return false;
      }
      if (text.equals("report")) {
        return true;
      }
    }
    problems.add(
        value.origin(),
        "entry "
            + entry
            + ": mode "
            + quote(text)
            + " is not one of: enforce, report (report lets requests through and records what"
            + " enforce would deny)");
    return false;
  }

  private boolean readBoolean(String entry, String key, ConfigValue value, boolean otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (value.valueType() != ConfigValueType.BOOLEAN) {
      problems.add(
          value.origin(),
          "entry "
              + entry
              + ": '"
              + key
              + "' must be true or false, not "
              + quote(FileProblems.render(value)));
      return otherwise;
    }
    return (Boolean) value.unwrapped();
  }

  private Optional<Duration> readMaxAge(String entry, ConfigValue value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      Duration age =
          ConfigFactory.empty().withValue(MIRROR_MAX_AGE, value).getDuration(MIRROR_MAX_AGE);
      if (!age.isNegative() && !age.isZero()) {
        return Optional.of(age);
      }
    } catch (ConfigException e) {
      // reported below
    }
    problems.add(
        value.origin(),
        "entry "
            + entry
            + ": '"
            + MIRROR_MAX_AGE
            + "' must be a positive duration such as 1h or 7d, not "
            + quote(FileProblems.render(value)));
    return Optional.empty();
  }

  /** Keys that only mean something for plain HTTP, or only for CONNECT, against the schemes. */
  private void checkPlainHttpOnly(
      String entry, ConfigObject fields, Set<Scheme> schemes, boolean schemesGiven) {
    for (String key : List.of(METHODS, PATHS)) {
      ConfigValue value = fields.get(key);
      if (value != null && !schemes.contains(Scheme.HTTP)) {
        problems.add(
            value.origin(),
            "entry "
                + entry
                + ": '"
                + key
                + "' applies to plain HTTP only, but the entry's schemes are [https];"
                + " remove '"
                + key
                + "' or add http to 'schemes'");
      }
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
      ConfigValue value = fields.get(key);
      if (value != null && !schemes.contains(Scheme.HTTP)) {
        problems.add(
            value.origin(),
            "entry "
                + entry
                + ": '"
                + key
                + "' applies to plain HTTP downloads only (tunnels are never mirrored), but the"
                + " entry's schemes are [https]; remove it");
      }
    }
    ConfigValue kbFiles = fields.get(KB_FILES);
    if (kbFiles != null && !schemes.contains(Scheme.HTTP)) {
      problems.add(
          kbFiles.origin(),
          "entry "
              + entry
              + ": '"
              + KB_FILES
              + "' applies to plain HTTP downloads only (the patch report reads KB numbers from"
              + " the file names of plain-HTTP URLs), but the entry's schemes are [https]; remove"
              + " it");
    }
    ConfigValue sni = fields.get(SNI_CHECK);
    if (sni != null && !schemes.contains(Scheme.HTTPS)) {
      problems.add(
          sni.origin(),
          "entry "
              + entry
              + ": '"
              + SNI_CHECK
              + "' applies to CONNECT tunnels only, but the entry's schemes are [http];"
              + " remove it");
    }
  }
}
