package dev.patchgate.allowlist;

import java.net.InetAddress;
import java.util.Objects;

/**
 * Everything the allowlist may look at to decide on one request.
 *
 * <p>{@code client} is not consulted yet; it is part of the request so that client groups can be
 * added to entries without changing every caller.
 *
 * @param client the address of the HIS machine that sent the request
 * @param method the HTTP method as sent, {@code "CONNECT"} for tunnels
 * @param target the canonical target, from {@link TargetParser}
 */
public record AccessRequest(InetAddress client, String method, Target target) {

  /**
   * Checks that no component is missing.
   *
   * @throws NullPointerException if any component is null
   */
  public AccessRequest {
    Objects.requireNonNull(client, "client");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(target, "target");
  }
}
