package dev.patchgate.allowlist;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The problems found in one allowlist file so far, and the small helpers every part of the reader
 * needs to report one: the line of a value, the value as written, a list or a problem.
 *
 * <p>Not thread-safe; one per file read.
 */
final class FileProblems {
  private final String file;
  private final List<Problem> problems = new ArrayList<>();

  FileProblems(String file) {
    this.file = file;
  }

  void add(ConfigOrigin origin, String message) {
    problems.add(new Problem(file, lineOf(origin), message));
  }

  /**
   * Records a problem with the value of {@code key} in {@code entry} (the entry's name as quoted in
   * messages): "entry 'e': 'key' {@code what}".
   */
  void addForKey(ConfigValue value, String entry, String key, String what) {
    add(value.origin(), "entry " + entry + ": '" + key + "' " + what);
  }

  void add(int line, String message) {
    problems.add(new Problem(file, line, message));
  }

  /** How many problems so far, to tell whether a part of the file added any. */
  int count() {
    return problems.size();
  }

  /** The problems sorted by line (stable, so problems on one line keep the order found). */
  List<Problem> sorted() {
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort(Comparator.comparingInt(Problem::line));
    return sorted;
  }

  /**
   * The value as a list; null for an absent key ({@code value} null, nothing recorded), or after
   * recording a problem: not a list ({@code what} must be a list, not X, e.g. {@code example}), or
   * empty ({@code what} is empty; {@code emptyFix}). Either way the caller falls back to its
   * default.
   */
  ConfigList list(ConfigValue value, String what, String example, String emptyFix) {
    if (value == null) {
      return null;
    }
    if (value.valueType() != ConfigValueType.LIST) {
      add(
          value.origin(),
          what
              + " must be a list, not "
              + AllowlistReader.quote(render(value))
              + ", e.g. "
              + example);
      return null;
    }
    ConfigList list = (ConfigList) value;
    if (list.isEmpty()) {
      add(value.origin(), what + " is empty; " + emptyFix);
      return null;
    }
    return list;
  }

  /** A string value, or a number or boolean as written; lists and objects in concise JSON. */
  static String render(ConfigValue value) {
    return value.valueType() == ConfigValueType.STRING
        ? (String) value.unwrapped()
        : value.render(ConfigRenderOptions.concise());
  }

  static int lineOf(ConfigOrigin origin) {
    return origin == null ? 0 : Math.max(0, origin.lineNumber());
  }

  /**
   * The keys of an object in file order. Typesafe Config keeps objects in hash maps, so order is
   * rebuilt from line numbers; keys on one line are ordered by name, which keeps the result
   * deterministic (entry precedence depends on it) but means two entries on one line should not
   * rely on their order.
   */
  static List<Map.Entry<String, ConfigValue>> inFileOrder(ConfigObject object) {
    // A file can have 100,000 entries: lines are read once per key, not once per comparison, and
    // keys are walked without entrySet(), which hashes every value deeply into a new set.
    List<Keyed> keyed = new ArrayList<>(object.size());
    for (String key : object.keySet()) {
      ConfigValue value = object.get(key);
      keyed.add(new Keyed(lineOf(value.origin()), Map.entry(key, value)));
    }
    keyed.sort(Comparator.comparingInt(Keyed::line).thenComparing(k -> k.entry().getKey()));
    List<Map.Entry<String, ConfigValue>> ordered = new ArrayList<>(keyed.size());
    for (Keyed k : keyed) {
      ordered.add(k.entry());
    }
    return ordered;
  }

  private record Keyed(int line, Map.Entry<String, ConfigValue> entry) {}
}
