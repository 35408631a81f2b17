package dev.patchgate.allowlist;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import java.util.List;

/** Values of one key as the file would hold them, and the messages read from them, for tests. */
final class KeyValues {
  private KeyValues() {}

  /** The value {@code hocon} as the parsed file holds it, e.g. {@code [80, 443]}. */
  static ConfigValue value(String hocon) {
    return ConfigFactory.parseString("k = " + hocon).root().get("k");
  }

  /** The messages recorded so far, by line. */
  static List<String> messages(FileProblems problems) {
    return problems.sorted().stream().map(Problem::message).toList();
  }
}
