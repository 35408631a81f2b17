package dev.patchgate.allowlist;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which downloads the patch report may read a Microsoft KB number from: a file name alone proves
 * nothing (any allowed host can serve {@code kb5034441.cab}), so only files served by a host of
 * Microsoft's update profiles ({@link #MICROSOFT_PROFILES}), or allowed by an entry that says
 * {@code kb-files = true}, count.
 *
 * <p>A profile's path-restricted rules are left out ({@code www.microsoft.com} is listed only for
 * its certificate paths); an entry's hosts are all its host patterns, its profile's included. A
 * {@code kb-files} entry counts for a record only when the record names that entry and the record's
 * host is still one of the entry's hosts, so a renamed or re-pointed entry does not lend its trust
 * to old records of another host.
 *
 * <p>Immutable and thread-safe.
 */
public final class KbFilePolicy {
  /**
   * The curated profiles whose hosts are Microsoft's own update hosts, in the catalogue's order.
   */
  public static final List<String> MICROSOFT_PROFILES =
      List.of("windows-update", "wsus-upstream", "microsoft-update-catalog", "microsoft-defender");

  private final List<HostPattern> microsoftHosts;
  private final Map<String, List<HostPattern>> kbEntries;

  private KbFilePolicy(List<HostPattern> microsoftHosts, Map<String, List<HostPattern>> kbEntries) {
    this.microsoftHosts = List.copyOf(microsoftHosts);
    this.kbEntries = kbEntries;
  }

  /**
   * The hosts of {@link #MICROSOFT_PROFILES} alone: what the report trusts when no allowlist can be
   * read.
   *
   * @throws IllegalStateException if a shipped profile file is missing or malformed
   */
  public static KbFilePolicy microsoftProfiles() {
    return new KbFilePolicy(microsoftHosts(), Map.of());
  }

  /**
   * The hosts of {@link #MICROSOFT_PROFILES} and the entries of {@code allowlist} that say {@code
   * kb-files = true}.
   *
   * @throws IllegalStateException if a shipped profile file is missing or malformed
   */
  public static KbFilePolicy of(Allowlist allowlist) {
    Map<String, List<HostPattern>> entries = new LinkedHashMap<>();
    for (Entry entry : allowlist.entries()) {
      if (entry.kbFiles()) {
        entries.put(entry.name(), entry.bindings().stream().map(Binding::pattern).toList());
      }
    }
    return new KbFilePolicy(microsoftHosts(), Map.copyOf(entries));
  }

  /**
   * Whether a file served by {@code host} and allowed by the entry named {@code entry} may take a
   * KB number from its name.
   *
   * @param host the host as the audit record has it (canonical; case and one trailing dot are
   *     forgiven); null never qualifies
   * @param entry the allowing entry's name as recorded, or null
   */
  public boolean mayNameKb(String host, String entry) {
    if (host == null || host.isEmpty()) {
      return false;
    }
    String canonical = host.toLowerCase(Locale.ROOT);
    if (canonical.endsWith(".")) {
      canonical = canonical.substring(0, canonical.length() - 1);
    }
    if (matchesAny(microsoftHosts, canonical)) {
      return true;
    }
    List<HostPattern> entryHosts = entry == null ? null : kbEntries.get(entry);
    return entryHosts != null && matchesAny(entryHosts, canonical);
  }

  /** The names of the entries with {@code kb-files = true}, sorted. */
  public List<String> kbFileEntries() {
    return kbEntries.keySet().stream().sorted().toList();
  }

  private static boolean matchesAny(List<HostPattern> patterns, String host) {
    for (HostPattern pattern : patterns) {
      if (pattern.matches(host)) {
        return true;
      }
    }
    return false;
  }

  private static List<HostPattern> microsoftHosts() {
    List<HostPattern> hosts = new ArrayList<>();
    for (String name : MICROSOFT_PROFILES) {
      Profile profile =
          Profiles.find(name)
              .orElseThrow(() -> new IllegalStateException("profile " + name + " is not shipped"));
      for (ProfileHost rule : profile.hosts()) {
        HostPattern pattern = rule.hostPattern();
        if (!hosts.contains(pattern)) {
          hosts.add(pattern);
        }
      }
    }
    return hosts;
  }
}
