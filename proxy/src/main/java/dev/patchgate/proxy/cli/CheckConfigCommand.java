package dev.patchgate.proxy.cli;

import dev.patchgate.proxy.PolicyReload;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code patchgate check-config}: every problem of the configuration and its allowlist. */
@Command(
    name = "check-config",
    description = {
      "Validates the configuration and the allowlist it names.",
      "Prints every problem with its file and line and exits 1, or prints a summary and exits"
          + " 0."
    })
final class CheckConfigCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Mixin private CommonOptions common;

  CheckConfigCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    Configuration loaded = Configuration.load(common.config());
    List<String> problems = loaded.problems();
    if (!problems.isEmpty()) {
      problems.forEach(terminal.err()::println);
      terminal
          .err()
          .println(problems.size() + (problems.size() == 1 ? " problem" : " problems") + " found");
      return Cli.INVALID;
    }
    terminal
        .out()
        .println(
            "configuration OK: "
                + common.config().map(Path::toString).orElse("embedded defaults")
                + "; allowlist "
                + loaded.settings().allowlist()
                + ": "
                + PolicyReload.entries(loaded.allowlist()));
    return Cli.OK;
  }
}
