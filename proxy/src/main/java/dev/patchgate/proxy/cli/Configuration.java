package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.AllowlistException;
import dev.patchgate.allowlist.Problem;
import dev.patchgate.audit.text.DisplayText;
import dev.patchgate.proxy.config.GatewaySettings;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The configuration and the allowlist it names, or every problem found in either, as the commands
 * read them.
 *
 * @param settings null when the configuration is not valid
 * @param allowlist null when the configuration or the allowlist is not valid
 */
record Configuration(GatewaySettings settings, Allowlist allowlist, List<String> problems) {
  /** Reads the configuration {@code file} (the embedded defaults when empty) and its allowlist. */
  static Configuration load(Optional<Path> file) {
    GatewaySettings settings;
    try {
      settings = GatewaySettings.load(file);
    } catch (GatewaySettings.InvalidSettingsException e) {
      return new Configuration(null, null, cleaned(e.problems()));
    }
    try {
      return new Configuration(settings, Allowlist.load(settings.allowlist()), List.of());
    } catch (AllowlistException e) {
      return new Configuration(
          settings, null, cleaned(e.problems().stream().map(Problem::toString).toList()));
    }
  }

  /**
   * The problems as they may be shown: they quote the files' values, which must not drive the
   * terminal either.
   */
  private static List<String> cleaned(List<String> problems) {
    return problems.stream().map(DisplayText::clean).toList();
  }

  /**
   * The configuration alone, for the tools that need no allowlist; empty after printing every
   * problem on {@code err} (the caller exits {@link Cli#INVALID}).
   */
  static Optional<GatewaySettings> settings(String command, Optional<Path> file, PrintStream err) {
    try {
      return Optional.of(GatewaySettings.load(file));
    } catch (GatewaySettings.InvalidSettingsException e) {
      cleaned(e.problems()).forEach(err::println);
      err.println("patchgate " + command + ": the configuration is not valid");
      return Optional.empty();
    }
  }
}
