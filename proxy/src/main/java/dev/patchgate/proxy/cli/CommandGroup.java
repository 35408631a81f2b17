package dev.patchgate.proxy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code audit}, {@code mirror}): without one, a usage
 * error that names them. Takes {@code --config FILE} for its subcommands ({@link
 * CommonOptions#config}).
 */
abstract class CommandGroup implements Callable<Integer> {
  @Spec private CommandSpec spec;

  @Mixin(name = CommonOptions.NAME)
  private CommonOptions common;

  @Override
  public Integer call() {
    throw UsageErrors.of(spec, "expected " + UsageErrors.orList(UsageErrors.subcommands(spec)));
  }
}
