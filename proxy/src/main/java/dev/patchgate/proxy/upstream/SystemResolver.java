package dev.patchgate.proxy.upstream;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The operating system's resolver (hosts file, DNS, whatever the machine is set up for), run on a
 * small pool of its own threads and bounded by a timeout: the JDK's lookup blocks and has no
 * timeout of its own. A lookup that outlives its timeout keeps its thread until the system gives
 * up, so the pool is bounded and a full pool fails new lookups at once instead of queueing them.
 *
 * <p>Public for the command line, which starts the gateway with it.
 */
public final class SystemResolver implements UpstreamResolver {
  private static final int MAX_LOOKUPS = 64;

  private final Duration timeout;
  private final ThreadPoolExecutor lookups =
      new ThreadPoolExecutor(
          0,
          MAX_LOOKUPS,
          30,
          TimeUnit.SECONDS,
          new SynchronousQueue<>(),
          r -> {
            Thread t = new Thread(r, "patchgate-dns");
            t.setDaemon(true);
            return t;
          });

  public SystemResolver(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public CompletableFuture<List<InetAddress>> resolve(String host) {
    CompletableFuture<List<InetAddress>> lookup;
    try {
      lookup = CompletableFuture.supplyAsync(() -> lookUp(host), lookups);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(
          new UnknownHostException(host + ": too many lookups in progress"));
    }
    return lookup
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .exceptionallyCompose(e -> CompletableFuture.failedFuture(unknown(host, e)));
  }

  private static List<InetAddress> lookUp(String host) {
    try {
      return List.of(InetAddress.getAllByName(host));
    } catch (UnknownHostException e) {
      throw new CompletionException(e);
    }
  }

  private static UnknownHostException unknown(String host, Throwable failure) {
    Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
    if (cause instanceof UnknownHostException unknown) {
      return unknown;
    }
    if (cause instanceof TimeoutException) {
      return new UnknownHostException(host + ": lookup timed out");
    }
    return new UnknownHostException(host + ": " + cause);
  }
}
