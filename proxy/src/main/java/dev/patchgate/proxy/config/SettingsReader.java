package dev.patchgate.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * Reads typed values of {@code patchgate.*}, turning each bad one into a problem line ("file:line:
 * patchgate.KEY: message (the fix)") instead of an exception, so that every problem is reported at
 * once.
 */
final class SettingsReader {

  private final Config config;
  private final List<String> problems;

  SettingsReader(Config config, List<String> problems) {
    this.config = config;
    this.problems = problems;
  }

  /** Records "file:line: patchgate.KEY: message" for a value that was read but is wrong. */
  private void problem(String key, String message) {
    problems.add(where(config.getValue(key)) + GatewaySettings.ROOT + "." + key + ": " + message);
  }

  <T> T get(String key, Function<String, T> parser) {
    try {
      String raw = config.getString(key);
      try {
        return parser.apply(raw);
      } catch (IllegalArgumentException e) {
        problem(key, "\"" + raw + "\" (" + e.getMessage() + ")");
        return null;
      }
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a quoted string"));
      return null;
    }
  }

  /** A list of strings, each checked by {@code parser}; a bad element is a problem of its own. */
  <T> List<T> list(String key, Function<String, T> parser) {
    return list(key, parser, UnaryOperator.identity());
  }

  /**
   * As {@link #list(String, Function)}, showing a bad element in its problem as {@code shown} makes
   * it (a URL without its password).
   */
  <T> List<T> list(String key, Function<String, T> parser, UnaryOperator<String> shown) {
    List<String> raw;
    try {
      raw = config.getStringList(key);
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a list of quoted strings, e.g. [\"a\", \"b\"]"));
      return List.of();
    }
    List<T> values = new ArrayList<>();
    for (String value : raw) {
      try {
        values.add(parser.apply(value));
      } catch (IllegalArgumentException e) {
        problem(key, "\"" + printable(shown.apply(value)) + "\" (" + e.getMessage() + ")");
      }
    }
    return values;
  }

  /** A value as the operator can read it in a message: control characters as \\uXXXX. */
  private static String printable(String value) {
    StringBuilder out = new StringBuilder();
    value
        .chars()
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format(Locale.ROOT, "\\u%04x", c));
              } else {
                out.append((char) c);
              }
            });
    return out.toString();
  }

  Duration duration(String key) {
    try {
      Duration d = config.getDuration(key);
      if (d.isNegative() || d.isZero()) {
        problem(key, "must be positive (expected e.g. 10s, 500ms, 2m)");
      }
      return d;
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected e.g. 10s, 500ms, 2m"));
      return null;
    }
  }

  /**
   * As {@link #duration(String)}, with {@code ifBad} in place of a value that is not a duration
   * (already reported), for settings whose constructor refuses null.
   */
  Duration duration(String key, Duration ifBad) {
    Duration d = duration(key);
    return d == null ? ifBad : d;
  }

  /** A duration where {@code 0s} means "never": negative ones are refused. */
  Duration durationOrZero(String key) {
    try {
      Duration d = config.getDuration(key);
      if (d.isNegative()) {
        problem(key, "must not be negative (expected e.g. 500ms, 2s, or 0s for never)");
      }
      return d;
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected e.g. 500ms, 2s, or 0s for never"));
      return null;
    }
  }

  int bytes(String key, int min, int max) {
    try {
      long n = config.getBytes(key);
      if (n < min || n > max) {
        problem(key, n + " bytes is out of range (expected " + min + ".." + max + ", e.g. 16k)");
      }
      return (int) Math.max(min, Math.min(max, n));
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a size such as 16k"));
      return min;
    }
  }

  int integer(String key, int min, int max) {
    try {
      int n = config.getInt(key);
      if (n < min || n > max) {
        problem(key, n + " is out of range (expected " + min + ".." + max + ")");
        return min;
      }
      return n;
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a whole number"));
      return min;
    }
  }

  double number(String key, double min, double max) {
    try {
      double n = config.getDouble(key);
      if (!(n >= min && n <= max)) {
        problem(key, n + " is out of range (expected " + min + ".." + max + ")");
        return min;
      }
      return n;
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a number such as 0.1"));
      return min;
    }
  }

  long size(String key) {
    try {
      long n = config.getBytes(key);
      if (n < 1) {
        problem(key, n + " must be positive (expected e.g. 50g, 512m)");
      }
      return n;
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a size such as 50g"));
      return 1;
    }
  }

  long sizeOrZero(String key) {
    try {
      // Typesafe refuses a negative size itself.
      return config.getBytes(key);
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a size such as 1g, or 0 for off"));
      return 0;
    }
  }

  boolean bool(String key) {
    try {
      return config.getBoolean(key);
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected true or false"));
      return false;
    }
  }

  int threads(String key) {
    try {
      int n = config.getInt(key);
      if (n < 0 || n > 256) {
        problem(key, n + " is out of range (expected 0..256; 0 means twice the CPU count)");
        return 1;
      }
      return n == 0 ? 2 * Runtime.getRuntime().availableProcessors() : n;
    } catch (ConfigException e) {
      problems.add(keyProblem(e, key, "expected a whole number"));
      return 1;
    }
  }

  /** A problem with one key's value, naming the key in full as the operator writes it. */
  private static String keyProblem(ConfigException e, String key, String fix) {
    String described =
        GatewaySettings.describe(e)
            .replace("'" + key + "'", "'" + GatewaySettings.ROOT + "." + key + "'");
    // Typesafe names the key unquoted in type errors ("audit.squid-log has type STRING ...").
    described =
        described.replace(
            ": " + key + " has type", ": " + GatewaySettings.ROOT + "." + key + " has type");
    return described + " (" + fix + ")";
  }

  /** "file:line: " of {@code key}'s value, or "" when it came from no file. */
  String where(String key) {
    return where(config.getValue(key));
  }

  static String where(ConfigValue value) {
    var origin = value.origin();
    if (origin == null || origin.filename() == null) {
      return "";
    }
    return origin.filename() + ":" + origin.lineNumber() + ": ";
  }
}
