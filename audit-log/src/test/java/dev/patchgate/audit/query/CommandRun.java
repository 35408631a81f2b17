package dev.patchgate.audit.query;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** What one run of an audit command printed and returned. */
public record CommandRun(int exit, String out, String err) {

  /** The command entry points share this signature. */
  @FunctionalInterface
  public interface Command {
    int run(List<String> args, Path defaultDir, PrintStream out, PrintStream err);
  }

  /** Runs {@code command} with {@code args}, capturing both streams as UTF-8. */
  public static CommandRun of(Command command, Path dir, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8)) {
      int exit = command.run(List.of(args), dir, o, e);
      o.flush();
      e.flush();
      return new CommandRun(
          exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
  }

  /** The output's lines, without line terminators. */
  public List<String> outLines() {
    return out.lines().toList();
  }
}
