package dev.patchgate.proxy.upstream;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Looks up an upstream host name's addresses, off the caller's thread. A seam for tests.
 *
 * <p>Public for the gateway's wiring, the request path, the command line and the end-to-end tests
 * (a fake resolver).
 */
public interface UpstreamResolver {
  /**
   * Looks up every address of {@code host} once. Never blocks the caller: the gateway calls this on
   * a client connection's event loop, which serves many other connections.
   *
   * @param host a canonical host name (never an IP literal)
   * @return a future completed with at least one address, or failed with an {@link
   *     java.net.UnknownHostException} when the name has none or the lookup timed out
   */
  CompletableFuture<List<InetAddress>> resolve(String host);
}
