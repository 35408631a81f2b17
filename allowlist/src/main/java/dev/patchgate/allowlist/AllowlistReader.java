package dev.patchgate.allowlist;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Turns the text of an allowlist file into an {@link Allowlist}, collecting every problem instead
 * of stopping at the first, each with the line of the offending value, the value, and a fix. This
 * class reads the top level, the time zone and the client groups, and finds repeated definitions;
 * {@link EntryReader} reads each entry.
 *
 * <p>One reader per file; not thread-safe, and not meant to be kept.
 */
final class AllowlistReader {
  static final String TIME_ZONE = "time-zone";
  static final String CLIENTS = "clients";
  static final String ENTRIES = "entries";
  static final List<String> TOP_LEVEL_KEYS =
      List.of(TIME_ZONE, CLIENTS, LimitsReader.LIMITS, ENTRIES);

  /**
   * Entry and group names end up in audit records, reports and error pages; keeping them to
   * identifier characters means none of those has to worry about quoting them.
   */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final String GROUP_EXAMPLE = "clients { his-pcs = [\"10.10.0.0/16\"] }";

  private final String file;
  private final FileProblems problems;
  private final ProfileCatalog profiles;
  private final ZoneId defaultZone;

  private AllowlistReader(String file, ProfileCatalog profiles, ZoneId defaultZone) {
    this.file = file;
    this.problems = new FileProblems(file);
    this.profiles = profiles;
    this.defaultZone = defaultZone;
  }

  /**
   * Reads and validates a whole file.
   *
   * @param hocon the file's text
   * @param file the name to quote in problems
   * @param profiles where {@code profile = NAME} is looked up
   * @param defaultZone the zone for schedules when the file names none
   * @throws AllowlistException listing every problem found, sorted by line
   */
  static Allowlist read(String hocon, String file, ProfileCatalog profiles, ZoneId defaultZone)
      throws AllowlistException {
    AllowlistReader reader = new AllowlistReader(file, profiles, defaultZone);
    Allowlist allowlist = reader.readFile(hocon);
    if (reader.problems.count() > 0) {
      throw new AllowlistException(reader.problems.sorted());
    }
    return allowlist;
  }

  private Allowlist readFile(String hocon) {
    ConfigObject root;
    try {
      ConfigParseOptions options =
          ConfigParseOptions.defaults().setOriginDescription(file).setSyntax(ConfigSyntax.CONF);
      root = ConfigFactory.parseString(hocon, options).resolve().root();
    } catch (ConfigException e) {
      String prefix = e instanceof ConfigException.Parse ? "syntax error: " : "";
      problems.add(e.origin(), prefix + withoutOrigin(e));
      return null;
    }
    reportDuplicates(hocon);
    for (Map.Entry<String, ConfigValue> key : FileProblems.inFileOrder(root)) {
      if (!TOP_LEVEL_KEYS.contains(key.getKey())) {
        problems.add(
            key.getValue().origin(),
            "unknown top-level key "
                + quote(key.getKey())
                + " (expected one of: "
                + String.join(", ", TOP_LEVEL_KEYS)
                + ")"
                + Suggestions.didYouMean(key.getKey(), TOP_LEVEL_KEYS));
      }
    }
    ZoneId zone = readZone(root.get(TIME_ZONE));
    Map<String, List<Cidr>> groups = readClients(root.get(CLIENTS));
    ClientGroups clientGroups = groups == null ? null : new ClientGroups(groups);
    EntryReader entryReader =
        new EntryReader(problems, clientGroups, groups == null ? null : groups.keySet(), profiles);
    List<Entry> entries = new ArrayList<>();
    ConfigValue entriesValue = root.get(ENTRIES);
    if (entriesValue != null && entriesValue.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          entriesValue.origin(),
          "'"
              + ENTRIES
              + "' must be an object of named entries, e.g. entries { windows-update { "
              + EntryKeys.HOSTS_EXAMPLE
              + " } }");
    } else if (entriesValue != null) {
      for (Map.Entry<String, ConfigValue> entry :
          FileProblems.inFileOrder((ConfigObject) entriesValue)) {
        Entry read = entryReader.read(entry.getKey(), entry.getValue(), entries.size());
        if (read != null) {
          entries.add(read);
        }
      }
    }
    Map<String, ClientLimits> limits =
        new LimitsReader(problems)
            .read(root.get(LimitsReader.LIMITS), groups == null ? null : groups.keySet());
    return new Allowlist(entries, clientGroups, limits, zone, file);
  }

  private ZoneId readZone(ConfigValue value) {
    if (value == null) {
      return defaultZone;
    }
    String example = "time-zone = \"Asia/Tokyo\"";
    if (value.valueType() != ConfigValueType.STRING) {
      problems.add(
          value.origin(),
          "'"
              + TIME_ZONE
              + "' must be a zone id in quotes, not "
              + quote(FileProblems.render(value))
              + ", e.g. "
              + example);
      return defaultZone;
    }
    String id = (String) value.unwrapped();
    try {
      return ZoneId.of(id);
    } catch (DateTimeException e) {
      // Reported below, with the region id the administrator probably meant.
    }
    String suggestion = ZoneId.SHORT_IDS.get(id.toUpperCase(Locale.ROOT));
    if (suggestion == null && id.indexOf('/') >= 0) {
      suggestion = Suggestions.closest(id, new TreeSet<>(ZoneId.getAvailableZoneIds()));
    }
    problems.add(
        value.origin(),
        "unknown "
            + TIME_ZONE
            + " "
            + quote(id)
            + (suggestion == null ? "" : "; did you mean " + quote(suggestion) + "?")
            + " (use a region id such as Asia/Tokyo or UTC)");
    return defaultZone;
  }

  /** Group names in file order to their ranges; null when the file has no {@code clients}. */
  private Map<String, List<Cidr>> readClients(ConfigValue value) {
    if (value == null) {
      return null;
    }
    Map<String, List<Cidr>> groups = new LinkedHashMap<>();
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          value.origin(),
          "'" + CLIENTS + "' must be an object of named groups, e.g. " + GROUP_EXAMPLE);
      return groups;
    }
    ConfigObject object = (ConfigObject) value;
    if (object.isEmpty()) {
      problems.add(
          value.origin(),
          "'"
              + CLIENTS
              + "' has no groups, so every client would be refused; add a group, e.g. "
              + GROUP_EXAMPLE
              + ", or remove the block to let every client use every entry");
      return groups;
    }
    for (Map.Entry<String, ConfigValue> group : FileProblems.inFileOrder(object)) {
      String name = group.getKey();
      ConfigValue ranges = group.getValue();
      if (!NAME.matcher(name).matches()) {
        problems.add(
            ranges.origin(),
            "client group name "
                + quote(name)
                + " may contain only letters, digits, '-' and '_' (at most 64), e.g. his-pcs");
      }
      groups.put(name, readRanges(name, ranges));
    }
    return groups;
  }

  private List<Cidr> readRanges(String group, ConfigValue value) {
    String example = group + " = [\"10.10.0.0/16\"]";
    String what = "client group " + quote(group);
    if (value.valueType() != ConfigValueType.LIST) {
      problems.add(
          value.origin(),
          what
              + " must be a list of addresses, not "
              + quote(FileProblems.render(value))
              + ", e.g. "
              + example);
      return List.of();
    }
    ConfigList list = (ConfigList) value;
    if (list.isEmpty()) {
      problems.add(value.origin(), what + " has no addresses; list at least one, e.g. " + example);
      return List.of();
    }
    List<Cidr> ranges = new ArrayList<>();
    for (ConfigValue element : list) {
      String text = FileProblems.render(element);
      try {
        ranges.add(Cidr.parse(text));
      } catch (IllegalArgumentException e) {
        problems.add(element.origin(), what + ": address " + quote(text) + ": " + e.getMessage());
      }
    }
    return List.copyOf(ranges);
  }

  private void reportDuplicates(String hocon) {
    for (DuplicateKeys.Duplicate duplicate : DuplicateKeys.find(hocon)) {
      List<String> path = duplicate.path();
      String lines = " on line " + duplicate.line() + " repeats";
      String first = " from line " + duplicate.firstLine();
      String message;
      if (path.size() == 2 && path.get(0).equals(ENTRIES)) {
        message =
            "entry "
                + quote(path.get(1))
                + lines
                + " the entry"
                + first
                + "; HOCON would merge the two silently: rename one, or join them into one entry";
      } else if (path.size() == 2) {
        message =
            "client group "
                + quote(path.get(1))
                + lines
                + " the group"
                + first
                + "; HOCON would keep only the last: rename one, or join their addresses";
      } else if (path.size() == 3) {
        message =
            quote(path.get(2))
                + " in entry "
                + quote(path.get(1))
                + lines
                + " the one"
                + first
                + "; HOCON would keep only the last: remove one";
      } else {
        message =
            quote(path.get(0))
                + lines
                + " the one"
                + first
                + "; HOCON would keep only the last: remove one";
      }
      problems.add(duplicate.line(), message);
    }
  }

  /** Typesafe prefixes its messages with "file: line: ", which a Problem already carries. */
  private static String withoutOrigin(ConfigException e) {
    String message = String.valueOf(e.getMessage());
    ConfigOrigin origin = e.origin();
    if (origin != null) {
      String prefix = origin.description() + ": ";
      if (message.startsWith(prefix)) {
        return message.substring(prefix.length());
      }
    }
    return message;
  }

  /**
   * Single-quotes a value from the file for a message, escaping control and invisible formatting
   * characters (such as right-to-left overrides) so a message can neither break a terminal or a log
   * line nor hide what the file really says.
   */
  static String quote(String value) {
    StringBuilder quoted = new StringBuilder(value.length() + 2).append('\'');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        quoted.append(String.format("\\u%04x", (int) c));
      } else {
        quoted.append(c);
      }
    }
    return quoted.append('\'').toString();
  }
}
