package dev.patchgate.allowlist;

import java.util.List;

/**
 * A curated list of update hosts shipped inside patchgate, which an allowlist entry pulls in with
 * {@code profile = NAME}.
 *
 * @param name the name an entry uses, e.g. {@code windows-update}
 * @param title a human title, e.g. "Windows Update (clients)"
 * @param lastVerified when the list was last checked against its sources, ISO date
 * @param sources where the hosts come from (vendor documentation URLs)
 * @param hosts the host rules, each with its own scheme and port
 */
public record Profile(
    String name, String title, String lastVerified, List<String> sources, List<ProfileHost> hosts) {

  /** Copies the lists. */
  public Profile {
    sources = List.copyOf(sources);
    hosts = List.copyOf(hosts);
  }
}
