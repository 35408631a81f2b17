package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.tunnel.SniGate;
import dev.patchgate.proxy.upstream.SelfAddress;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The allowlist as the gateway enforces it, end to end: client groups, schedules, report mode,
 * reload, the address check after DNS, the SNI check on tunnels, and every attack class of the
 * design notes sent through a running gateway.
 */
class PolicyIT {
  private static final byte[] KB_CAB = "a cabinet file".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private HttpOrigin origin;
  private HttpOrigin tlsOrigin;
  private GatewayHarness gateway;

  @BeforeEach
  void startOrigins() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", KB_CAB);
    tlsOrigin = HttpOrigin.tls();
    tlsOrigin.put("kb.cab", KB_CAB);
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
    tlsOrigin.close();
  }

  // ---- client groups -------------------------------------------------------------------------

  @Test
  void aClientInTheEntrysGroupGetsThroughAnotherGroupAndAnUnregisteredClientAreDenied()
      throws Exception {
    gateway =
        GatewayHarness.start(
            dir,
            """
            clients {
              his-pcs = ["127.0.0.5"]
              servers = ["127.0.0.6/32"]
            }
            entries {
              lab { hosts = ["127.0.0.1"], ports = [%d], clients = [his-pcs] }
            }
            """
                .formatted(origin.port()));

    assertThat(getFrom("127.0.0.5", "/files/kb.cab").status()).isEqualTo(200);
    RawHttp.Response otherGroup = getFrom("127.0.0.6", "/files/kb.cab");
    RawHttp.Response unregistered = getFrom("127.0.0.7", "/files/kb.cab");

    assertThat(otherGroup.status()).isEqualTo(403);
    assertThat(otherGroup.bodyText()).contains("client not allowed for this host");
    assertThat(unregistered.status()).isEqualTo(403);
    assertThat(unregistered.bodyText()).contains("unregistered client");
    assertThat(gateway.awaitRecord(r -> "127.0.0.7".equals(r.get("client"))))
        .containsEntry("decision", "deny")
        .containsEntry("reason", "unregistered client");
    assertThat(origin.seen()).hasSize(1);
  }

  // ---- schedules -----------------------------------------------------------------------------

  @Test
  void aScheduleIsDecidedOnTheArrivalTimeInTheAllowlistsZone() throws Exception {
    // Tuesday 23:30 in Tokyo: inside "Mon-Fri 22:00-06:00".
    FakeClock clock = new FakeClock(Instant.parse("2026-11-24T14:30:00Z"));
    gateway =
        GatewayHarness.with(
                dir,
                """
                time-zone = "Asia/Tokyo"
                entries {
                  nightly { hosts = ["127.0.0.1"], ports = [%d], schedule = ["Mon-Fri 22:00-06:00"] }
                }
                """
                    .formatted(origin.port()))
            .clock(clock)
            .start();

    assertThat(getFrom("127.0.0.1", "/files/kb.cab").status()).isEqualTo(200);

    // Saturday 05:00 in Tokyo: still Friday night's window, which crosses midnight.
    clock.set(Instant.parse("2026-11-27T20:00:00Z"));
    assertThat(getFrom("127.0.0.1", "/files/kb.cab").status()).isEqualTo(200);

    // Saturday noon in Tokyo.
    clock.set(Instant.parse("2026-11-28T03:00:00Z"));
    RawHttp.Response saturday = getFrom("127.0.0.1", "/files/kb.cab");
    assertThat(saturday.status()).isEqualTo(403);
    assertThat(saturday.bodyText()).contains("outside the allowed schedule");
    assertThat(origin.seen()).hasSize(2);
  }

  // ---- report mode ---------------------------------------------------------------------------

  @Test
  void anEntryInReportModeLetsTheRequestThroughAndTheRecordSaysItWouldDeny() throws Exception {
    gateway =
        GatewayHarness.start(
            dir,
            """
            clients { his-pcs = ["127.0.0.0/8"], servers = ["10.20.0.10"] }
            entries {
              stricter { hosts = ["127.0.0.1"], ports = [%d], clients = [servers], mode = report }
            }
            """
                .formatted(origin.port()));

    assertThat(getFrom("127.0.0.1", "/files/kb.cab").status()).isEqualTo(200);
    assertThat(gateway.awaitRecordFor(origin.base() + "/files/kb.cab"))
        .containsEntry("decision", "allow")
        .containsEntry("entry", "stricter")
        .containsEntry("would_deny", true)
        .containsEntry("reason", "client not allowed for this host");
  }

  // ---- reload --------------------------------------------------------------------------------

  @Test
  void aValidEditTakesEffectWithoutDroppingAKeptAliveConnection() throws Exception {
    gateway = GatewayHarness.start(dir, labAllowing(origin.port()));
    try (Socket socket = gateway.socket()) {
      assertThat(get(socket, "/files/kb.cab").status()).isEqualTo(200);

      gateway.editAllowlist(
          """
          entries {
            lab { hosts = ["127.0.0.1"], ports = [%d], schemes = [http], paths = ["/other/"] }
          }
          """
              .formatted(origin.port()));
      await().atMost(Duration.ofSeconds(2)).until(() -> gateway.reloads("ok") == 1);

      // Same connection, new policy.
      RawHttp.Response after = get(socket, "/files/kb.cab");
      assertThat(after.status()).isEqualTo(403);
      assertThat(after.bodyText()).contains("path not allowed for this host");
    }
  }

  @Test
  void anInvalidEditIsRejectedAndThePreviousPolicyKeepsAnswering() throws Exception {
    gateway = GatewayHarness.start(dir, labAllowing(origin.port()));

    // A typo: "host" for "hosts". Taken literally it would allow nothing (or, worse, anything).
    gateway.editAllowlist(
        """
        entries {
          lab { host = ["127.0.0.1"], ports = [%d] }
        }
        """
            .formatted(origin.port()));
    await().atMost(Duration.ofSeconds(2)).until(() -> gateway.reloads("rejected") == 1);

    assertThat(getFrom("127.0.0.1", "/files/kb.cab").status()).isEqualTo(200);
    assertThat(gateway.registry.get(PolicyReload.VALID).gauge().value()).isZero();
    assertThat(gateway.reloads("ok")).isZero();
  }

  @Test
  void aTunnelUnderAnEntryTheEditRemovedIsClosedAndAudited() throws Exception {
    try (ScriptedOrigin echo =
        new ScriptedOrigin(c -> c.getInputStream().transferTo(c.getOutputStream()))) {
      gateway =
          GatewayHarness.start(
              dir,
              """
              entries {
                lab    { hosts = ["127.0.0.1"], ports = [%d] }
                tunnel { hosts = ["127.0.0.1"], ports = [%d], sni-check = false }
              }
              """
                  .formatted(origin.port(), echo.port()));
      try (Socket socket = gateway.socket()) {
        RawHttp.send(socket, "CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n".formatted(echo.port()));
        assertThat(RawHttp.read(socket, true).status()).isEqualTo(200);
        socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());

        gateway.editAllowlist(labAllowing(origin.port()));

        // The gateway closes the tunnel: the client reads the end of the stream.
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(gateway.awaitRecordFor("127.0.0.1:" + echo.port()))
          .containsEntry("decision", "error")
          .containsEntry("entry", "tunnel")
          .containsEntry("reason", Exchange.CLOSED_BY_RELOAD);
    }
  }

  // ---- the address check after DNS -----------------------------------------------------------

  @Test
  void aNameResolvingIntoLoopbackIsRefusedUnlessItsEntryListsTheRange() throws Exception {
    FakeResolver resolver =
        new FakeResolver()
            .answer("inside.example.test", "127.0.0.1")
            .answer("listed.example.test", "127.0.0.1");
    gateway =
        GatewayHarness.start(
            dir,
            """
            entries {
              plain  { hosts = ["inside.example.test"], ports = [%d] }
              vendor { hosts = ["listed.example.test"], ports = [%d], addresses = ["127.0.0.0/8"] }
            }
            """
                .formatted(origin.port(), origin.port()),
            resolver);

    RawHttp.Response refused = getVia("inside.example.test", origin.port(), "/files/kb.cab");
    assertThat(refused.status()).isEqualTo(403);
    assertThat(refused.bodyText()).contains("loopback");
    assertThat(origin.seen()).isEmpty();

    assertThat(getVia("listed.example.test", origin.port(), "/files/kb.cab").status())
        .isEqualTo(200);
    assertThat(gateway.awaitRecord(r -> "inside.example.test".equals(r.get("host"))))
        .containsEntry("decision", "deny")
        .containsEntry("upstream", null);
  }

  @Test
  void dnsRebindingFailsBecauseEachRequestDialsExactlyTheAddressItChecked() throws Exception {
    try (HttpOrigin second = HttpOrigin.plainOn("127.0.0.2")) {
      second.put("kb.cab", KB_CAB);
      // First answer: an address the entry allows. Every later answer: plain loopback, where the
      // attacker hopes the gateway's own services (or the first origin) listen.
      FakeResolver resolver =
          new FakeResolver()
              .answer("rebind.example.test", "127.0.0.2")
              .answer("rebind.example.test", "127.0.0.1");
      gateway =
          GatewayHarness.start(
              dir,
              """
              entries {
                vendor { hosts = ["rebind.example.test"], ports = [%d, %d], addresses = ["127.0.0.2/32"] }
              }
              """
                  .formatted(second.port(), origin.port()),
              resolver);

      assertThat(getVia("rebind.example.test", second.port(), "/files/kb.cab").status())
          .isEqualTo(200);
      assertThat(resolver.lookups()).isEqualTo(1);
      RawHttp.Response rebound = getVia("rebind.example.test", origin.port(), "/files/kb.cab");

      assertThat(rebound.status()).isEqualTo(403);
      assertThat(rebound.bodyText()).contains("loopback");
      assertThat(resolver.lookups()).isEqualTo(2);
      assertThat(second.seen()).hasSize(1);
      assertThat(origin.seen()).isEmpty();
      assertThat(
              gateway.awaitRecord(
                  r ->
                      ("http://rebind.example.test:" + second.port() + "/files/kb.cab")
                          .equals(r.get("url"))))
          .containsEntry("upstream", "127.0.0.2");
    }
  }

  @Test
  void aConnectToTheGatewayItselfIsRefusedWhateverTheEntrySays() throws Exception {
    gateway = GatewayHarness.start(dir, labAllowing(origin.port()));
    gateway.editAllowlist(
        """
        entries {
          everything-local { hosts = ["127.0.0.1"], ports = [%d, %d], sni-check = false }
        }
        """
            .formatted(origin.port(), gateway.port()));
    await().atMost(Duration.ofSeconds(2)).until(() -> gateway.reloads("ok") == 1);

    try (Socket socket = gateway.socket()) {
      RawHttp.send(
          socket,
          "CONNECT 127.0.0.1:%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
              .formatted(gateway.port(), gateway.port()));
      RawHttp.Response response = RawHttp.read(socket, false);

      assertThat(response.status()).isEqualTo(403);
      assertThat(response.bodyText()).contains(SelfAddress.REFUSAL);
    }
    assertThat(gateway.awaitRecordFor("127.0.0.1:" + gateway.port()))
        .containsEntry("decision", "deny")
        .containsEntry("reason", SelfAddress.REFUSAL);
  }

  @Test
  void aSlowLookupDoesNotStallOtherConnectionsOnTheSameEventLoop() throws Exception {
    FakeResolver resolver = new FakeResolver().answer("slow.example.test", "127.0.0.1");
    resolver.stall("slow.example.test");
    gateway =
        GatewayHarness.with(
                dir,
                """
                entries {
                  lab  { hosts = ["127.0.0.1"], ports = [%d] }
                  slow { hosts = ["slow.example.test"], ports = [%d], addresses = ["127.0.0.0/8"] }
                }
                """
                    .formatted(origin.port(), origin.port()))
            .resolver(resolver)
            .clientThreads(1)
            .start();

    try (Socket slow = gateway.socket()) {
      RawHttp.send(
          slow,
          "GET http://slow.example.test:%d/files/kb.cab HTTP/1.1\r\n\r\n".formatted(origin.port()));
      await().atMost(Duration.ofSeconds(5)).until(() -> resolver.lookups() == 1);

      // One client event loop serves both connections: this answer proves it is not blocked.
      assertThat(getFrom("127.0.0.1", "/files/kb.cab").status()).isEqualTo(200);

      resolver.release("slow.example.test");
      RawHttp.Response late = RawHttp.read(slow, false);
      assertThat(late.status()).isEqualTo(200);
      assertThat(late.body()).isEqualTo(KB_CAB);
    }
  }

  // ---- the SNI check -------------------------------------------------------------------------

  @Test
  void aTlsClientNamingTheConnectHostGetsThrough() throws Exception {
    startWithTlsVendor();
    try (Socket socket = connect("updates.example.test", tlsOrigin.port());
        SSLSocket tls = tlsOver(socket, "updates.example.test")) {
      tls.startHandshake();
      RawHttp.send(
          tls,
          "GET /files/kb.cab HTTP/1.1\r\nHost: updates.example.test\r\nConnection: close\r\n\r\n");
      assertThat(RawHttp.read(tls, false).body()).isEqualTo(KB_CAB);
    }
    assertThat(gateway.awaitRecordFor("updates.example.test:" + tlsOrigin.port()))
        .containsEntry("decision", "allow");
  }

  // TLS 1.2 encrypts its Finished inside a handshake record: the gate must have left the tunnel
  // once the server's ServerHello went by, or it would take that record for a broken ClientHello.
  @Test
  void aTls12ClientNamingTheConnectHostGetsThrough() throws Exception {
    startWithTlsVendor();
    try (Socket socket = connect("updates.example.test", tlsOrigin.port());
        SSLSocket tls = tlsOver(socket, "updates.example.test")) {
      tls.setEnabledProtocols(new String[] {"TLSv1.2"});
      tls.startHandshake();
      assertThat(tls.getSession().getProtocol()).isEqualTo("TLSv1.2");
      RawHttp.send(
          tls,
          "GET /files/kb.cab HTTP/1.1\r\nHost: updates.example.test\r\nConnection: close\r\n\r\n");
      assertThat(RawHttp.read(tls, false).body()).isEqualTo(KB_CAB);
    }
    assertThat(gateway.awaitRecordFor("updates.example.test:" + tlsOrigin.port()))
        .containsEntry("decision", "allow");
  }

  static Stream<Arguments> tunnelOpenings() {
    return Stream.of(
        // Domain fronting: the tunnel looks like an allowed host, TLS talks to another.
        Arguments.of("another server name", "fronted.example.net", SniGate.MISMATCH),
        // Without a name the server picks its default site, which need not be the allowed one.
        Arguments.of("no server name", null, SniGate.MISSING));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("tunnelOpenings")
  void aTlsClientNotNamingTheConnectHostIsCutOffBeforeAnyByteIsRelayed(
      String name, String serverName, String reason) throws Exception {
    AtomicLong relayed = new AtomicLong();
    try (ScriptedOrigin upstream =
        new ScriptedOrigin(
            c ->
                relayed.addAndGet(
                    c.getInputStream().transferTo(OutputStream.nullOutputStream())))) {
      startWithVendorOn(upstream.port());
      try (Socket socket = connect("updates.example.test", upstream.port());
          SSLSocket tls = tlsOver(socket, serverName)) {
        assertThatThrownBy(tls::startHandshake).as(name).isInstanceOf(IOException.class);
      }
      assertThat(gateway.awaitRecordFor("updates.example.test:" + upstream.port()))
          .containsEntry("decision", "deny")
          .containsEntry("reason", reason)
          .containsEntry("status", 200L);
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.connections() <= 1);
      assertThat(relayed.get()).as("bytes that reached the upstream").isZero();
    }
  }

  @Test
  void plainBytesInATunnelAreCutOff() throws Exception {
    try (ScriptedOrigin upstream = new ScriptedOrigin(c -> c.getInputStream().readAllBytes())) {
      startWithVendorOn(upstream.port());
      try (Socket socket = connect("updates.example.test", upstream.port())) {
        RawHttp.send(socket, "GET / HTTP/1.1\r\nHost: anything\r\n\r\n");
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(gateway.awaitRecordFor("updates.example.test:" + upstream.port()))
          .containsEntry("decision", "deny")
          .containsEntry("reason", SniGate.NOT_TLS);
    }
  }

  // The HelloRetryRequest bypass (issue 10): the first ClientHello names the allowed host with an
  // empty key share, a TLS 1.3 server asks for a retry, and the second, still plaintext,
  // ClientHello
  // names another server, which the server would then serve.
  @Test
  void aSecondClientHelloNamingAnotherServerAfterAHelloRetryRequestIsCutOffAndAlerted()
      throws Exception {
    try (TlsRelay relay = new TlsRelay(tlsOrigin.port());
        AlertHook alerts = new AlertHook()) {
      startWithVendorOn(relay.port(), alerts.config());
      byte[] first = TlsHellos.hello().serverName("updates.example.test").record();
      try (Socket socket = connect("updates.example.test", relay.port())) {
        TlsHellos.Retry retry = askedToRetry(socket, first);

        byte[] second =
            TlsHellos.hello()
                .serverName("fronted.example.net")
                .keyShare(retry.group())
                .cookie(retry.cookie())
                .record();
        socket.getOutputStream().write(concat(CHANGE_CIPHER_SPEC, second));

        assertThatThrownBy(() -> TlsHellos.readHandshakeMessage(socket.getInputStream()))
            .as("the tunnel is closed instead of the server answering")
            .isInstanceOf(IOException.class);
      }
      assertThat(gateway.awaitRecordFor("updates.example.test:" + relay.port()))
          .containsEntry("decision", "deny")
          .containsEntry("reason", SniGate.MISMATCH);
      assertThat(relay.received())
          .as("what reached the origin: the first hello, not the second")
          .isEqualTo(concat(first, CHANGE_CIPHER_SPEC));
      alerts.await("sni_mismatch");
    }
  }

  // The same flow with a second ClientHello that names the CONNECT host: a legitimate retry works.
  @Test
  void aSecondClientHelloNamingTheConnectHostAfterAHelloRetryRequestGetsTheServerHello()
      throws Exception {
    try (TlsRelay relay = new TlsRelay(tlsOrigin.port())) {
      startWithVendorOn(relay.port(), "");
      byte[] first = TlsHellos.hello().serverName("updates.example.test").record();
      byte[] second;
      try (Socket socket = connect("updates.example.test", relay.port())) {
        TlsHellos.Retry retry = askedToRetry(socket, first);

        second =
            TlsHellos.hello()
                .serverName("updates.example.test")
                .keyShare(retry.group())
                .cookie(retry.cookie())
                .record();
        socket.getOutputStream().write(concat(CHANGE_CIPHER_SPEC, second));

        byte[] answer = TlsHellos.readHandshakeMessage(socket.getInputStream());
        assertThat(answer[0]).as("a ServerHello").isEqualTo((byte) 2);
        assertThat(TlsHellos.isRetry(answer)).isFalse();
      }
      assertThat(gateway.awaitRecordFor("updates.example.test:" + relay.port()))
          .containsEntry("decision", "allow");
      assertThat(relay.received()).isEqualTo(concat(first, CHANGE_CIPHER_SPEC, second));
    }
  }

  // Encrypted Client Hello (issue 10): the outer name is the allowed host, an ECH-capable front
  // would serve the encrypted inner one.
  @Test
  void aClientHelloWithEncryptedClientHelloIsRefusedBeforeAnyByteReachesTheOrigin()
      throws Exception {
    AtomicLong relayed = new AtomicLong();
    try (ScriptedOrigin upstream =
            new ScriptedOrigin(
                c ->
                    relayed.addAndGet(
                        c.getInputStream().transferTo(OutputStream.nullOutputStream())));
        AlertHook alerts = new AlertHook()) {
      startWithVendorOn(upstream.port(), alerts.config());
      try (Socket socket = connect("updates.example.test", upstream.port())) {
        socket
            .getOutputStream()
            .write(
                TlsHellos.hello()
                    .serverName("updates.example.test")
                    .keyShare(TlsHellos.X25519)
                    .encryptedClientHello()
                    .record());
        assertThat(socket.getInputStream().read()).isEqualTo(-1);
      }
      assertThat(gateway.awaitRecordFor("updates.example.test:" + upstream.port()))
          .containsEntry("decision", "deny")
          .containsEntry("reason", SniGate.ECH);
      await().atMost(Duration.ofSeconds(5)).until(() -> upstream.connections() <= 1);
      assertThat(relayed.get()).as("bytes that reached the upstream").isZero();
      alerts.await("sni_mismatch");
    }
  }

  private static final byte[] CHANGE_CIPHER_SPEC =
      TlsHellos.record(TlsHellos.CHANGE_CIPHER_SPEC, new byte[] {1});

  /**
   * Sends {@code hello} (which offers no key share) and reads the HelloRetryRequest a TLS 1.3
   * server must answer it with.
   */
  private static TlsHellos.Retry askedToRetry(Socket socket, byte[] hello) throws IOException {
    socket.getOutputStream().write(hello);
    byte[] answer = TlsHellos.readHandshakeMessage(socket.getInputStream());
    assertThat(TlsHellos.isRetry(answer))
        .as("the origin speaks TLS 1.3 and asks for another key share")
        .isTrue();
    return TlsHellos.retry(answer);
  }

  private static byte[] concat(byte[]... parts) {
    return TlsHellos.concat(parts);
  }

  /** A TCP relay in front of the TLS origin that keeps every byte the gateway sent through it. */
  private static final class TlsRelay implements AutoCloseable {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ScriptedOrigin relay;

    TlsRelay(int originPort) throws IOException {
      relay =
          new ScriptedOrigin(
              gatewaySide -> {
                try (Socket origin = new Socket(InetAddress.getLoopbackAddress(), originPort)) {
                  Thread back = new Thread(() -> pump(origin, gatewaySide, null));
                  back.setDaemon(true);
                  back.start();
                  pump(gatewaySide, origin, received);
                } finally {
                  closed.complete(null);
                }
              });
    }

    int port() {
      return relay.port();
    }

    /** What the gateway sent, once it has closed its upstream connection. */
    byte[] received() throws Exception {
      closed.get(10, TimeUnit.SECONDS);
      synchronized (received) {
        return received.toByteArray();
      }
    }

    private static void pump(Socket from, Socket to, ByteArrayOutputStream copy) {
      byte[] buffer = new byte[8192];
      try {
        InputStream in = from.getInputStream();
        OutputStream out = to.getOutputStream();
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          if (copy != null) {
            synchronized (copy) {
              copy.write(buffer, 0, n);
            }
          }
          out.write(buffer, 0, n);
        }
        to.shutdownOutput();
      } catch (IOException e) {
        // One side closed: the relay ends with it.
      }
    }

    @Override
    public void close() throws IOException {
      relay.close();
    }
  }

  // ---- every attack class, through the gateway -----------------------------------------------

  static Stream<Arguments> attacks() {
    return Stream.of(
        // Alternate IPv4 spellings that some resolvers read as 127.0.0.1.
        attack("decimal IPv4", "GET http://2130706433:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        attack("octal IPv4", "GET http://0177.0.0.1:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        attack("hex IPv4", "GET http://0x7f.0.0.1:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        attack("short IPv4", "GET http://127.1:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // IPv4 embedded in IPv6: the same host in a form the allowlist does not list.
        attack("IPv4-mapped IPv6", "GET http://[::ffff:127.0.0.1]:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        attack("NAT64 IPv6", "GET http://[64:ff9b::7f00:1]:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // Zone IDs select an interface; never meaningful through a proxy.
        attack("IPv6 zone id", "GET http://[fe80::1%25eth0]:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // Empty labels and trailing junk.
        attack("empty label", "GET http://updates..example.test:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // Non-ASCII host bytes, and a punycode look-alike of an allowed name.
        attack("non-ASCII host", "GET http://updätes.example.test:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        attack(
            "punycode look-alike",
            "GET http://xn--updtes-cua.example.test:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // Userinfo, fragment, backslash and percent in the authority.
        attack(
            "userinfo",
            "GET http://updates.example.test@evil.example:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        attack("fragment", "GET http://updates.example.test:P#@evil.example/ HTTP/1.1\r\n\r\n"),
        attack("backslash", "GET http://updates.example.test:P\\@evil.example/ HTTP/1.1\r\n\r\n"),
        attack(
            "percent in host", "GET http://updates%2eexample.test:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        // Suffix confusion.
        attack(
            "listed name as a prefix",
            "GET http://updates.example.test.evil.example:P/x HTTP/1.1\r\n\r\n"),
        attack("listed name glued on", "GET http://evilupdates.example.test:P/x HTTP/1.1\r\n\r\n"),
        // Paths that escape a path rule, or mean different things to different servers.
        attack("dot-dot segment", "GET http://127.0.0.1:P/files/../secret HTTP/1.1\r\n\r\n"),
        attack("encoded dot-dot", "GET http://127.0.0.1:P/files/%2e%2e/secret HTTP/1.1\r\n\r\n"),
        attack("encoded slash", "GET http://127.0.0.1:P/files%2f..%2fsecret HTTP/1.1\r\n\r\n"),
        attack("backslash in path", "GET http://127.0.0.1:P/files\\..\\secret HTTP/1.1\r\n\r\n"),
        // Tomcat-style origins strip ";..." parameters before resolving dot-segments (issue 10).
        attack(
            "dot-dot with matrix parameters (Tomcat)",
            "GET http://127.0.0.1:P/files/..;/secret HTTP/1.1\r\n\r\n"),
        attack(
            "dot-dot with a session id parameter (Tomcat)",
            "GET http://127.0.0.1:P/files/..;jsessionid=1/secret HTTP/1.1\r\n\r\n"),
        // https:// in plain text; origin-form; Host differing from the URL.
        attack("https URL in plain text", "GET https://127.0.0.1:P/files/kb.cab HTTP/1.1\r\n\r\n"),
        attack("origin-form", "GET /files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:P\r\n\r\n"),
        attack(
            "Host differs",
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nHost: evil.example\r\n\r\n"),
        // Smuggling.
        attack(
            "Content-Length with Transfer-Encoding",
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
        attack(
            "body on GET",
            "GET http://127.0.0.1:P/files/kb.cab HTTP/1.1\r\nContent-Length: 5\r\n\r\nGET /"),
        // CONNECT to other ports, without a port, to the name of an allowed host on port 22.
        attack("CONNECT without a port", "CONNECT 127.0.0.1 HTTP/1.1\r\n\r\n"),
        attack("CONNECT to another port", "CONNECT 127.0.0.1:22 HTTP/1.1\r\n\r\n"),
        attack(
            "CONNECT to a named host's other port",
            "CONNECT updates.example.test:22 HTTP/1.1\r\n\r\n"));
  }

  private static Arguments attack(String name, String request) {
    return Arguments.of(name, request);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("attacks")
  void everyAttackClassGetsA4xxAndNoOriginSeesAConnection(String name, String template)
      throws Exception {
    try (ScriptedOrigin target = new ScriptedOrigin(c -> c.getInputStream().readAllBytes())) {
      FakeResolver resolver = new FakeResolver().answer("updates.example.test", "127.0.0.1");
      // Generous on purpose: the loopback origin is listed by address and by name, with a path
      // rule, so only strict parsing stands between each attack and the origin.
      gateway =
          GatewayHarness.start(
              dir,
              """
              entries {
                lab    { hosts = ["127.0.0.1"], ports = [%1$d], schemes = [http], paths = ["/files/"] }
                vendor { hosts = ["updates.example.test"], ports = [%1$d, 443], addresses = ["127.0.0.0/8"] }
              }
              """
                  .formatted(target.port()),
              resolver);
      String request = template.replace(":P", ":" + target.port());

      try (Socket socket = gateway.socket()) {
        socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
        RawHttp.Response response = RawHttp.read(socket, false);
        assertThat(response.status()).as(name).isBetween(400, 499);
      }
      assertThat(gateway.awaitRecord(r -> true).get("decision")).isIn("deny", "error");
      assertThat(target.connections()).as(name).isZero();
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private static String labAllowing(int port) {
    return """
        entries {
          lab { hosts = ["127.0.0.1"], ports = [%d] }
        }
        """
        .formatted(port);
  }

  private void startWithTlsVendor() throws Exception {
    startWithVendorOn(tlsOrigin.port());
  }

  private void startWithVendorOn(int port) throws Exception {
    startWithVendorOn(port, "");
  }

  /** Like {@link #startWithVendorOn(int)}, with {@code config} appended to the configuration. */
  private void startWithVendorOn(int port, String config) throws Exception {
    gateway =
        GatewayHarness.with(
                dir,
                """
                entries {
                  vendor { hosts = ["updates.example.test"], ports = [%d], addresses = ["127.0.0.0/8"] }
                }
                """
                    .formatted(port))
            .resolver(new FakeResolver().answer("updates.example.test", "127.0.0.1"))
            .config(config)
            .start();
  }

  /** A raw socket with an open tunnel to host:port. */
  private Socket connect(String host, int port) throws IOException {
    return gateway.tunnel(host + ":" + port);
  }

  /** A TLS client over {@code socket} that sends {@code serverName} as SNI, or no SNI if null. */
  private static SSLSocket tlsOver(Socket socket, String serverName) throws Exception {
    SSLSocket tls =
        (SSLSocket)
            HttpOrigin.clientContext()
                .getSocketFactory()
                .createSocket(socket, "updates.example.test", socket.getPort(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setServerNames(
        serverName == null ? List.of() : List.of(new SNIHostName(serverName)));
    tls.setSSLParameters(parameters);
    return tls;
  }

  /** One GET of {@code path} on the plain origin, from a client bound to {@code clientAddress}. */
  private RawHttp.Response getFrom(String clientAddress, String path) throws IOException {
    try (Socket socket = gateway.socketFrom(clientAddress)) {
      return get(socket, path);
    }
  }

  private RawHttp.Response get(Socket socket, String path) throws IOException {
    RawHttp.send(
        socket,
        "GET http://127.0.0.1:%d%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
            .formatted(origin.port(), path, origin.port()));
    return RawHttp.read(socket, false);
  }

  private RawHttp.Response getVia(String host, int port, String path) throws IOException {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, "GET http://%s:%d%s HTTP/1.1\r\n\r\n".formatted(host, port, path));
      return RawHttp.read(socket, false);
    }
  }
}
