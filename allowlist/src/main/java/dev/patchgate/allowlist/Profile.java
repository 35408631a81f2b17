package dev.patchgate.allowlist;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A curated list of update hosts shipped inside patchgate, which an allowlist entry pulls in with
 * {@code profile = NAME}.
 *
 * <p>Rules limited to some paths are kept apart from the others, so that code which knows nothing
 * of paths, iterating {@link #hosts}, can only ever allow less than the profile means, never more:
 * {@code www.microsoft.com} is listed only for its certificate paths, and must not be opened whole.
 *
 * @param name the name an entry uses, e.g. {@code windows-update}
 * @param title a human title, e.g. "Windows Update (clients)"
 * @param lastVerified when the list was last checked against its sources, ISO date
 * @param sources where the hosts come from (vendor documentation URLs, or a short description of
 *     where a host was observed)
 * @param hosts the host rules for every path, each with its own scheme and port
 * @param pathRestricted plain-HTTP rules for only the {@link ProfileHost#paths} they name; a
 *     consumer that cannot check a path per host must leave these out
 */
public record Profile(
    String name,
    String title,
    String lastVerified,
    List<String> sources,
    List<ProfileHost> hosts,
    List<ProfileHost> pathRestricted) {
  private static final Pattern NAME = Pattern.compile("[a-z0-9]+(-[a-z0-9]+)*");

  /**
   * Checks the components and copies the lists.
   *
   * @throws NullPointerException if any component or list element is null
   * @throws IllegalArgumentException if the name is not lower-case words joined by {@code -}, the
   *     title is blank, the date is not an ISO date, there are no sources or no rules at all, a
   *     rule in {@code hosts} has paths, or one in {@code pathRestricted} has none
   */
  public Profile {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(title, "title");
    Objects.requireNonNull(lastVerified, "lastVerified");
    sources = List.copyOf(sources);
    hosts = List.copyOf(hosts);
    pathRestricted = List.copyOf(pathRestricted);
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "profile name '" + name + "' must be lower-case words joined by '-', e.g. eset");
    }
    if (title.isBlank()) {
      throw new IllegalArgumentException("profile '" + name + "' needs a title");
    }
    try {
      LocalDate.parse(lastVerified);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "last-verified '" + lastVerified + "' is not a date like 2026-11-23", e);
    }
    if (sources.isEmpty()) {
      throw new IllegalArgumentException("profile '" + name + "' cites no sources");
    }
    if (hosts.isEmpty() && pathRestricted.isEmpty()) {
      throw new IllegalArgumentException("profile '" + name + "' has no hosts");
    }
    for (ProfileHost host : hosts) {
      if (!host.paths().isEmpty()) {
        throw new IllegalArgumentException(
            "host '" + host.pattern() + "' has paths; it belongs in pathRestricted");
      }
    }
    for (ProfileHost host : pathRestricted) {
      if (host.paths().isEmpty()) {
        throw new IllegalArgumentException(
            "host '" + host.pattern() + "' in pathRestricted names no paths");
      }
    }
  }

  /** A profile without path-restricted rules. */
  public Profile(
      String name,
      String title,
      String lastVerified,
      List<String> sources,
      List<ProfileHost> hosts) {
    this(name, title, lastVerified, sources, hosts, List.of());
  }

  /** Every rule: {@link #hosts}, then {@link #pathRestricted}. */
  public List<ProfileHost> allRules() {
    return Stream.concat(hosts.stream(), pathRestricted.stream()).toList();
  }
}
