package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.proxy.request.ForwardedFor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.MapAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14, site gateways and a central gateway: at the centre, a request relayed by a trusted site
 * gateway (here a client bound to 127.0.0.2) is decided, rate-limited and recorded as the PC its
 * {@code X-Forwarded-For} names, with the site gateway as {@code via}; from anyone else the header
 * is ignored; and no origin ever sees it.
 */
class ForwardedForIT {
  private static final String SITE = "127.0.0.2";
  private static final String STRAIGHT = "127.0.0.3";
  private static final String PC = "10.1.2.3";
  private static final byte[] KB_CAB = "a cabinet file".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", KB_CAB);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  @Test
  void aPcBehindATrustedSiteGatewayIsDecidedAndRecordedAsItselfViaTheSiteGateway()
      throws Exception {
    startCentral(allowing("site-pcs"), "");

    RawHttp.Response relayed = get(SITE, "/files/kb.cab?pc", "X-Forwarded-For: " + PC);
    // The site gateway itself is in no group: only the PC's address lets the request through.
    RawHttp.Response siteItself = get(SITE, "/files/kb.cab?site", null);

    assertThat(relayed.status()).isEqualTo(200);
    assertThat(relayed.body()).isEqualTo(KB_CAB);
    assertRecord("/files/kb.cab?pc", PC, SITE)
        .containsEntry("decision", "allow")
        .containsEntry("entry", "lab")
        .containsEntry("reason", null);
    assertThat(siteItself.status()).isEqualTo(403);
    assertRecord("/files/kb.cab?site", SITE, null)
        .containsEntry("reason", "client not allowed for this host");
    // Straight to an origin, the header is never added nor passed on: it would name the PC.
    assertThat(origin.seen()).hasSize(1);
    assertNoForwardedHeaderReachedTheOrigin();
  }

  @Test
  void aClientGroupAtTheCentreDecidesByThePcNotTheSiteGateway() throws Exception {
    // The site gateway may fetch updates for itself; its PC 10.1.2.3 may not.
    startCentral(
        """
        clients {
          site-pcs = ["10.1.2.0/24"]
          site-gateways = ["%s"]
        }
        entries {
          lab { hosts = ["127.0.0.1"], ports = [%d], clients = [site-gateways] }
        }
        """
            .formatted(SITE, origin.port()),
        "");

    RawHttp.Response relayed = get(SITE, "/files/kb.cab?pc", "X-Forwarded-For: " + PC);

    assertThat(relayed.status()).isEqualTo(403);
    assertRecord("/files/kb.cab?pc", PC, SITE)
        .containsEntry("reason", "client not allowed for this host");
    assertThat(get(SITE, "/files/kb.cab?site", null).status()).isEqualTo(200);
  }

  @ParameterizedTest(name = "mirror on: {0}")
  @ValueSource(booleans = {false, true})
  void anUntrustedPeersHeadersAreIgnoredAndNeverReachTheOrigin(boolean mirror) throws Exception {
    GatewayHarness.Options options =
        GatewayHarness.with(dir, allowing("straight-pcs"))
            .config("patchgate.trusted-downstreams = [\"%s/32\"]".formatted(SITE));
    gateway = (mirror ? options.mirror() : options).start();

    RawHttp.Response response =
        get(
            STRAIGHT,
            "/files/kb.cab",
            "X-Forwarded-For: " + PC + "\r\nForwarded: for=" + PC + "\r\nX-Other: kept");

    assertThat(response.status()).isEqualTo(200);
    assertRecord("/files/kb.cab", STRAIGHT, null).containsEntry("reason", null);
    assertThat(origin.seen()).hasSize(1);
    assertNoForwardedHeaderReachedTheOrigin();
    if (!mirror) {
      // Only the two headers are taken out (the mirror's own fetch sends none of the client's).
      assertThat(origin.seen().get(0).headers()).containsKey("X-other");
    }
  }

  @Test
  void anUntrustedPeerCannotBorrowAnAllowedPcsAddress() throws Exception {
    startCentral(allowing("site-pcs"), "");

    RawHttp.Response spoofed = get(STRAIGHT, "/files/kb.cab", "X-Forwarded-For: " + PC);

    assertThat(spoofed.status()).isEqualTo(403);
    assertRecord("/files/kb.cab", STRAIGHT, null)
        .containsEntry("reason", "client not allowed for this host");
    assertThat(origin.seen()).isEmpty();
  }

  @Test
  void aSpoofedAddressLeftOfThePcsIsNotBelieved() throws Exception {
    startCentral(allowing("site-pcs"), "");

    // The PC wrote 1.2.3.4 itself; the site gateway appended the address it saw.
    RawHttp.Response chain = get(SITE, "/files/kb.cab?chain", "X-Forwarded-For: 1.2.3.4, " + PC);

    assertThat(chain.status()).isEqualTo(200);
    assertRecord("/files/kb.cab?chain", PC, SITE);
  }

  static Stream<Arguments> unusableHeaders() {
    return Stream.of(
        unusable("not an address", "X-Forwarded-For: evil", ForwardedFor.NOT_AN_ADDRESS),
        // A second line appended by whoever wrote the first, to put garbage at the right end.
        unusable(
            "an injected second line",
            "X-Forwarded-For: " + PC + "\r\nX-Forwarded-For: evil",
            ForwardedFor.NOT_AN_ADDRESS),
        unusable("unknown", "X-Forwarded-For: unknown", ForwardedFor.HIDDEN),
        unusable("an obfuscated node", "Forwarded: for=_hidden", ForwardedFor.HIDDEN),
        unusable("a port", "X-Forwarded-For: " + PC + ":5678", ForwardedFor.PORT),
        unusable(
            "both headers",
            "X-Forwarded-For: " + PC + "\r\nForwarded: for=" + PC,
            ForwardedFor.BOTH),
        unusable(
            "a huge header",
            "X-Forwarded-For: " + "10.1.2.4, ".repeat(800) + PC,
            ForwardedFor.TOO_LONG));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unusableHeaders")
  void aTrustedPeersUnusableHeaderFallsBackToThePeerWithTheReasonRecorded(
      String what, String header, String reason) throws Exception {
    // The site gateway may fetch for itself, so the fallback is allowed and the record has room.
    startCentral(allowing("site-gateways"), "");

    RawHttp.Response response = get(SITE, "/files/kb.cab", header);

    assertThat(response.status()).isEqualTo(200);
    assertRecord("/files/kb.cab", SITE, null)
        .containsEntry("decision", "allow")
        .containsEntry("reason", reason);
    assertNoForwardedHeaderReachedTheOrigin();
  }

  @Test
  void controlCharactersInTheHeaderNeverCrashTheGatewayNorReachTheOrigin() throws Exception {
    startCentral(allowing("site-gateways"), "");

    // A bare CR, a NUL and a vertical tab: the decoder refuses the request or the parser the
    // header.
    RawHttp.Response response =
        get(SITE, "/files/kb.cab", "X-Forwarded-For: " + PC + "\u000b\u0000\rX-Evil: 1");

    assertThat(response.status()).isIn(200, 400);
    Map<String, Object> record = gateway.awaitRecord(r -> true);
    assertThat(record).containsEntry("client", SITE).containsEntry("via", null);
    assertNoForwardedHeaderReachedTheOrigin();
    assertThat(get(SITE, "/files/kb.cab?after", null).status()).isEqualTo(200);
  }

  @Test
  void theRequestRateLimitKeysOnThePcSoOnePcCannotSpendItsSitesBudget() throws Exception {
    startCentral(
        allowing("site-pcs"), "patchgate.limits.requests-per-client { rate = 1, burst = 3 }");

    int refused = 0;
    try (Socket site = socketFrom(SITE)) {
      for (int i = 0; i < 10; i++) {
        RawHttp.Response response = get(site, "/files/kb.cab?flood", "X-Forwarded-For: " + PC);
        if (response.status() == 429) {
          refused++;
        }
      }
    }
    RawHttp.Response neighbour = get(SITE, "/files/kb.cab?neighbour", "X-Forwarded-For: 10.1.2.4");

    assertThat(refused).isPositive();
    assertThat(neighbour.status()).isEqualTo(200);
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(gateway.records())
                    .filteredOn(r -> "rate limit".equals(r.get("reason")))
                    .isNotEmpty()
                    .allSatisfy(
                        r -> assertThat(r).containsEntry("client", PC).containsEntry("via", SITE)));
  }

  @Test
  void aConnectFromATrustedSiteGatewayIsDecidedAsThePc() throws Exception {
    try (ScriptedOrigin echo =
        new ScriptedOrigin(c -> c.getInputStream().transferTo(c.getOutputStream()))) {
      startCentral(
          """
          clients { site-pcs = ["10.1.2.0/24"] }
          entries {
            tunnel { hosts = ["127.0.0.1"], ports = [%d], sni-check = false, clients = [site-pcs] }
          }
          """
              .formatted(echo.port()),
          "");
      String connect =
          "CONNECT 127.0.0.1:%d HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n"
              .formatted(echo.port(), echo.port());

      try (Socket socket = socketFrom(SITE)) {
        RawHttp.send(socket, connect + "X-Forwarded-For: " + PC + "\r\n\r\n");
        assertThat(RawHttp.read(socket, true).status()).isEqualTo(200);
        socket.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
        assertThat(socket.getInputStream().readNBytes(4)).isEqualTo("ping".getBytes());
      }
      try (Socket socket = socketFrom(SITE)) {
        RawHttp.send(socket, connect + "\r\n");
        assertThat(RawHttp.read(socket, false).status()).isEqualTo(403);
      }

      await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertTunnelsRecorded());
    }
  }

  private void assertTunnelsRecorded() {
    List<Map<String, Object>> tunnels =
        gateway.records().stream().filter(r -> "CONNECT".equals(r.get("method"))).toList();
    assertThat(tunnels)
        .hasSize(2)
        .anySatisfy(
            r ->
                assertThat(r)
                    .containsEntry("client", PC)
                    .containsEntry("via", SITE)
                    .containsEntry("decision", "allow"))
        .anySatisfy(
            r ->
                assertThat(r)
                    .containsEntry("client", SITE)
                    .containsEntry("via", null)
                    .containsEntry("decision", "deny"));
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** A central gateway trusting the site gateway 127.0.0.2, with {@code allowlist}. */
  private void startCentral(String allowlist, String config) throws Exception {
    gateway =
        GatewayHarness.with(dir, allowlist)
            .config("patchgate.trusted-downstreams = [\"%s/32\"]\n%s".formatted(SITE, config))
            .start();
  }

  /**
   * The plain origin, allowed for one client group of three: {@code site-pcs} (10.1.2.0/24, the PCs
   * behind the site gateway), {@code site-gateways} (127.0.0.2) or {@code straight-pcs} (127.0.0.3,
   * a PC at the central site).
   */
  private String allowing(String group) {
    return """
        clients {
          site-pcs = ["10.1.2.0/24"]
          site-gateways = ["%s"]
          straight-pcs = ["%s"]
        }
        entries {
          lab { hosts = ["127.0.0.1"], ports = [%d], clients = [%s] }
        }
        """
        .formatted(SITE, STRAIGHT, origin.port(), group);
  }

  private static Arguments unusable(String what, String header, String reason) {
    return Arguments.of(what, header, reason);
  }

  /** Waits for the record of the GET of {@code path} and checks whom it names. */
  private MapAssert<String, Object> assertRecord(String path, String client, String via) {
    return assertThat(gateway.awaitRecordFor("http://127.0.0.1:" + origin.port() + path))
        .containsEntry("client", client)
        .containsEntry("via", via);
  }

  private void assertNoForwardedHeaderReachedTheOrigin() {
    assertThat(origin.seen())
        .allSatisfy(
            seen ->
                assertThat(seen.headers().keySet())
                    .map(name -> name.toLowerCase(Locale.ROOT))
                    .doesNotContain("x-forwarded-for", "forwarded"));
  }

  private Socket socketFrom(String local) throws IOException {
    Socket socket =
        new Socket(gateway.address().getAddress(), gateway.port(), InetAddress.getByName(local), 0);
    socket.setSoTimeout(15_000);
    return socket;
  }

  /** One GET of {@code path} on the origin from a client bound to {@code local}. */
  private RawHttp.Response get(String local, String path, String headers) throws IOException {
    try (Socket socket = socketFrom(local)) {
      return get(socket, path, headers);
    }
  }

  /** One GET on {@code socket}, with {@code headers} (CRLF-separated lines, or null) added. */
  private RawHttp.Response get(Socket socket, String path, String headers) throws IOException {
    RawHttp.send(
        socket,
        "GET http://127.0.0.1:%d%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n"
            .formatted(
                origin.port(), path, origin.port(), headers == null ? "" : headers + "\r\n"));
    return RawHttp.read(socket, false);
  }
}
