package dev.patchgate.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operating system's resolver, bounded by a timeout: the JDK's lookup has none of its own, and
 * LittleProxy asks for the address on the client's event loop.
 */
final class SystemResolver implements UpstreamResolver {
  private final Duration timeout;
  private final ExecutorService lookups =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "patchgate-dns");
            t.setDaemon(true);
            return t;
          });

  SystemResolver(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public InetAddress resolve(String host) throws UnknownHostException {
    Future<InetAddress> lookup = lookups.submit(() -> InetAddress.getByName(host));
    try {
      return lookup.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      lookup.cancel(true);
      throw new UnknownHostException(host + ": lookup timed out");
    } catch (ExecutionException e) {
      throw new UnknownHostException(host + ": " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnknownHostException(host + ": interrupted");
    }
  }
}
