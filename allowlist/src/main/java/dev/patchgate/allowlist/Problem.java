package dev.patchgate.allowlist;

import java.util.Objects;

/**
 * One mistake in an allowlist file, phrased for the administrator who has to fix it.
 *
 * @param file the file name as given to {@link Allowlist#load} or {@link Allowlist#parse}
 * @param line the 1-based line of the offending value, or 0 when the problem is the whole file
 * @param message what is wrong, quoting the value, and how to fix it
 */
public record Problem(String file, int line, String message) {

  /**
   * Checks the components.
   *
   * @throws NullPointerException if {@code file} or {@code message} is null
   * @throws IllegalArgumentException if {@code line} is negative
   */
  public Problem {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(message, "message");
    if (line < 0) {
      throw new IllegalArgumentException("line < 0: " + line);
    }
  }

  /** {@code "file:line: message"}, the form compilers use, so editors can jump to the line. */
  @Override
  public String toString() {
    return file + ":" + line + ": " + message;
  }
}
