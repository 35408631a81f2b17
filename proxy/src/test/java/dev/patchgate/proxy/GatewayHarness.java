package dev.patchgate.proxy;

import static org.awaitility.Awaitility.await;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AuditJsonReader;
import dev.patchgate.audit.JsonLinesAuditWriter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A gateway started in this JVM on an ephemeral loopback port, with a temporary allowlist and audit
 * directory, and the clients tests talk to it with.
 */
final class GatewayHarness implements AutoCloseable {
  final Path dir;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  final FakeResolver resolver;
  private final JsonLinesAuditWriter audit;
  private final Gateway gateway;

  private GatewayHarness(Path dir, String allowlistHocon, FakeResolver resolver) throws Exception {
    this.dir = dir;
    this.resolver = resolver;
    Files.createDirectories(dir);
    Path allowlistFile = dir.resolve("allowlist.conf");
    Files.writeString(allowlistFile, allowlistHocon);
    Allowlist allowlist = Allowlist.load(allowlistFile);
    GatewaySettings settings =
        new GatewaySettings(
            Optional.empty(),
            InetSocketAddress.createUnresolved("127.0.0.1", 0),
            allowlistFile,
            dir.resolve("audit"),
            Duration.ofMillis(200),
            dir.resolve("mirror"),
            Duration.ofSeconds(5),
            Duration.ofSeconds(30),
            Duration.ofSeconds(2),
            8192,
            16384,
            2,
            2);
    this.audit =
        new JsonLinesAuditWriter(
            settings.auditDir(), Clock.systemUTC(), settings.auditFlushInterval());
    this.gateway =
        Gateway.start(settings, () -> allowlist, audit, registry, resolver, Clock.systemUTC());
  }

  static GatewayHarness start(Path dir, String allowlistHocon) throws Exception {
    return new GatewayHarness(dir, allowlistHocon, new FakeResolver());
  }

  static GatewayHarness start(Path dir, String allowlistHocon, FakeResolver resolver)
      throws Exception {
    return new GatewayHarness(dir, allowlistHocon, resolver);
  }

  InetSocketAddress address() {
    return gateway.address();
  }

  int port() {
    return gateway.address().getPort();
  }

  /** The JDK's HttpClient configured to use the gateway as its proxy. */
  HttpClient client() throws Exception {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(address()))
        .sslContext(HttpOrigin.clientContext())
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  Socket socket() throws IOException {
    Socket socket = new Socket(address().getAddress(), port());
    socket.setSoTimeout(15_000);
    return socket;
  }

  /** Every audit record written so far, in order, after the writer has flushed. */
  List<Map<String, Object>> records() {
    audit.sync().join();
    List<Map<String, Object>> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          records.add(AuditJsonReader.readObject(line));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /** Waits (up to 10 s) for the one record that matches, and returns it. */
  Map<String, Object> awaitRecord(Predicate<Map<String, Object>> match) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> records().stream().filter(match).toList(), l -> l.size() == 1)
        .get(0);
  }

  /** Waits for the record of the request to {@code url}. */
  Map<String, Object> awaitRecordFor(String url) {
    return awaitRecord(r -> url.equals(r.get("url")));
  }

  @Override
  public void close() {
    gateway.close();
    audit.close();
  }
}
