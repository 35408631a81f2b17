package dev.patchgate.proxy.console.users;

import java.util.List;

/**
 * The users file cannot be used: each problem is one line, {@code file:line: what is wrong; the
 * fix}, as the allowlist reports its own.
 */
public final class ConsoleUsersException extends Exception {
  private static final long serialVersionUID = 1L;

  private final List<String> problems;

  ConsoleUsersException(List<String> problems) {
    super(String.join("\n", problems));
    this.problems = List.copyOf(problems);
  }

  /** Every problem found, one a line, in file order. */
  public List<String> problems() {
    return problems;
  }
}
