package dev.patchgate.proxy.console.users;

import java.util.List;
import java.util.Objects;

/**
 * A console user, without the password hash (which never leaves {@link ConsoleUsers}).
 *
 * @param name the sign-in name
 * @param role what the user may do
 * @param entries the allowlist entries a vendor may see; empty for an admin
 * @param groups the client groups a vendor may see; empty for an admin
 */
public record ConsoleUser(String name, Role role, List<String> entries, List<String> groups) {
  /** Copies the lists. */
  public ConsoleUser {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(role, "role");
    entries = List.copyOf(entries);
    groups = List.copyOf(groups);
  }
}
