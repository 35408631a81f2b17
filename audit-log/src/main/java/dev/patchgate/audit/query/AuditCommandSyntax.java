package dev.patchgate.audit.query;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * The command line of a command that reads the audit files, and the frame such a command runs in:
 * {@code --help}, a usage error (exit 2), no audit files (exit 1), an I/O error (exit 1), and
 * otherwise the body's summary (exit 0 when every file was read, else 1).
 *
 * @param name how messages name the command, e.g. {@code patchgate audit query}
 * @param usage the help text, printed for {@code --help} and after a usage error
 * @param withValue the options that take a value
 * @param flags the options that take none ({@code --help} among them)
 */
public record AuditCommandSyntax(
    String name, String usage, Set<String> withValue, Set<String> flags) {
  /** Every file was read. */
  public static final int EXIT_OK = 0;

  /** Something could not be read, or there was nothing to read. */
  public static final int EXIT_INCOMPLETE = 1;

  /** The command line is wrong. */
  public static final int EXIT_USAGE = 2;

  /** Checks a parsed command line; throws {@link UsageException} with the message for the user. */
  public interface Parser<R> {
    R parse(CommandArgs args) throws UsageException;
  }

  /** Does the command's work for a checked request. */
  public interface Body<R> {
    ScanSummary run(R request) throws IOException;
  }

  public AuditCommandSyntax {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(usage, "usage");
    withValue = Set.copyOf(withValue);
    flags = Set.copyOf(flags);
  }

  /**
   * Runs a command: parses {@code args}, checks them with {@code parser}, makes sure {@code dir} of
   * the request holds audit files, then runs {@code body}. Returns the exit status.
   */
  public <R> int run(
      List<String> args,
      Parser<R> parser,
      Function<R, Path> dir,
      Body<R> body,
      PrintStream out,
      PrintStream err) {
    R request;
    try {
      CommandArgs parsed = CommandArgs.parse(args, withValue, flags);
      if (parsed.has("--help")) {
        out.print(usage);
        return EXIT_OK;
      }
      request = parser.parse(parsed);
    } catch (UsageException e) {
      err.println(name + ": " + e.getMessage());
      err.print(usage);
      return EXIT_USAGE;
    }
    try {
      Path auditDir = dir.apply(request);
      if (!AuditScanner.hasAuditFiles(auditDir)) {
        err.println(name + ": no audit files in " + auditDir);
        return EXIT_INCOMPLETE;
      }
      return body.run(request).complete() ? EXIT_OK : EXIT_INCOMPLETE;
    } catch (IOException | UncheckedIOException e) {
      err.println(name + ": " + e.getMessage());
      return EXIT_INCOMPLETE;
    }
  }
}
