package dev.patchgate.audit.query;

import dev.patchgate.audit.text.DisplayText;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * How a tool that reads the audit files runs once its options are checked: no audit files, or an
 * I/O error, is one line on {@code err} (cleaned: it names what the user typed) and not a complete
 * run; otherwise the body's summary says whether every file was read. Stateless.
 */
public final class AuditToolRun {
  /** Does the tool's work. */
  @FunctionalInterface
  public interface Body {
    ScanSummary run() throws IOException;
  }

  private AuditToolRun() {}

  /**
   * Runs {@code body} over {@code dir}.
   *
   * @param name how messages name the tool, e.g. {@code patchgate audit query}
   * @return true when the directory held audit files and every one was read to its end
   */
  public static boolean run(String name, Path dir, Body body, PrintStream err) {
    try {
      if (!AuditScanner.hasAuditFiles(dir)) {
        err.println(DisplayText.clean(name + ": no audit files in " + dir));
        return false;
      }
      return body.run().complete();
    } catch (IOException | UncheckedIOException e) {
      err.println(DisplayText.clean(name + ": " + e.getMessage()));
      return false;
    }
  }
}
