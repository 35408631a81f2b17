package dev.patchgate.allowlist;

import java.util.List;
import java.util.stream.Collectors;

/**
 * An allowlist file that cannot be used, with every problem found in it rather than only the first,
 * so the administrator can fix them all in one pass.
 */
public final class AllowlistException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  AllowlistException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("an AllowlistException needs at least one problem");
    }
    this.problems = List.copyOf(problems);
  }

  /** The problems in the order they were found (file order); never empty, unmodifiable. */
  public List<Problem> problems() {
    return problems;
  }
}
