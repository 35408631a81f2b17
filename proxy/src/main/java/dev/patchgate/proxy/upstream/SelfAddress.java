package dev.patchgate.proxy.upstream;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;

/**
 * The gateway's own listening socket, so that no request is ever proxied back into the gateway: a
 * loop that would multiply one request into thousands and make every record lie about its origin.
 * This holds whatever the allowlist says, since no entry can have a reason to want it.
 *
 * <p>Set once the listener is bound (the port may be chosen by the system); thread-safe.
 *
 * <p>Public for the gateway's wiring and the request path.
 */
public final class SelfAddress {
  public static final String REFUSAL = "target is the gateway itself";

  private volatile int port = -1;
  private volatile Set<InetAddress> addresses = Set.of();

  /**
   * Records where the gateway listens. A wildcard listener is reachable on every local address, so
   * those are collected from the network interfaces as they are now.
   */
  public void bound(InetSocketAddress listen) {
    Set<InetAddress> own = new HashSet<>();
    InetAddress address = listen.getAddress();
    if (address.isAnyLocalAddress()) {
      try {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
          own.addAll(Collections.list(nic.getInetAddresses()));
        }
      } catch (SocketException e) {
        // Without the interface list, loopback and the wildcard itself are still refused below.
      }
    } else {
      own.add(address);
    }
    addresses = Set.copyOf(own);
    port = listen.getPort();
  }

  /** True when dialling {@code address}:{@code targetPort} would reach the gateway's listener. */
  public boolean isGateway(InetAddress address, int targetPort) {
    if (targetPort != port) {
      return false;
    }
    return addresses.contains(address)
        || address.isAnyLocalAddress()
        || (address.isLoopbackAddress()
            && addresses.stream().anyMatch(InetAddress::isLoopbackAddress));
  }
}
