package dev.patchgate.allowlist;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * Everything the allowlist may look at to decide on one request.
 *
 * <p>The time is part of the request rather than read from a clock inside the allowlist, so that
 * {@link Allowlist#decide} stays a pure function and schedules can be tested with fixed instants.
 *
 * @param client the address of the HIS machine that sent the request, matched against the client
 *     groups
 * @param method the HTTP method as sent, {@code "CONNECT"} for tunnels
 * @param target the canonical target, from {@link TargetParser}
 * @param at when the request arrived; schedules read it in the allowlist's time zone
 */
public record AccessRequest(InetAddress client, String method, Target target, Instant at) {

  /**
   * Checks that no component is missing.
   *
   * @throws NullPointerException if any component is null
   */
  public AccessRequest {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(at, "at");
  }
}
