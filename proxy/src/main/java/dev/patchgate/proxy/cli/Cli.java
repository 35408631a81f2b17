package dev.patchgate.proxy.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.lang.reflect.Constructor;
import picocli.CommandLine;

/**
 * The command line of {@code patchgate.jar}: the one frame every command and subcommand runs in.
 *
 * <p>picocli parses each command's options (declared on the command classes, {@link
 * PatchgateCommand} and below) and prints the help it generates from them; {@link UsageErrors}
 * turns every bad command line into one line on {@code err}, cleaned for the terminal, and exit
 * {@link #USAGE}. Every failure a user can cause ends in one clear line and a non-zero exit, never
 * a stack trace. The exit codes below are the only ones any command returns.
 */
public final class Cli {
  /** Done: valid, allowed, intact, every URL fetched. */
  public static final int OK = 0;

  /** Invalid configuration, denied, problems found, damage found, not verified, not complete. */
  public static final int INVALID = 1;

  /** A bad command line. */
  public static final int USAGE = 2;

  /** The gateway cannot start: it cannot listen, or cannot write its audit log. */
  public static final int CANNOT_START = 3;

  private final Terminal terminal;

  /** A command line that writes to {@code out} and {@code err}, with no progress bar. */
  public Cli(PrintStream out, PrintStream err) {
    this(new Terminal(out, err, false));
  }

  Cli(Terminal terminal) {
    this.terminal = terminal;
  }

  /** Runs the command {@code args} names; returns its exit code. */
  public int execute(String... args) {
    CommandLine commandLine = commandLine(terminal);
    try {
      return commandLine.execute(args);
    } finally {
      commandLine.getOut().flush();
      commandLine.getErr().flush();
    }
  }

  /**
   * {@link #OK} when a tool's run was complete (verified, every file read), else {@link #INVALID}.
   */
  static int exitCode(boolean complete) {
    return complete ? OK : INVALID;
  }

  /** Every command, as the frame runs them; also what the completion script is made from. */
  static CommandLine commandLine(Terminal terminal) {
    CommandLine commandLine = new CommandLine(PatchgateCommand.class, new Factory(terminal));
    // "@file" would read arguments from a file: not a documented feature, and a surprise.
    commandLine.setExpandAtFiles(false);
    commandLine.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
    commandLine.setOut(writer(terminal.out()));
    commandLine.setErr(writer(terminal.err()));
    commandLine.setParameterExceptionHandler(new UsageErrors());
    return commandLine;
  }

  private static PrintWriter writer(PrintStream stream) {
    return new PrintWriter(stream, true);
  }

  /** Creates the commands, handing the {@link Terminal} to those that write. */
  private static final class Factory implements CommandLine.IFactory {
    private final Terminal terminal;

    Factory(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public <K> K create(Class<K> type) throws Exception {
      Constructor<K> constructor;
      try {
        constructor = type.getDeclaredConstructor(Terminal.class);
      } catch (NoSuchMethodException e) {
        return CommandLine.defaultFactory().create(type);
      }
      return constructor.newInstance(terminal);
    }
  }
}
