package dev.patchgate.proxy.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code patchgate}: the commands; without one, the usage on {@code err} and exit 2. */
@Command(
    name = "patchgate",
    customSynopsis = "patchgate <command> [options]",
    description = "The update gateway for hospital networks, and its tools.",
    subcommands = {
      RunCommand.class,
      CheckConfigCommand.class,
      ExplainCommand.class,
      ProfilesCommand.class,
      AuditCommand.class,
      MirrorCommand.class,
      UserCommand.class,
      CommandLine.HelpCommand.class
    },
    synopsisSubcommandLabel = "<command>",
    commandListHeading = "%nCommands:%n",
    optionListHeading = "%nOptions:%n",
    footer = {
      "",
      "Run from the repository root without --config, the gateway listens on 127.0.0.1:3128",
      "with deploy/allowlist.conf and writes its audit log to var/audit.",
      "'patchgate <command> --help' shows a command's options."
    })
final class PatchgateCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Spec private CommandSpec spec;

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "show this help; every command also takes --config FILE")
  private boolean help;

  PatchgateCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    spec.commandLine().usage(terminal.err(), CommandLine.Help.Ansi.OFF);
    return Cli.USAGE;
  }
}
