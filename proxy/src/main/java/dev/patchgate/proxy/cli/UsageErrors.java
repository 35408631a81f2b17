package dev.patchgate.proxy.cli;

import dev.patchgate.audit.text.DisplayText;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;

/**
 * A bad command line, as one line on {@code err}: {@code patchgate COMMAND: what is wrong (see
 * 'patchgate COMMAND --help')}, and exit {@link Cli#USAGE}.
 *
 * <p>picocli's own messages are reworded here, so that every command says the same thing the same
 * way ({@code unknown option '--port'}, {@code --config needs a file}, {@code --client given
 * twice}); a command's own checks throw {@link ParameterException} with their message, through
 * {@link #of}. The whole line passes through {@link DisplayText#clean}: it echoes what the user
 * typed, and a control character in it must not drive the terminal.
 */
final class UsageErrors implements CommandLine.IParameterExceptionHandler {
  /** What an option with this parameter label needs, in words. */
  private static final Map<String, String> NEEDS =
      Map.of("FILE", "a file", "DIR", "a directory", "HOST:PORT", "HOST:PORT");

  @Override
  public int handleParseException(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    String name = commandLine.getCommandSpec().qualifiedName();
    commandLine
        .getErr()
        .println(DisplayText.clean(name + ": " + message(e) + " (see '" + name + " --help')"));
    return Cli.USAGE;
  }

  /** A usage error of {@code spec}'s command, with {@code message} as the user reads it. */
  static ParameterException of(CommandSpec spec, String message) {
    return new ParameterException(spec.commandLine(), message);
  }

  /** {@code value}, unless it is blank: then a usage error saying {@code option} needs one. */
  static String nonBlank(CommandSpec spec, String option, String label, String value) {
    if (value.isBlank()) {
      throw of(spec, option + " needs " + NEEDS.getOrDefault(label, "a value"));
    }
    return value;
  }

  private static String message(ParameterException e) {
    if (e instanceof CommandLine.UnmatchedArgumentException unmatched
        && !unmatched.getUnmatched().isEmpty()) {
      return unmatched(e.getCommandLine().getCommandSpec(), unmatched.getUnmatched().get(0));
    }
    if (e instanceof CommandLine.MissingParameterException missing
        && !missing.getMissing().isEmpty()
        && missing.getMissing().get(0) instanceof OptionSpec option) {
      return option.longestName() + " needs " + NEEDS.getOrDefault(option.paramLabel(), "a value");
    }
    if (e instanceof CommandLine.OverwrittenOptionException overwritten) {
      ArgSpec arg = overwritten.getOverwritten();
      return (arg instanceof OptionSpec option ? option.longestName() : arg.paramLabel())
          + " given twice";
    }
    return e.getMessage();
  }

  private static String unmatched(CommandSpec spec, String arg) {
    if (arg.startsWith("-") && arg.length() > 1) {
      return "unknown option '" + arg + "'";
    }
    List<String> commands = subcommands(spec);
    if (commands.isEmpty()) {
      return "unexpected argument '" + arg + "'";
    }
    String which = spec.parent() == null ? "command" : spec.name() + " command";
    return "unknown " + which + " '" + arg + "'; expected " + orList(commands);
  }

  /** The names of the subcommands of {@code spec} a user is told about, in order. */
  static List<String> subcommands(CommandSpec spec) {
    return spec.subcommands().entrySet().stream()
        .filter(c -> !c.getKey().equals("help"))
        .filter(c -> !c.getValue().getCommandSpec().usageMessage().hidden())
        .map(Map.Entry::getKey)
        .toList();
  }

  /** {@code a, b or c}. */
  static String orList(List<String> words) {
    if (words.size() == 1) {
      return words.get(0);
    }
    return String.join(", ", words.subList(0, words.size() - 1))
        + " or "
        + words.get(words.size() - 1);
  }
}
