package dev.patchgate.proxy.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** The options every command takes: {@code --config FILE} and {@code --help}. */
final class CommonOptions {
  /** The name a command gives its {@code @Mixin} field of this type. */
  static final String NAME = "common";

  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  /** The environment variable that names the configuration file when no --config is given. */
  static final String CONFIG_ENV = "PATCHGATE_CONFIG";

  private Optional<Path> config = Optional.empty();

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help")
  private boolean help;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "configuration file (HOCON); overrides the embedded defaults key by key")
  void config(String file) {
    config = Optional.of(Path.of(UsageErrors.nonBlank(mixee, "--config", "FILE", file)));
  }

  /**
   * The configuration file given to this command, or to a command above it ({@code mirror --config
   * FILE ls}); else the one {@value #CONFIG_ENV} names (the Debian package's launcher sets it to
   * {@code /etc/patchgate/patchgate.conf}, so that {@code patchgate check-config} on a server reads
   * the server's file); empty when none is, and the embedded defaults apply.
   */
  Optional<Path> config() {
    for (CommandSpec above = mixee.parent(); config.isEmpty() && above != null; ) {
      CommandSpec mixin = above.mixins().get(NAME);
      if (mixin != null && mixin.userObject() instanceof CommonOptions options) {
        return options.config();
      }
      above = above.parent();
    }
    if (config.isEmpty()) {
      String fromEnvironment = System.getenv(CONFIG_ENV);
      if (fromEnvironment != null && !fromEnvironment.isBlank()) {
        return Optional.of(Path.of(fromEnvironment.strip()));
      }
    }
    return config;
  }
}
