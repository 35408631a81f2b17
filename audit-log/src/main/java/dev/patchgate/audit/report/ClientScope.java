package dev.patchgate.audit.report;

import dev.patchgate.audit.text.DisplayText;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * The clients a report is narrowed to by {@code --clients}: a client group of the allowlist, or an
 * address block. A client's answer is remembered, so that the allowlist's matching runs once per
 * client, not once per record (memory grows with the number of clients). Not thread-safe.
 */
final class ClientScope {
  private final Predicate<String> test;
  private final String description;
  private final Map<String, Boolean> known = new HashMap<>();

  private ClientScope(Predicate<String> test, String description) {
    this.test = test;
    this.description = description;
  }

  /**
   * Reads a {@code --clients} argument: a group name of {@code groups}, else an address block.
   *
   * @throws IllegalArgumentException with a message for the user: an unknown group lists the known
   *     ones
   */
  static ClientScope parse(String argument, ClientGroups groups) {
    String name = argument.strip();
    if (groups.names().contains(name)) {
      return new ClientScope(c -> groups.groupsOf(c).contains(name), "client group " + name);
    }
    if (name.matches("[0-9.]+(/\\d+)?|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*(/\\d+)?")) {
      try {
        Predicate<String> block = groups.block(name);
        return new ClientScope(block, block.toString());
      } catch (IllegalArgumentException e) {
        if (e.getMessage().startsWith("--clients")) {
          throw e;
        }
        throw new IllegalArgumentException(
            "--clients: '" + DisplayText.clean(argument) + "': " + e.getMessage());
      }
    }
    String known =
        groups.names().isEmpty()
            ? "the allowlist names no client groups"
            : "known groups: " + String.join(", ", groups.names());
    throw new IllegalArgumentException(
        "--clients: no client group '"
            + DisplayText.clean(argument)
            + "' ("
            + known
            + "; or give an address block such as 10.10.1.0/24)");
  }

  boolean contains(String client) {
    Boolean in = known.get(client);
    if (in == null) {
      in = test.test(client);
      known.put(client, in);
    }
    return in;
  }

  @Override
  public String toString() {
    return description;
  }
}
