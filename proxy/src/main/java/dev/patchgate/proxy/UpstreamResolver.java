package dev.patchgate.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;

/** Turns an upstream host name into the one address the gateway will dial. A seam for tests. */
interface UpstreamResolver {
  /**
   * Resolves {@code host} (a canonical name or IP literal) once.
   *
   * @throws UnknownHostException when the name has no address or the lookup timed out
   */
  InetAddress resolve(String host) throws UnknownHostException;
}
