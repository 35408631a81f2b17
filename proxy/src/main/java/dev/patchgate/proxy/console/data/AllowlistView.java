package dev.patchgate.proxy.console.data;

import dev.patchgate.allowlist.EntryView;
import dev.patchgate.allowlist.Problem;
import dev.patchgate.allowlist.Profile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Allowlist page: the policy in force and the file as it is now.
 *
 * @param file the allowlist file
 * @param entries the entries in force, in file order
 * @param clientGroups the client groups in force in file order, each with its ranges; empty for
 *     none
 * @param profiles the curated profiles shipped with patchgate, with their hosts
 * @param problems the file's problems now (file, line, message); empty when it is valid. While
 *     there are problems the previous policy answers: what {@code entries} shows
 * @param lastReload when an edit was last taken over, or empty when none was since start
 */
public record AllowlistView(
    Path file,
    List<EntryView> entries,
    Map<String, List<String>> clientGroups,
    List<Profile> profiles,
    List<Problem> problems,
    Optional<Instant> lastReload) {

  /** Copies the collections. */
  public AllowlistView {
    entries = List.copyOf(entries);
    // File order is what the administrator reads: kept.
    clientGroups = Collections.unmodifiableMap(new LinkedHashMap<>(clientGroups));
    profiles = List.copyOf(profiles);
    problems = List.copyOf(problems);
  }

  /** Whether the file is valid, so that what it says is in force. */
  public boolean valid() {
    return problems.isEmpty();
  }
}
