package dev.patchgate.proxy.admin;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Whether the gateway should be sent traffic: the proxy listener accepts connections, the allowlist
 * file is the policy in force, audit records are being written, and their disk has more free space
 * than {@code patchgate.audit.min-free}. {@code /readyz} answers 503 with one line per problem, for
 * load balancers and keepalived checks; {@code patchgate_ready} says the same as 1 or 0.
 * Thread-safe: each check reads volatile state.
 */
public final class Readiness {
  private final List<Supplier<Optional<String>>> checks;

  /**
   * @param checks each says what is wrong, in one line for the operator, or nothing when all is
   *     well
   */
  public Readiness(List<Supplier<Optional<String>>> checks) {
    this.checks = List.copyOf(checks);
  }

  /** What keeps the gateway from being ready, one line each; empty when it is ready. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    for (Supplier<Optional<String>> check : checks) {
      check.get().ifPresent(problems::add);
    }
    return problems;
  }

  public boolean ready() {
    return problems().isEmpty();
  }
}
