package dev.patchgate.audit.query;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The options of an audit command: {@code --name value}, {@code --name=value}, flags and plain
 * arguments, checked against the names the command knows.
 *
 * <p>Immutable.
 */
public final class CommandArgs {
  private final Map<String, String> values;
  private final List<String> positionals;

  private CommandArgs(Map<String, String> values, List<String> positionals) {
    this.values = values;
    this.positionals = positionals;
  }

  /**
   * Parses {@code args}.
   *
   * @param withValue option names (with their dashes) that take a value
   * @param flags option names that take none
   * @throws UsageException for an unknown option, a missing value, or an option given twice
   */
  public static CommandArgs parse(List<String> args, Set<String> withValue, Set<String> flags)
      throws UsageException {
    Map<String, String> values = new LinkedHashMap<>();
    List<String> positionals = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!arg.startsWith("-") || arg.equals("-")) {
        positionals.add(arg);
        continue;
      }
      String name = arg;
      String value = null;
      int eq = arg.indexOf('=');
      if (eq > 0) {
        name = arg.substring(0, eq);
        value = arg.substring(eq + 1);
      }
      if (flags.contains(name)) {
        if (value != null) {
          throw new UsageException(name + " takes no value");
        }
        value = "";
      } else if (withValue.contains(name)) {
        if (value == null) {
          if (i + 1 >= args.size()) {
            throw new UsageException(name + " needs a value");
          }
          value = args.get(++i);
        }
      } else {
        throw new UsageException("unknown option " + DisplayText.clean(name));
      }
      if (values.putIfAbsent(name, value) != null) {
        throw new UsageException(name + " given twice");
      }
    }
    return new CommandArgs(values, List.copyOf(positionals));
  }

  /** True when the option or flag was given. */
  public boolean has(String name) {
    return values.containsKey(name);
  }

  /** The option's value, if given. */
  public Optional<String> value(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** The arguments that are not options, in order. */
  public List<String> positionals() {
    return positionals;
  }
}
