package dev.patchgate.allowlist;

import java.util.List;
import java.util.Locale;

/**
 * One entry of an allowlist as an administrator reads it back: what the console's allowlist page
 * lists. A copy of the entry's rules in words, never used to decide.
 *
 * @param name the entry's name
 * @param line its line in the file
 * @param hosts each host pattern with what it allows, e.g. {@code *.windowsupdate.com http:80
 *     https:443}, profile hosts included, in file order
 * @param clients the client groups it serves; empty for every registered client
 * @param paths the plain-HTTP path prefixes, or {@code ""} for any path
 * @param schedule the weekly windows, or {@code ""} for any time
 * @param report true for {@code mode = report}
 * @param kbFiles {@code kb-files = true}
 */
public record EntryView(
    String name,
    int line,
    List<String> hosts,
    List<String> clients,
    String paths,
    String schedule,
    boolean report,
    boolean kbFiles) {

  /** Copies the lists. */
  public EntryView {
    hosts = List.copyOf(hosts);
    clients = List.copyOf(clients);
  }

  static EntryView of(Entry entry) {
    EntryRules rules = entry.rules();
    List<String> hosts =
        entry.bindings().stream()
            .map(
                b -> {
                  StringBuilder s = new StringBuilder(b.pattern().toString());
                  for (Scheme scheme : Scheme.values()) {
                    for (int port : b.ports(scheme)) {
                      s.append(' ').append(scheme.name().toLowerCase(Locale.ROOT));
                      s.append(':').append(port);
                    }
                  }
                  if (b.paths() != null) {
                    s.append(' ').append(b.paths());
                  }
                  return s.toString();
                })
            .toList();
    return new EntryView(
        entry.name(),
        entry.line(),
        hosts,
        rules.clients() == null ? List.of() : rules.clients(),
        rules.paths() == null ? "" : rules.paths().toString(),
        rules.schedule() == null ? "" : rules.schedule().toString(),
        rules.report(),
        rules.kbFiles());
  }
}
