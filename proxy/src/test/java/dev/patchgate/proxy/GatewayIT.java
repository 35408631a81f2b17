package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.audit.AuditFields;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The gateway end to end: a real HTTP origin, a real TLS origin and raw TCP origins on loopback,
 * the JDK's HttpClient and raw sockets as clients, and the audit file as the vendor would read it.
 */
class GatewayIT {
  private static final byte[] KB_CAB = randomBytes(300_000);
  private static final int TUNNEL_UPLOAD = 1_000;
  private static final int TUNNEL_DOWNLOAD = 5_000;

  @TempDir Path dir;
  private HttpOrigin origin;
  private HttpOrigin tlsOrigin;
  private ScriptedOrigin tunnelOrigin;
  private GatewayHarness gateway;

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", KB_CAB);
    tlsOrigin = HttpOrigin.tls();
    tlsOrigin.put("kb.cab", KB_CAB);
    // Reads the client's upload, then answers with a fixed download and closes: exact tunnel bytes.
    tunnelOrigin =
        new ScriptedOrigin(
            c -> {
              c.getInputStream().readNBytes(TUNNEL_UPLOAD);
              c.getOutputStream().write(new byte[TUNNEL_DOWNLOAD]);
            });
    FakeResolver resolver =
        new FakeResolver()
            .answer("updates.example.test", "127.0.0.1")
            .answer("dl.cdn.example.test", "127.0.0.1");
    gateway =
        GatewayHarness.start(
            dir,
            """
            entries {
              lab-origin { hosts = ["127.0.0.1"], ports = [%d, %d] }
              # Carries raw bytes, not TLS: exact byte counts need a tunnel without the SNI check.
              raw-tunnel { hosts = ["127.0.0.1"], ports = [%d], sni-check = false }
              vendor {
                hosts = ["updates.example.test", "*.cdn.example.test", "nowhere.example.test"]
                ports = [%d]
                addresses = ["127.0.0.0/8"]   # the test origins live on loopback
              }
            }
            """
                .formatted(origin.port(), tlsOrigin.port(), tunnelOrigin.port(), origin.port()),
            resolver);
  }

  @AfterEach
  void stop() throws IOException {
    gateway.close();
    origin.close();
    tlsOrigin.close();
    tunnelOrigin.close();
  }

  @Test
  void allowedGetReturnsExactlyTheOriginsBytesAndIsAudited() throws Exception {
    String url = origin.base() + "/files/kb.cab";
    Instant before = Instant.now().minusMillis(1);

    HttpResponse<byte[]> response =
        gateway
            .client()
            .send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(KB_CAB);
    Map<String, Object> record = gateway.awaitRecordFor(url);
    assertThat(record)
        .containsEntry("client", "127.0.0.1")
        .containsEntry("method", "GET")
        .containsEntry("host", "127.0.0.1")
        .containsEntry("port", (long) origin.port())
        .containsEntry("decision", "allow")
        .containsEntry("entry", "lab-origin")
        .containsEntry("reason", null)
        .containsEntry("status", 200L)
        .containsEntry("cache", "bypass")
        .containsEntry("upstream", "127.0.0.1");
    assertThat(Instant.parse((String) record.get("ts"))).isAfter(before).isBefore(Instant.now());
    assertThat((String) record.get("ts"))
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat((String) record.get("id")).isNotBlank();
    assertThat((long) record.get("bytes_to_client"))
        .isBetween((long) KB_CAB.length + 50, (long) KB_CAB.length + 1000);
    assertThat((long) record.get("duration_ms")).isNotNegative();
    assertThat(gateway.registry.counter(GatewayMetrics.REQUESTS, "decision", "allow").count())
        .isEqualTo(1.0);
    assertThat(gateway.registry.counter(GatewayMetrics.BYTES, "direction", "to_client").count())
        .isEqualTo(((Long) record.get("bytes_to_client")).doubleValue());
    assertThat(gateway.registry.get(GatewayMetrics.AUDIT_DROPPED).functionCounter().count())
        .isZero();
    assertThat(gateway.registry.get(GatewayMetrics.AUDIT_WRITE_FAILURES).functionCounter().count())
        .isZero();
    assertThat(gateway.registry.get(GatewayMetrics.AUDIT_HEALTHY).gauge().value()).isEqualTo(1.0);
    // Every field of the schema, in order, then the hash chain's two.
    assertThat(record.keySet().stream().toList())
        .isEqualTo(Stream.concat(AuditFields.IN_ORDER.stream(), Stream.of("seq", "hash")).toList());
    assertThat(record)
        .containsEntry("would_deny", false)
        .containsEntry("content_type", "application/octet-stream")
        .containsEntry("object_length", (long) KB_CAB.length);
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "HTTP/1.1 | Connection: close",
        "HTTP/1.1 | Proxy-Connection: close",
        "HTTP/1.0 | User-Agent: legacy-without-keep-alive"
      })
  void aClientAskingToCloseIsClosedAfterTheResponseAndItsBytesAreExact(
      String version, String header) throws Exception {
    String request =
        "GET %s/files/kb.cab %s\r\nHost: 127.0.0.1:%d\r\n%s\r\n\r\n"
            .formatted(origin.base(), version, origin.port(), header);
    try (Socket socket = gateway.socket()) {
      int sent = RawHttp.send(socket, request);
      byte[] received = RawHttp.readToEnd(socket);

      assertThat(new String(received, 0, 12, StandardCharsets.ISO_8859_1)).endsWith("200");
      assertThat(received.length).isGreaterThan(KB_CAB.length);
      Map<String, Object> record = gateway.awaitRecordFor(origin.base() + "/files/kb.cab");
      assertThat(record.get("bytes_from_client")).isEqualTo((long) sent);
      assertThat(record.get("bytes_to_client")).isEqualTo((long) received.length);
    }
  }

  @Test
  void expectContinueIsNotForwardedSinceNoRequestHasABody() throws Exception {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(
          socket,
          "GET %s/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nExpect: 100-continue\r\n\r\n"
              .formatted(origin.base(), origin.port()));
      RawHttp.Response response = RawHttp.read(socket, false);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(KB_CAB);
    }
    assertThat(origin.seen().get(0).headers()).doesNotContainKey("Expect");
    assertThat(gateway.awaitRecordFor(origin.base() + "/files/kb.cab"))
        .containsEntry("status", 200L);
  }

  @Test
  void headReturnsTheHeadersWithoutABody() throws Exception {
    String url = origin.base() + "/files/kb.cab";
    HttpResponse<byte[]> response =
        gateway
            .client()
            .send(
                HttpRequest.newBuilder(URI.create(url))
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .build(),
                HttpResponse.BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValueAsLong("content-length")).hasValue(KB_CAB.length);
    assertThat(response.body()).isEmpty();
    assertThat(gateway.awaitRecordFor(url))
        .containsEntry("method", "HEAD")
        .containsEntry("status", 200L);
  }

  @Test
  void keepAliveRequestsShareOneConnectionAndEachIsAuditedWithItsOwnBytes() throws Exception {
    origin.put("a.cab", randomBytes(10_000));
    origin.put("b.cab", randomBytes(20_000));
    try (Socket socket = gateway.socket()) {
      int sentA =
          RawHttp.send(
              socket,
              "GET %s/files/a.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
                  .formatted(origin.base(), origin.port()));
      RawHttp.Response a = RawHttp.read(socket, false);
      int sentB =
          RawHttp.send(
              socket,
              "GET %s/files/b.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
                  .formatted(origin.base(), origin.port()));
      RawHttp.Response b = RawHttp.read(socket, false);

      assertThat(a.body()).hasSize(10_000);
      assertThat(b.body()).hasSize(20_000);
      Map<String, Object> recordA = gateway.awaitRecordFor(origin.base() + "/files/a.cab");
      Map<String, Object> recordB = gateway.awaitRecordFor(origin.base() + "/files/b.cab");
      assertThat(recordA.get("bytes_from_client")).isEqualTo((long) sentA);
      assertThat(recordA.get("bytes_to_client")).isEqualTo(a.wireBytes());
      assertThat(recordB.get("bytes_from_client")).isEqualTo((long) sentB);
      assertThat(recordB.get("bytes_to_client")).isEqualTo(b.wireBytes());
    }
  }

  @Test
  void namedHostIsDialledAtItsResolvedAddressWithHostTakenFromTheUrl() throws Exception {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(
          socket,
          "GET http://UPDATES.Example.test.:%d/files/kb.cab HTTP/1.1\r\nHost: updates.example.test:%d\r\n\r\n"
              .formatted(origin.port(), origin.port()));
      RawHttp.Response response = RawHttp.read(socket, false);

      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(KB_CAB);
    }
    HttpOrigin.Seen seen = origin.seen().get(0);
    assertThat(seen.target()).isEqualTo("/files/kb.cab");
    assertThat(seen.host()).isEqualTo("updates.example.test:" + origin.port());
    Map<String, Object> record =
        gateway.awaitRecordFor("http://updates.example.test:" + origin.port() + "/files/kb.cab");
    assertThat(record)
        .containsEntry("host", "updates.example.test")
        .containsEntry("entry", "vendor")
        .containsEntry("upstream", "127.0.0.1");
  }

  @Test
  void unlistedHostGets403NamingTheReasonAndNothingReachesAnyOrigin() throws Exception {
    String url = "http://evil.example.test:" + origin.port() + "/files/kb.cab";
    HttpResponse<String> response = get(url);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).isEqualTo("403 Forbidden: host not in allowlist\n");
    assertThat(gateway.awaitRecordFor(url))
        .containsEntry("decision", "deny")
        .containsEntry("reason", "host not in allowlist")
        .containsEntry("entry", null)
        .containsEntry("status", 403L)
        .containsEntry("upstream", null)
        .containsEntry("cache", "none");
    assertThat(origin.seen()).isEmpty();
    assertThat(gateway.resolver.lookups()).isZero();
  }

  @Test
  void suffixLookalikeOfAListedWildcardIsDenied() throws Exception {
    String url = "http://cdn.example.test.evil.example:" + origin.port() + "/x";
    HttpResponse<String> response = get(url);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(gateway.awaitRecordFor(url)).containsEntry("reason", "host not in allowlist");
  }

  @Test
  void unlistedPortGets403() throws Exception {
    String url = "http://127.0.0.1:1/files/kb.cab";
    HttpResponse<String> response = get(url);

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("port not allowed for this host");
    assertThat(gateway.awaitRecordFor(url))
        .containsEntry("decision", "deny")
        .containsEntry("reason", "port not allowed for this host");
  }

  @Test
  void connectTunnelCarriesATlsHandshakeAndRequest() throws Exception {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(
          socket,
          "CONNECT 127.0.0.1:%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
              .formatted(tlsOrigin.port(), tlsOrigin.port()));
      RawHttp.Response established = RawHttp.read(socket, true);
      assertThat(established.status()).isEqualTo(200);

      try (SSLSocket tls =
          (SSLSocket)
              HttpOrigin.clientContext()
                  .getSocketFactory()
                  .createSocket(socket, "localhost", tlsOrigin.port(), true)) {
        tls.startHandshake();
        RawHttp.send(
            tls, "GET /files/kb.cab HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        RawHttp.Response response = RawHttp.read(tls, false);
        assertThat(response.status()).isEqualTo(200);
        assertThat(response.body()).isEqualTo(KB_CAB);
      }
    }
    Map<String, Object> record = gateway.awaitRecordFor("127.0.0.1:" + tlsOrigin.port());
    assertThat(record)
        .containsEntry("method", "CONNECT")
        .containsEntry("decision", "allow")
        .containsEntry("entry", "lab-origin")
        .containsEntry("status", 200L)
        .containsEntry("upstream", "127.0.0.1")
        .containsEntry("cache", "none");
    // TLS adds records and the handshake: more than the file, but not wildly more.
    assertThat((long) record.get("bytes_to_client"))
        .isBetween((long) KB_CAB.length, KB_CAB.length + 20_000L);
    assertThat((long) record.get("bytes_from_client")).isBetween(200L, 5_000L);
  }

  @Test
  void tunnelByteCountsAreExactInBothDirections() throws Exception {
    try (Socket socket = gateway.socket()) {
      int connect =
          RawHttp.send(
              socket, "CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n".formatted(tunnelOrigin.port()));
      RawHttp.Response established = RawHttp.read(socket, true);
      assertThat(established.status()).isEqualTo(200);
      OutputStream out = socket.getOutputStream();
      out.write(new byte[TUNNEL_UPLOAD]);
      out.flush();
      byte[] download = socket.getInputStream().readAllBytes();
      assertThat(download).hasSize(TUNNEL_DOWNLOAD);

      Map<String, Object> record = gateway.awaitRecordFor("127.0.0.1:" + tunnelOrigin.port());
      assertThat(record.get("bytes_from_client")).isEqualTo((long) connect + TUNNEL_UPLOAD);
      assertThat(record.get("bytes_to_client"))
          .isEqualTo(established.wireBytes() + TUNNEL_DOWNLOAD);
    }
  }

  @Test
  void connectToAnUnlistedPortGets403() throws Exception {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, "CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:22\r\n\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.bodyText()).contains("port not allowed for this host");
    }
    assertThat(gateway.awaitRecordFor("127.0.0.1:22"))
        .containsEntry("method", "CONNECT")
        .containsEntry("decision", "deny")
        .containsEntry("status", 403L);
  }

  @Test
  void unresolvableAllowedHostGets502AndTheRecordSaysWhy() throws Exception {
    String url = "http://nowhere.example.test:" + origin.port() + "/x.cab";
    HttpResponse<String> response = get(url);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(gateway.awaitRecordFor(url))
        .containsEntry("decision", "error")
        .containsEntry("entry", "vendor")
        .containsEntry("reason", Exchange.UPSTREAM_NOT_FOUND)
        .containsEntry("status", 502L);
  }

  @ParameterizedTest(name = "upstream {0} mid-body")
  @ValueSource(strings = {"resets", "closes"})
  void upstreamBodyCutShortClosesTheClientInsteadOfFakingSuccess(String how) throws Exception {
    try (ScriptedOrigin broken =
            new ScriptedOrigin(
                c -> {
                  RawHttp.readHead(c.getInputStream());
                  c.getOutputStream()
                      .write(
                          "HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
                              .getBytes(StandardCharsets.ISO_8859_1));
                  c.getOutputStream().write(new byte[40_000]);
                  c.getOutputStream().flush();
                  if (how.equals("resets")) {
                    c.setSoLinger(true, 0); // RST instead of FIN on close
                  }
                });
        GatewayHarness cut =
            GatewayHarness.start(
                dir.resolve("cut"),
                "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }"
                    .formatted(broken.port()))) {
      try (Socket socket = cut.socket()) {
        RawHttp.send(
            socket,
            "GET http://127.0.0.1:%d/big.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
                .formatted(broken.port(), broken.port()));

        assertThatThrownBy(() -> RawHttp.read(socket, false)).isInstanceOf(IOException.class);
      }
      assertThat(cut.awaitRecordFor("http://127.0.0.1:" + broken.port() + "/big.cab"))
          .containsEntry("decision", "error")
          .containsEntry("reason", Exchange.UPSTREAM_BROKEN);
    }
  }

  private HttpResponse<String> get(String url) throws Exception {
    return gateway
        .client()
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Requests whose form is refused: each row names the threat. */
  static Stream<Arguments> malformedRequests() {
    return Stream.of(
        // Request smuggling: both framings; a front end and a back end may disagree on the body.
        row(
            "content-length with transfer-encoding",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        // Smuggling: a chunked body on a request that has none.
        row(
            "transfer-encoding on GET",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        // Smuggling: two lengths, each side may pick a different one.
        row(
            "two different content-lengths",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nContent-Length: 0\r\nContent-Length: 7\r\n\r\n"),
        // Smuggling: a length that is not a plain number.
        row(
            "signed content-length",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nContent-Length: +0\r\n\r\n"),
        // Smuggling: a body on GET becomes the next request for a server that ignores it.
        row(
            "body on GET",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nContent-Length: 5\r\n\r\nGET /"),
        // Host confusion: the origin would serve another virtual host than the one decided.
        row(
            "host header differs from the URL",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: evil.example\r\n\r\n"),
        // Host confusion: two Host headers.
        row(
            "two host headers",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nHost: evil.example\r\n\r\n"),
        // Origin-form: the gateway is not an origin; a Host-only target bypasses the URL checks.
        row("origin-form request", 400, "GET /files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\n\r\n"),
        // An https:// URL in plain text would be fetched in clear: refuse instead of guessing.
        row(
            "https URL in plain text",
            400,
            "GET https://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\n\r\n"),
        // Userinfo: http://allowed@evil/ reads as "allowed" to a careless eye.
        row(
            "userinfo in the authority",
            400,
            "GET http://user@127.0.0.1:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // Backslash: some parsers treat it as a path separator, others as part of the host.
        row(
            "backslash in the authority",
            400,
            "GET http://127.0.0.1:P\\@evil.example/ HTTP/1.1\r\n\r\n"),
        // Fragment: clients never send one; parsers split the authority differently around it.
        row(
            "fragment in the target",
            400,
            "GET http://127.0.0.1:P/files/kb.cab#x HTTP/1.1\r\n\r\n"),
        // Alternate IPv4 notation: 2130706433 is 127.0.0.1 to some resolvers.
        row("decimal IPv4 literal", 400, "GET http://2130706433:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // CONNECT without a port: LittleProxy would quietly pick 80.
        row("CONNECT without a port", 400, "CONNECT 127.0.0.1 HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"),
        // Methods an update proxy never needs.
        row(
            "POST",
            405,
            "POST http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nContent-Length: 0\r\n\r\n"),
        row(
            "PUT",
            405,
            "PUT http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nContent-Length: 0\r\n\r\n"),
        // Garbage: not HTTP at all.
        row("not HTTP", 400, "HELLO THERE\r\n\r\n"),
        // Resource limits: a header block or request line beyond the configured maximum.
        row(
            "header block over the limit",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\nX-Big: "
                + "a".repeat(20_000)
                + "\r\n\r\n"),
        row(
            "request line over the limit",
            400,
            "GET http://127.0.0.1:P/"
                + "a".repeat(10_000)
                + " HTTP/1.1\r\nHost: 127.0.0.1:P\r\n\r\n"),
        // A header line without a colon: framing cannot be trusted.
        row(
            "header without colon",
            400,
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost 127.0.0.1\r\n\r\n"));
  }

  private static Arguments row(String name, int status, String request) {
    return Arguments.of(name, status, request);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("malformedRequests")
  void malformedRequestIsRefusedAuditedAndNeverReachesTheOrigin(
      String name, int status, String template) throws Exception {
    String request = template.replace(":P", ":" + origin.port());
    try (Socket socket = gateway.socket()) {
      int sent = RawHttp.send(socket, request);
      RawHttp.Response response = RawHttp.read(socket, false);

      assertThat(response.status()).as(name).isEqualTo(status);
      assertThat(response.headers().get("connection")).as(name).isEqualToIgnoringCase("close");
      Map<String, Object> record = gateway.awaitRecord(r -> true);
      assertThat(record)
          .containsEntry("decision", "error")
          .containsEntry("status", (long) status)
          .containsEntry("client", "127.0.0.1")
          .containsEntry("upstream", null);
      assertThat((String) record.get("reason")).isNotBlank();
      assertThat((long) record.get("bytes_to_client")).isEqualTo(response.wireBytes());
      assertThat((long) record.get("bytes_from_client")).isPositive().isLessThanOrEqualTo(sent);
    }
    assertThat(origin.seen()).isEmpty();
  }

  private static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }
}
