package dev.patchgate.audit.report;

import java.util.Locale;

/**
 * The coverage of one KB number (or file pattern) over the clients seen in the period: how many
 * have it complete, incomplete, or not at all. The command line prints it as {@link #line()}; the
 * console shows the counts and percentages in its own layout.
 *
 * @param target the KB number or file pattern
 * @param clients the clients seen in the period (the report's population)
 * @param complete clients with at least one of its files whole
 * @param incomplete clients that fetched files of it, none whole
 * @param none clients that never asked for it
 */
public record CoverageSummary(
    String target, long clients, long complete, long incomplete, long none) {

  /** {@code n} as a percentage of {@link #clients}, one decimal ({@code 0.0} without clients). */
  public String percent(long n) {
    return String.format(Locale.ROOT, "%.1f%%", clients == 0 ? 0.0 : 100.0 * n / clients);
  }

  /**
   * {@code KB5034441: 10 clients, 4 complete (40.0%), 3 incomplete (30.0%), 3 none (30.0%)}, as the
   * command line prints it.
   */
  public String line() {
    return target
        + ": "
        + clients
        + (clients == 1 ? " client" : " clients")
        + ", "
        + complete
        + " complete ("
        + percent(complete)
        + "), "
        + incomplete
        + " incomplete ("
        + percent(incomplete)
        + "), "
        + none
        + " none ("
        + percent(none)
        + ")";
  }
}
