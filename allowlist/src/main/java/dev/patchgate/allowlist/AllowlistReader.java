package dev.patchgate.allowlist;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Turns the text of an allowlist file into validated {@link Entry}s, collecting every problem
 * instead of stopping at the first, each with the line of the offending value and a fix.
 *
 * <p>One reader per file; not thread-safe, and not meant to be kept.
 */
final class AllowlistReader {
  static final String ENTRIES = "entries";
  static final String HOSTS = "hosts";
  static final String PORTS = "ports";

  /**
   * Entry names end up in audit records, reports and error pages; keeping them to identifier
   * characters means none of those has to worry about quoting them.
   */
  private static final Pattern ENTRY_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final String HOSTS_EXAMPLE = "hosts = [\"updates.example.com\"]";
  private static final String PORTS_EXAMPLE = "ports = [8080]";

  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  private AllowlistReader(String file) {
    this.file = file;
  }

  /**
   * Reads and validates a whole file.
   *
   * @param hocon the file's text
   * @param file the name to quote in problems
   * @return the entries in file order; empty when the file has none
   * @throws AllowlistException listing every problem found, sorted by line
   */
  static List<Entry> read(String hocon, String file) throws AllowlistException {
    AllowlistReader reader = new AllowlistReader(file);
    List<Entry> entries = reader.readFile(hocon);
    if (!reader.problems.isEmpty()) {
      List<Problem> sorted = new ArrayList<>(reader.problems);
      sorted.sort(Comparator.comparingInt(Problem::line));
      throw new AllowlistException(sorted);
    }
    return entries;
  }

  private List<Entry> readFile(String hocon) {
    ConfigObject root;
    try {
      ConfigParseOptions options =
          ConfigParseOptions.defaults().setOriginDescription(file).setSyntax(ConfigSyntax.CONF);
      root = ConfigFactory.parseString(hocon, options).resolve().root();
    } catch (ConfigException e) {
      String prefix = e instanceof ConfigException.Parse ? "syntax error: " : "";
      problem(e.origin(), prefix + withoutOrigin(e));
      return List.of();
    }
    for (Map.Entry<String, ConfigValue> key : inFileOrder(root)) {
      if (!key.getKey().equals(ENTRIES)) {
        problem(
            key.getValue().origin(),
            "unknown top-level key " + quote(key.getKey()) + " (expected: " + ENTRIES + ")");
      }
    }
    ConfigValue entries = root.get(ENTRIES);
    if (entries == null) {
      return List.of();
    }
    if (entries.valueType() != ConfigValueType.OBJECT) {
      problem(
          entries.origin(),
          "'"
              + ENTRIES
              + "' must be an object of named entries, e.g. entries { windows-update { "
              + HOSTS_EXAMPLE
              + " } }");
      return List.of();
    }
    List<Entry> result = new ArrayList<>();
    for (Map.Entry<String, ConfigValue> entry : inFileOrder((ConfigObject) entries)) {
      Entry read = readEntry(entry.getKey(), entry.getValue(), result.size());
      if (read != null) {
        result.add(read);
      }
    }
    return result;
  }

  /** The entry, or null when it has problems (which are recorded). */
  private Entry readEntry(String name, ConfigValue value, int order) {
    int before = problems.size();
    String quoted = quote(name);
    if (!ENTRY_NAME.matcher(name).matches()) {
      problem(
          value.origin(),
          "entry name "
              + quoted
              + " may contain only letters, digits, '-' and '_' (at most 64), e.g. windows-update");
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problem(
          value.origin(),
          "entry " + quoted + " must be an object, e.g. " + name + " { " + HOSTS_EXAMPLE + " }");
      return null;
    }
    ConfigObject fields = (ConfigObject) value;
    for (Map.Entry<String, ConfigValue> field : inFileOrder(fields)) {
      String key = field.getKey();
      if (!key.equals(HOSTS) && !key.equals(PORTS)) {
        problem(
            field.getValue().origin(),
            "unknown key "
                + quote(key)
                + " in entry "
                + quoted
                + " (expected one of: "
                + HOSTS
                + ", "
                + PORTS
                + ")");
      }
    }
    List<HostPattern> hosts = readHosts(quoted, fields.get(HOSTS), value.origin());
    int[] ports = readPorts(quoted, fields.get(PORTS));
    if (problems.size() > before) {
      return null;
    }
    return new Entry(name, order, hosts, ports);
  }

  private List<HostPattern> readHosts(String entry, ConfigValue value, ConfigOrigin entryOrigin) {
    if (value == null) {
      problem(entryOrigin, "entry " + entry + " has no '" + HOSTS + "'; add e.g. " + HOSTS_EXAMPLE);
      return List.of();
    }
    ConfigList list = asList(value, "'" + HOSTS + "' in entry " + entry, HOSTS_EXAMPLE);
    if (list == null) {
      return List.of();
    }
    if (list.isEmpty()) {
      problem(
          value.origin(),
          "'"
              + HOSTS
              + "' in entry "
              + entry
              + " is empty; list at least one, e.g. "
              + HOSTS_EXAMPLE);
      return List.of();
    }
    List<HostPattern> hosts = new ArrayList<>();
    for (ConfigValue element : list) {
      if (element.valueType() != ConfigValueType.STRING) {
        problem(
            element.origin(),
            "entry "
                + entry
                + ": host "
                + quote(render(element))
                + " must be a quoted string, e.g. \"updates.example.com\"");
        continue;
      }
      String text = (String) element.unwrapped();
      try {
        hosts.add(HostPattern.parse(text));
      } catch (IllegalArgumentException e) {
        problem(
            element.origin(), "entry " + entry + ": host " + quote(text) + ": " + e.getMessage());
      }
    }
    return hosts;
  }

  private int[] readPorts(String entry, ConfigValue value) {
    if (value == null) {
      return new int[0];
    }
    ConfigList list = asList(value, "'" + PORTS + "' in entry " + entry, PORTS_EXAMPLE);
    if (list == null) {
      return new int[0];
    }
    if (list.isEmpty()) {
      problem(
          value.origin(),
          "'"
              + PORTS
              + "' in entry "
              + entry
              + " is empty; remove it to allow the defaults (80 for http, 443 for CONNECT)"
              + " or list the ports, e.g. "
              + PORTS_EXAMPLE);
      return new int[0];
    }
    int[] ports = new int[list.size()];
    int count = 0;
    for (ConfigValue element : list) {
      String shown = quote(render(element));
      String where = "entry " + entry + ": port " + shown;
      if (element.valueType() == ConfigValueType.STRING) {
        problem(
            element.origin(), where + " must be a number without quotes, e.g. " + PORTS_EXAMPLE);
        continue;
      }
      Object number = element.unwrapped();
      if (!(number instanceof Integer || number instanceof Long)) {
        problem(element.origin(), where + " must be a whole number from 1 to 65535");
        continue;
      }
      long port = ((Number) number).longValue();
      if (port < 1 || port > 65535) {
        problem(element.origin(), where + " is outside 1..65535");
        continue;
      }
      ports[count++] = (int) port;
    }
    return Arrays.copyOf(ports, count);
  }

  /** The value as a list, or null after recording a problem that shows the expected form. */
  private ConfigList asList(ConfigValue value, String what, String example) {
    if (value.valueType() == ConfigValueType.LIST) {
      return (ConfigList) value;
    }
    problem(
        value.origin(),
        what + " must be a list, not " + quote(render(value)) + ", e.g. " + example);
    return null;
  }

  private void problem(ConfigOrigin origin, String message) {
    problems.add(new Problem(file, lineOf(origin), message));
  }

  /**
   * The keys of an object in file order. Typesafe Config keeps objects in hash maps, so order is
   * rebuilt from line numbers; keys on one line are ordered by name, which keeps the result
   * deterministic (entry precedence depends on it) but means two entries on one line should not
   * rely on their order.
   */
  private static List<Map.Entry<String, ConfigValue>> inFileOrder(ConfigObject object) {
    List<Map.Entry<String, ConfigValue>> ordered = new ArrayList<>(object.entrySet());
    ordered.sort(
        Comparator.comparingInt((Map.Entry<String, ConfigValue> e) -> lineOf(e.getValue().origin()))
            .thenComparing(Map.Entry::getKey));
    return ordered;
  }

  private static int lineOf(ConfigOrigin origin) {
    return origin == null ? 0 : Math.max(0, origin.lineNumber());
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

  private static String render(ConfigValue value) {
    return value.valueType() == ConfigValueType.STRING
        ? (String) value.unwrapped()
        : value.render(ConfigRenderOptions.concise());
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
