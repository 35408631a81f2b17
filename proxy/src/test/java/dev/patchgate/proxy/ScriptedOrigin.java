package dev.patchgate.proxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw TCP origin on loopback that runs a script on each connection: for tunnels with exact byte
 * counts and for upstreams that misbehave.
 */
public final class ScriptedOrigin implements AutoCloseable {
  /** What the origin does with one accepted connection. */
  public interface Script {
    void run(Socket connection) throws IOException;
  }

  private final ServerSocket server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicInteger connections = new AtomicInteger();

  /** Completes with the first failure of a script, so a test can see it. */
  final CompletableFuture<Throwable> failure = new CompletableFuture<>();

  public ScriptedOrigin(Script script) throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    threads.execute(
        () -> {
          while (!server.isClosed()) {
            try {
              Socket connection = server.accept();
              connections.incrementAndGet();
              threads.execute(
                  () -> {
                    try (connection) {
                      script.run(connection);
                    } catch (IOException | RuntimeException e) {
                      failure.complete(e);
                    }
                  });
            } catch (IOException e) {
              return;
            }
          }
        });
  }

  public int port() {
    return server.getLocalPort();
  }

  public int connections() {
    return connections.get();
  }

  @Override
  public void close() throws IOException {
    server.close();
    threads.shutdownNow();
  }
}
