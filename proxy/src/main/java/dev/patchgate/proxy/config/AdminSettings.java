package dev.patchgate.proxy.config;

import dev.patchgate.allowlist.Cidr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

/**
 * The admin listener ({@code patchgate.admin}): where it listens, if at all, and which addresses
 * may ask it anything. Everyone else is refused, so the default (loopback only) exposes nothing to
 * the network.
 *
 * @param listen "host:port" to listen on (unresolved until bound), or empty when the listener is
 *     off
 * @param clients the addresses and ranges allowed to ask; never empty when the listener is on
 * @param console the web console it serves too, and whether it speaks TLS
 *     <p>Public for the gateway's wiring and the tests.
 */
public record AdminSettings(
    Optional<InetSocketAddress> listen, List<Cidr> clients, ConsoleSettings console) {
  public AdminSettings {
    clients = List.copyOf(clients);
  }

  /** No admin listener: what tests that do not look at it use. */
  public static AdminSettings off() {
    return new AdminSettings(Optional.empty(), List.of(), ConsoleSettings.off());
  }

  /** True when {@code address} may use the admin listener. */
  public boolean admits(InetAddress address) {
    for (Cidr range : clients) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Parses {@code patchgate.admin.listen}: "host:port", or "" for no listener. */
  static Optional<InetSocketAddress> parseListen(String value) {
    return value.isBlank()
        ? Optional.empty()
        : Optional.of(GatewaySettings.parseListen(value.strip()));
  }

  /**
   * Parses one address or range ({@code patchgate.admin.clients}, {@code
   * patchgate.trusted-downstreams}), with the allowlist's message when wrong.
   */
  static Cidr parseClient(String value) {
    return Cidr.parse(value.strip());
  }
}
