package dev.patchgate.allowlist;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * What an allowlist's {@code limits} block sets for a client, through the client groups it is in:
 * each limit the gateway's configuration sets for every client, raised (or lowered) for these. A
 * limit no group of the client sets is empty, and the gateway's own applies.
 *
 * <p>A client in several groups with limits gets the most generous of each.
 *
 * @param connectionsPerClient open connections at once
 * @param requestsPerClient the request rate
 */
public record ClientLimits(
    OptionalInt connectionsPerClient, Optional<RequestRate> requestsPerClient) {
  /** Nothing set: the gateway's limits apply. */
  public static final ClientLimits NONE = new ClientLimits(OptionalInt.empty(), Optional.empty());

  /** The most generous of each limit set by either. */
  ClientLimits orMoreGenerous(ClientLimits other) {
    OptionalInt connections = connectionsPerClient;
    if (other.connectionsPerClient.isPresent()) {
      connections =
          OptionalInt.of(
              Math.max(
                  other.connectionsPerClient.getAsInt(),
                  connections.orElse(other.connectionsPerClient.getAsInt())));
    }
    Optional<RequestRate> rate = requestsPerClient;
    if (other.requestsPerClient.isPresent()) {
      RequestRate theirs = other.requestsPerClient.get();
      rate = Optional.of(rate.map(mine -> mine.orMoreGenerous(theirs)).orElse(theirs));
    }
    return new ClientLimits(connections, rate);
  }
}
