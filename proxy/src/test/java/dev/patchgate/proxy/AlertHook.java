package dev.patchgate.proxy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;

/** A webhook receiver on loopback that the gateway's alerts go to. */
final class AlertHook implements AutoCloseable {
  private final HttpServer server;
  private final List<String> posts = new CopyOnWriteArrayList<>();

  AlertHook() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/hook",
        exchange -> {
          posts.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    server.start();
  }

  /** The gateway configuration line that sends alerts here. */
  String config() {
    return "patchgate.alerts.webhook.url = \"http://127.0.0.1:%d/hook\"\n"
        .formatted(server.getAddress().getPort());
  }

  /** Waits (up to 10 s) for an alert of {@code kind} and returns its JSON text. */
  String await(String kind) {
    return Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ofKind(kind), found -> !found.isEmpty())
        .get(0);
  }

  /** The alerts of {@code kind} received so far. */
  List<String> ofKind(String kind) {
    return posts.stream().filter(p -> p.contains("\"kind\":\"" + kind + "\"")).toList();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
