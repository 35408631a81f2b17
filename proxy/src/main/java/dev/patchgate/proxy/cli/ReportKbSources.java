package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.AllowlistException;
import dev.patchgate.allowlist.KbFilePolicy;
import dev.patchgate.allowlist.Problem;
import dev.patchgate.audit.report.KbSources;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/**
 * The patch report's {@link KbSources}, from the configured allowlist: the hosts of Microsoft's
 * update profiles and the entries that say {@code kb-files = true}. The audit log knows nothing of
 * the allowlist; this is where the two meet.
 *
 * <p>The allowlist is read as it is when the report runs, not as it was when the records were
 * written. When it cannot be loaded, the report still runs: one line on {@code err} says so, and KB
 * numbers are then read only from files on the Microsoft profiles' hosts (never from every host,
 * which is the attribution this exists to prevent).
 */
final class ReportKbSources {
  private static final String MICROSOFT =
      "files from the hosts of the profiles " + String.join(", ", KbFilePolicy.MICROSOFT_PROFILES);

  private ReportKbSources() {}

  /**
   * @param allowlist the configured allowlist file
   * @param err where a failure to load it is reported, as one line
   */
  static KbSources from(Path allowlist, PrintStream err) {
    try {
      KbFilePolicy policy = KbFilePolicy.of(Allowlist.load(allowlist));
      List<String> entries = policy.kbFileEntries();
      String description =
          MICROSOFT
              + (entries.isEmpty()
                  ? " (no entry of " + allowlist + " says kb-files = true)"
                  : " and from the entries with kb-files = true in "
                      + allowlist
                      + ": "
                      + String.join(", ", entries));
      return KbSources.of(description, policy::mayNameKb);
    } catch (AllowlistException e) {
      List<Problem> problems = e.problems();
      String first = problems.isEmpty() ? "no details" : problems.get(0).toString();
      String more =
          problems.size() > 1
              ? "; " + (problems.size() - 1) + " more problems, see 'patchgate check-config'"
              : "";
      err.println(
          "patchgate audit report: cannot load the allowlist ("
              + first
              + more
              + "); KB numbers are read only from "
              + MICROSOFT
              + ", not from entries with kb-files = true");
      return KbSources.of(
          MICROSOFT + " (the allowlist " + allowlist + " could not be loaded)",
          KbFilePolicy.microsoftProfiles()::mayNameKb);
    }
  }
}
