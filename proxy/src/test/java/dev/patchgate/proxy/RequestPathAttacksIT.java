package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.RequestLine;
import dev.patchgate.proxy.request.RequestGate;
import dev.patchgate.proxy.tunnel.SniGate;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The request path under the attacks of the black-box review in issue 10 (findings 3 to 7): one
 * test per threat, each against the real gateway with raw sockets, asserting what the client gets
 * and what the audit log says.
 */
class RequestPathAttacksIT {
  private static final byte[] FIRST = "first file\n".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] SECOND = "the second file\n".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;

  @BeforeEach
  void startOrigin() throws IOException {
    origin = HttpOrigin.plain();
    origin.put("first", FIRST);
    origin.put("second", SECOND);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  // ---- finding 3: pipelined requests ---------------------------------------------------------

  @Test
  void pipelinedRequestsAreAnsweredInOrderAndEachRecordHasItsOwnStatusAndBytes() throws Exception {
    startGateway(labAllowing(origin.port()), "");
    String first = get(origin.base() + "/nostore/first");
    String second = get(origin.base() + "/nostore/second");
    String denied = get("http://127.0.0.1:1/denied");

    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, first + second + denied);
      RawHttp.Response one = RawHttp.read(socket, false);
      RawHttp.Response two = RawHttp.read(socket, false);
      RawHttp.Response three = RawHttp.read(socket, false);

      assertThat(one.status()).isEqualTo(200);
      assertThat(one.body()).isEqualTo(FIRST);
      assertThat(two.status()).isEqualTo(200);
      assertThat(two.body()).isEqualTo(SECOND);
      assertThat(three.status()).isEqualTo(403);

      List<Map<String, Object>> records = awaitRecords(3);
      assertThat(records)
          .extracting(r -> r.get("url"))
          .containsExactly(
              origin.base() + "/nostore/first",
              origin.base() + "/nostore/second",
              "http://127.0.0.1:1/denied");
      assertExact(records.get(0), 200, one, first);
      assertExact(records.get(1), 200, two, second);
      assertExact(records.get(2), 403, three, denied);
    }
  }

  // ---- finding 4: bytes sent with a CONNECT, before its 200 ----------------------------------

  @Test
  void aClientHelloSentWithTheConnectMeetsTheSniCheck() throws Exception {
    try (ScriptedOrigin upstream = new ScriptedOrigin(c -> c.getInputStream().readAllBytes())) {
      startGateway(
          """
          entries {
            vendor { hosts = ["updates.example.test"], ports = [%d], addresses = ["127.0.0.0/8"] }
          }
          """
              .formatted(upstream.port()),
          "");
      String connect = connect("updates.example.test", upstream.port());
      byte[] hello = clientHello("fronted.example.net");

      try (Socket socket = gateway.socket()) {
        socket.getOutputStream().write(concat(bytes(connect), hello));
        assertThat(RawHttp.read(socket, true).status()).isEqualTo(200);
        assertThat(socket.getInputStream().read()).as("the tunnel is closed").isEqualTo(-1);
      }
      List<Map<String, Object>> records = awaitRecords(1);
      assertThat(records.get(0))
          .containsEntry("method", "CONNECT")
          .containsEntry("decision", "deny")
          .containsEntry("reason", SniGate.MISMATCH)
          .containsEntry("status", 200L)
          .containsEntry("bytes_from_client", (long) connect.length() + hello.length);
    }
  }

  @Test
  void requestsSentWithTheConnectAreTunnelBytesNotRequests() throws Exception {
    String early = get("http://127.0.0.1:1/denied") + get(origin.base() + "/files/first");
    CompletableFuture<String> relayed = new CompletableFuture<>();
    try (ScriptedOrigin upstream =
        new ScriptedOrigin(
            c -> {
              byte[] got = c.getInputStream().readNBytes(early.length());
              relayed.complete(new String(got, StandardCharsets.ISO_8859_1));
              c.getOutputStream().write("pong".getBytes(StandardCharsets.US_ASCII));
            })) {
      startGateway(
          """
          entries {
            raw { hosts = ["127.0.0.1"], ports = [%d], sni-check = false }
          }
          """
              .formatted(upstream.port()),
          "");
      String connect = connect("127.0.0.1", upstream.port());

      try (Socket socket = gateway.socket()) {
        RawHttp.send(socket, connect + early);
        RawHttp.Response opened = RawHttp.read(socket, true);
        assertThat(opened.status()).isEqualTo(200);
        assertThat(relayed.get(10, TimeUnit.SECONDS)).isEqualTo(early);
        assertThat(socket.getInputStream().readAllBytes())
            .isEqualTo("pong".getBytes(StandardCharsets.US_ASCII));
        List<Map<String, Object>> records = awaitRecords(1);
        assertThat(records.get(0))
            .containsEntry("method", "CONNECT")
            .containsEntry("decision", "allow")
            .containsEntry("status", 200L)
            .containsEntry("bytes_from_client", (long) (connect.length() + early.length()))
            .containsEntry("bytes_to_client", opened.wireBytes() + 4);
      }
    }
  }

  // ---- finding 5: an origin that switches protocols ------------------------------------------

  @Test
  void anOriginSwitchingProtocolsGets502AndNothingIsRelayedEitherWay() throws Exception {
    CompletableFuture<Integer> afterSwitch = new CompletableFuture<>();
    try (ScriptedOrigin upstream =
        new ScriptedOrigin(
            c -> {
              RawHttp.readHead(c.getInputStream());
              c.getOutputStream()
                  .write(
                      ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              + "Connection: Upgrade\r\n\r\nRAW BYTES FROM THE ORIGIN")
                          .getBytes(StandardCharsets.US_ASCII));
              c.getOutputStream().flush();
              afterSwitch.complete(c.getInputStream().readAllBytes().length);
            })) {
      startGateway(labAllowing(upstream.port()), "");
      String url = "http://127.0.0.1:" + upstream.port() + "/chat";
      String upgrade =
          "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
              .formatted(url, upstream.port());
      String smuggled = "GET /anything HTTP/1.1\r\nHost: another.host\r\n\r\n";

      try (Socket socket = gateway.socket()) {
        RawHttp.send(socket, upgrade + smuggled);
        RawHttp.Response response = RawHttp.read(socket, false);
        assertThat(response.status()).isEqualTo(502);
        assertThat(response.bodyText()).contains(Exchange.UPSTREAM_SWITCHED_PROTOCOLS);
        assertThat(socket.getInputStream().readAllBytes()).as("after the 502").isEmpty();
      }
      assertThat(afterSwitch.get(10, TimeUnit.SECONDS)).as("bytes relayed to the origin").isZero();
      assertThat(upstream.connections()).isEqualTo(1);
      assertThat(awaitRecords(1).get(0))
          .containsEntry("url", url)
          .containsEntry("decision", "error")
          .containsEntry("reason", Exchange.UPSTREAM_SWITCHED_PROTOCOLS)
          .containsEntry("status", 502L);
    }
  }

  // ---- finding 6: what an unparseable request is recorded as ---------------------------------

  static Stream<Arguments> unparseableRequestLines() {
    String long100k = "/" + "a".repeat(100_000);
    return Stream.of(
        // Script in the method: a log viewer that renders records must see it as text.
        Arguments.of(
            "script as the method",
            "<script>alert(1)</script> http://x.example/ HTTP/1.1",
            "<script>alert(1)</script>",
            "http://x.example/"),
        // A spreadsheet formula in the method: CSV exports guard cells, the record keeps it.
        Arguments.of(
            "formula as the method",
            "=HYPERLINK(\"http://evil.example/\") http://x.example/ HTTP/1.1",
            "=HYPERLINK(\"http://evil.example/\")",
            "http://x.example/"),
        // Bytes outside printable ASCII are escaped, never written raw.
        Arguments.of(
            "control and non-ASCII bytes",
            "G\u0001\u00c9T http://x.example/\u00ff HTTP/1.1",
            "G%01%c9T",
            "http://x.example/%ff"),
        // A huge target is cut; the record says how much was sent.
        Arguments.of(
            "a 100 KB target",
            "GET " + long100k + " HTTP/1.1",
            "GET",
            long100k.substring(0, RequestLine.MAX_TARGET) + "...(request line: over "));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unparseableRequestLines")
  void anUnparseableRequestIsRecordedWithItsRawMethodAndTarget(
      String name, String line, String method, String target) throws Exception {
    startGateway(labAllowing(origin.port()), "");
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, line + "\r\nHost: x.example\r\n\r\n");
      assertThat(RawHttp.read(socket, false).status()).as(name).isEqualTo(400);
    }
    Map<String, Object> record = awaitRecords(1).get(0);
    assertThat(record)
        .containsEntry("decision", "error")
        .containsEntry("reason", RequestGate.MALFORMED)
        .containsEntry("method", method);
    assertThat((String) record.get("url")).as(name).startsWith(target);
    assertThat(((String) record.get("url")).length())
        .isLessThanOrEqualTo(RequestLine.MAX_TARGET + 40);
  }

  // ---- finding 7: the idle timeout -----------------------------------------------------------

  static Stream<Arguments> idleClients() {
    return Stream.of(
        Arguments.of("nothing sent", ""), Arguments.of("half a request", "GET http://x.example/"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("idleClients")
  void anIdleConnectionIsClosedAtTheConfiguredTimeout(String name, String sent) throws Exception {
    startGateway(labAllowing(origin.port()), "patchgate.timeouts.idle = 2s");
    try (Socket socket = gateway.socket()) {
      long start = System.nanoTime();
      RawHttp.send(socket, sent);
      assertThat(socket.getInputStream().read()).as(name).isEqualTo(-1);
      long elapsed = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      // Closed after the configured 2 s, well before the 4 s the first swallowed event made.
      assertThat(elapsed).as(name).isBetween(1_900L, 3_500L);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private void startGateway(String allowlist, String config) throws Exception {
    gateway =
        GatewayHarness.with(dir, allowlist)
            .resolver(new FakeResolver().answer("updates.example.test", "127.0.0.1"))
            .config(config)
            .start();
  }

  private static String labAllowing(int port) {
    return """
        entries {
          lab { hosts = ["127.0.0.1"], ports = [%d] }
        }
        """
        .formatted(port);
  }

  private static String get(String url) {
    return "GET " + url + " HTTP/1.1\r\n\r\n";
  }

  private static String connect(String host, int port) {
    return "CONNECT %s:%d HTTP/1.1\r\nHost: %s:%d\r\n\r\n".formatted(host, port, host, port);
  }

  private List<Map<String, Object>> awaitRecords(int count) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(gateway::records, records -> records.size() >= count);
  }

  /** The record has the response's status and exactly its bytes, and exactly its request's. */
  private static void assertExact(
      Map<String, Object> record, int status, RawHttp.Response response, String request) {
    assertThat(record)
        .containsEntry("status", (long) status)
        .containsEntry("bytes_to_client", response.wireBytes())
        .containsEntry("bytes_from_client", (long) request.length());
  }

  /** The first flight of a real TLS client (the JDK's) naming {@code serverName}. */
  private static byte[] clientHello(String serverName) throws Exception {
    SSLEngine engine = HttpOrigin.clientContext().createSSLEngine(serverName, 443);
    engine.setUseClientMode(true);
    SSLParameters parameters = engine.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(serverName)));
    engine.setSSLParameters(parameters);
    ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
    engine.wrap(ByteBuffer.allocate(0), out);
    out.flip();
    byte[] hello = new byte[out.remaining()];
    out.get(hello);
    return hello;
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
