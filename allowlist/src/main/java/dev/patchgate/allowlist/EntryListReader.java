package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.AllowlistReader.quote;
import static dev.patchgate.allowlist.EntryKeys.ADDRESSES;
import static dev.patchgate.allowlist.EntryKeys.CLIENTS;
import static dev.patchgate.allowlist.EntryKeys.HOSTS;
import static dev.patchgate.allowlist.EntryKeys.HOSTS_EXAMPLE;
import static dev.patchgate.allowlist.EntryKeys.METHODS;
import static dev.patchgate.allowlist.EntryKeys.PATHS;
import static dev.patchgate.allowlist.EntryKeys.PORTS;
import static dev.patchgate.allowlist.EntryKeys.SCHEDULE;
import static dev.patchgate.allowlist.EntryKeys.SCHEMES;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads and validates the list-valued keys of an entry ({@code hosts}, {@code ports}, {@code
 * schemes}, {@code methods}, {@code paths}, {@code clients}, {@code schedule}, {@code addresses}):
 * each element on its own, each problem recorded with the element's line, and the key's default
 * when it is absent or unusable.
 *
 * <p>Every method takes the entry's name as quoted in messages and the key's value (null when the
 * key is absent). Schedules repeated across entries are compiled once. Not thread-safe; one per
 * file read.
 */
final class EntryListReader {
  private static final String PORTS_EXAMPLE = "ports = [8080]";
  private static final List<String> METHOD_NAMES = List.of("GET", "HEAD");

  private final FileProblems problems;
  private final Set<String> groupNames;
  private final Set<String> checkedWindows = new HashSet<>();
  private final Map<List<String>, Schedule> schedules = new HashMap<>();

  /**
   * @param groupNames every group name the file defines (problems or not), null without a {@code
   *     clients} block
   */
  EntryListReader(FileProblems problems, Set<String> groupNames) {
    this.problems = problems;
    this.groupNames = groupNames;
  }

  /**
   * The value of {@code key} as a list; null (a problem recorded, or the key absent) means the
   * caller's default. See {@link FileProblems#list}.
   */
  private ConfigList list(
      String entry, String key, ConfigValue value, String example, String emptyFix) {
    return problems.list(value, "'" + key + "' in entry " + entry, example, emptyFix);
  }

  List<HostPattern> readHosts(String entry, ConfigValue value) {
    ConfigList list =
        list(entry, HOSTS, value, HOSTS_EXAMPLE, "list at least one, e.g. " + HOSTS_EXAMPLE);
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

  int[] readPorts(String entry, ConfigValue value) {
    ConfigList list =
        list(
            entry,
            PORTS,
            value,
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

  Set<Scheme> readSchemes(String entry, ConfigValue value) {
    Set<Scheme> schemes = EnumSet.allOf(Scheme.class);
    ConfigList list =
        list(
            entry,
            SCHEMES,
            value,
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

  Set<String> readMethods(String entry, ConfigValue value) {
    Set<String> methods = new LinkedHashSet<>(METHOD_NAMES);
    ConfigList list =
        list(
            entry,
            METHODS,
            value,
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

  PathPrefixes readPaths(String entry, ConfigValue value) {
    ConfigList list =
        list(
            entry,
            PATHS,
            value,
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

  List<String> readClients(String entry, ConfigValue value) {
    ConfigList list =
        list(
            entry,
            CLIENTS,
            value,
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

  Schedule readSchedule(String entry, ConfigValue value) {
    ConfigList list =
        list(
            entry,
            SCHEDULE,
            value,
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

  List<Cidr> readAddresses(String entry, ConfigValue value) {
    ConfigList list =
        list(
            entry,
            ADDRESSES,
            value,
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
}
