package dev.patchgate.proxy.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.AutoComplete;

/**
 * Writes the bash completion script of {@code patchgate} (for bash and zsh with bashcompinit), made
 * by picocli from the same command classes the jar runs, so it cannot fall behind them. The build
 * runs it ({@code proxy/pom.xml}, phase {@code package}): {@code
 * proxy/target/patchgate-completion.bash}.
 */
public final class CompletionScript {
  private CompletionScript() {}

  /** {@code args[0]}: the file to write. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      throw new IllegalArgumentException("usage: CompletionScript FILE");
    }
    PrintStream nowhere =
        new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    String script =
        AutoComplete.bash("patchgate", Cli.commandLine(new Terminal(nowhere, nowhere, false)));
    Path file = Path.of(args[0]);
    Files.createDirectories(file.toAbsolutePath().getParent());
    Files.writeString(file, script, StandardCharsets.UTF_8);
  }
}
