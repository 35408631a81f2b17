package dev.patchgate.proxy.cli;

import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code --dir DIR}: the directory a tool reads instead of the configured one. */
final class DirOption {
  @Spec(Spec.Target.MIXEE)
  private CommandSpec mixee;

  private Path dir;

  @Option(
      names = "--dir",
      paramLabel = "DIR",
      description = "the directory to use instead of the configured one (see below)")
  void dir(String value) {
    dir = Path.of(UsageErrors.nonBlank(mixee, "--dir", "DIR", value));
  }

  /** The directory given, if one was. */
  Optional<Path> given() {
    return Optional.ofNullable(dir);
  }
}
