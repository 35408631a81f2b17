package dev.patchgate.allowlist;

import java.util.List;
import java.util.Objects;

/**
 * Why the allowlist decided what it did about one request, in lines an administrator can read: the
 * request, the client's groups, the entry that allowed it, or the entry that came closest and what
 * differed. For the command that answers "why did this PC's update fail?".
 *
 * <p>The lines quote the request (host, path, client address) and the allowlist; unlike {@link
 * Decision#reason()} they are meant for the administrator, not for a client. Immutable.
 */
public final class Explanation {
  private final Decision decision;
  private final List<String> lines;

  Explanation(Decision decision, List<String> lines) {
    this.decision = Objects.requireNonNull(decision, "decision");
    this.lines = List.copyOf(lines);
  }

  /** The decision, the same {@link Allowlist#decide} gives for the request. */
  public Decision decision() {
    return decision;
  }

  /** The explanation, one finding a line, without line breaks inside; unmodifiable. */
  public List<String> lines() {
    return lines;
  }

  /** The lines joined with {@code "\n"}. */
  @Override
  public String toString() {
    return String.join("\n", lines);
  }
}
