package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.parent.Parents;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Parent proxies (issue 14, item 1), end to end on loopback: a real Squid and a second patchgate as
 * the parent, a real HTTP origin and a real TLS origin behind it, the JDK's HttpClient and raw
 * sockets as the HIS clients, and the records as the vendor reads them.
 */
class ParentProxyIT {
  private static final String ORIGIN = "origin.example.test";
  private static final String WSUS = "wsus.hospital.example.test";
  private static final byte[] KB_CAB =
      "a cumulative update, byte for byte".getBytes(StandardCharsets.UTF_8);
  private static final String USER = "gateway";
  private static final String PASSWORD = "Parent-Pa55word";

  private static SquidParent squid;
  private static HttpOrigin origin;
  private static HttpOrigin tlsOrigin;

  @TempDir Path dir;
  private GatewayHarness site;

  @BeforeAll
  static void startSquidAndOrigins() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", KB_CAB);
    tlsOrigin = HttpOrigin.tls();
    tlsOrigin.put("kb.cab", KB_CAB);
    squid = SquidParent.start(List.of(ORIGIN, WSUS), null, null);
  }

  @AfterAll
  static void stopSquidAndOrigins() throws Exception {
    squid.close();
    origin.close();
    tlsOrigin.close();
  }

  @AfterEach
  void stopSite() {
    if (site != null) {
      site.close();
    }
  }

  // ---- Squid as the parent --------------------------------------------------------------------

  @Test
  void aPlainGetGoesToSquidInAbsoluteFormAndTheRecordNamesSquid() throws Exception {
    site = site(squid.url(), "");
    String url = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab";

    HttpResponse<byte[]> response = get(site, url);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(KB_CAB);
    assertThat(squid.awaitAccess("GET " + url, "HIER_DIRECT")).contains("/200 ");
    assertThat(site.awaitRecordFor(url))
        .containsEntry("decision", "allow")
        .containsEntry("upstream", "parent:127.0.0.1:" + squid.port());
  }

  @Test
  void aConnectGoesToSquidAsAConnectAndTheTlsOriginAnswers() throws Exception {
    site = site(squid.url(), "");
    String authority = ORIGIN + ":" + tlsOrigin.port();

    try (Socket socket = site.tunnel(authority);
        SSLSocket tls = tlsOver(socket, ORIGIN)) {
      tls.getOutputStream()
          .write(
              ("GET /files/kb.cab HTTP/1.1\r\nHost: " + ORIGIN + "\r\nConnection: close\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      String answer = new String(tls.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      assertThat(answer)
          .startsWith("HTTP/1.1 200")
          .endsWith(new String(KB_CAB, StandardCharsets.ISO_8859_1));
    }

    assertThat(squid.awaitAccess("CONNECT " + authority)).contains("/200 ");
    assertThat(site.awaitRecordFor(authority))
        .containsEntry("decision", "allow")
        .containsEntry("upstream", "parent:127.0.0.1:" + squid.port());
  }

  @Test
  void aMismatchedSniIsCutBeforeAByteReachesTheTunnelThroughSquid() throws Exception {
    AtomicLong received = new AtomicLong();
    try (ScriptedOrigin tunnelEnd =
        new ScriptedOrigin(
            c -> {
              InputStream in = c.getInputStream();
              for (int b = in.read(); b >= 0; b = in.read()) {
                received.incrementAndGet();
              }
            })) {
      site = site(squid.url(), "", tunnelEnd.port());
      String authority = ORIGIN + ":" + tunnelEnd.port();

      try (Socket socket = site.tunnel(authority)) {
        socket
            .getOutputStream()
            .write(TlsHellos.hello().serverName("elsewhere.example.net").record());
        assertThat(socket.getInputStream().read()).as("the tunnel is closed").isEqualTo(-1);
      }

      assertThat(site.awaitRecordFor(authority))
          .containsEntry("decision", "deny")
          .containsEntry("reason", dev.patchgate.proxy.tunnel.SniGate.MISMATCH);
      assertThat(squid.awaitAccess("CONNECT " + authority))
          .as("Squid carried the CONNECT, and closed it when the site did")
          .contains("/200 ");
      assertThat(received.get()).as("bytes that reached the end of the tunnel").isZero();
    }
  }

  @Test
  void aDeadFirstParentIsSkippedAndTheSecondServes() throws Exception {
    int dead = SquidParent.freePort();
    site =
        site(
            "http://127.0.0.1:" + dead + "\", \"" + squid.url(),
            "connect-fail-limit = 1, parent-retry = 1h");
    String first = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab?first";
    String second = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab?second";

    assertThat(get(site, first).statusCode()).isEqualTo(200);
    assertThat(get(site, second).statusCode()).isEqualTo(200);

    assertThat(site.awaitRecordFor(first))
        .containsEntry("upstream", "parent:127.0.0.1:" + squid.port());
    assertThat(site.awaitRecordFor(second))
        .containsEntry("upstream", "parent:127.0.0.1:" + squid.port());
    assertThat(failures(site, dead)).as("dialled once, then skipped").isEqualTo(1.0);
    assertThat(up(site, dead)).isZero();
    assertThat(up(site, squid.port())).isEqualTo(1.0);
  }

  @Test
  void everyParentDownGives502NamingTheParentAndNeverADirectConnection() throws Exception {
    int deadA = SquidParent.freePort();
    int deadB = SquidParent.freePort();
    site = site("http://127.0.0.1:" + deadA + "\", \"http://127.0.0.1:" + deadB, "");
    int seenBefore = origin.seen().size();
    String url = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab?down";

    HttpResponse<byte[]> response = get(site, url);

    assertThat(response.statusCode()).isEqualTo(502);
    assertThat(new String(response.body(), StandardCharsets.UTF_8))
        .isEqualTo("502 Bad Gateway: parent proxy unreachable\n");
    assertThat(site.awaitRecordFor(url))
        .containsEntry("decision", "error")
        .containsEntry("status", 502L)
        .containsEntry("reason", "parent proxy unreachable");
    assertThat(origin.seen()).as("no silent direct connection").hasSize(seenBefore);
  }

  @Test
  void aConnectWithEveryParentDownGives502NamingTheParent() throws Exception {
    site = site("http://127.0.0.1:" + SquidParent.freePort(), "");
    String authority = ORIGIN + ":" + tlsOrigin.port();

    try (Socket socket = site.socket()) {
      RawHttp.send(
          socket, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n".formatted(authority, authority));
      RawHttp.Response response = RawHttp.read(socket, false);
      assertThat(response.status()).isEqualTo(502);
      assertThat(response.bodyText()).contains("parent proxy unreachable");
    }
    assertThat(site.awaitRecordFor(authority)).containsEntry("reason", "parent proxy unreachable");
  }

  @Test
  void fallbackDirectSendsTheRequestStraightToTheOriginOnlyWhenTheAdminWroteIt() throws Exception {
    site = site("http://127.0.0.1:" + SquidParent.freePort(), "fallback = direct");
    String url = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab?fallback";

    HttpResponse<byte[]> response = get(site, url);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(KB_CAB);
    assertThat(site.awaitRecordFor(url))
        .containsEntry("decision", "allow")
        .containsEntry("reason", "parent proxy unreachable; sent direct (fallback = direct)")
        .containsEntry("upstream", "127.0.0.1");
  }

  @Test
  void anEntryWithUpstreamDirectBypassesTheParent() throws Exception {
    site = site("http://127.0.0.1:" + SquidParent.freePort(), "");
    String url = "http://" + WSUS + ":" + origin.port() + "/files/kb.cab";

    HttpResponse<byte[]> response = get(site, url);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(site.awaitRecordFor(url))
        .containsEntry("decision", "allow")
        .containsEntry("upstream", "127.0.0.1");
    assertThat(squid.accessLog()).noneMatch(l -> l.contains(WSUS));
  }

  @Test
  void basicCredentialsFromTheFileReachSquidAndWrongOnesAreNamedInTheRecord() throws Exception {
    try (SquidParent guarded = SquidParent.start(List.of(ORIGIN), USER, PASSWORD)) {
      Path right = dir.resolve("right-credentials");
      Files.writeString(right, "127.0.0.1:" + guarded.port() + " " + USER + ":" + PASSWORD + "\n");
      site = site(guarded.url(), "credentials-file = \"" + right + "\"");
      String plain = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab?authed";
      String tunnel = ORIGIN + ":" + tlsOrigin.port();

      assertThat(get(site, plain).statusCode()).isEqualTo(200);
      try (Socket socket = site.tunnel(tunnel);
          SSLSocket tls = tlsOver(socket, ORIGIN)) {
        tls.startHandshake();
      }
      assertThat(guarded.awaitAccess("GET " + plain, " " + USER + " ")).contains("/200 ");
      assertThat(guarded.awaitAccess("CONNECT " + tunnel, " " + USER + " ")).contains("/200 ");
      site.close();

      Path wrong = dir.resolve("wrong-credentials");
      Files.writeString(wrong, "127.0.0.1:" + guarded.port() + " " + USER + ":not-it\n");
      site = site(guarded.url(), "credentials-file = \"" + wrong + "\"", 0, "site-2");
      String refused = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab?wrong";

      HttpResponse<byte[]> response = get(site, refused);
      assertThat(response.statusCode()).isEqualTo(407);
      assertThat(response.headers().firstValue("Proxy-Authenticate"))
          .as("the parent's challenge is the gateway's, not the client's")
          .isEmpty();
      assertThat(site.awaitRecordFor(refused))
          .containsEntry("decision", "error")
          .containsEntry("reason", "parent proxy refused the gateway's credentials (407)");
      try (Socket socket = site.socket()) {
        RawHttp.send(socket, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n".formatted(tunnel, tunnel));
        RawHttp.Response answer = RawHttp.read(socket, false);
        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.bodyText())
            .contains("parent proxy refused the gateway's credentials (407)");
      }
      assertThat(site.awaitRecordFor(tunnel))
          .containsEntry("reason", "parent proxy refused the gateway's credentials (407)");
      assertThat(auditText(dir.resolve("site"))).doesNotContain(PASSWORD);
      assertThat(auditText(dir.resolve("site-2"))).doesNotContain("not-it");
    }
  }

  // ---- a second patchgate as the parent -------------------------------------------------------

  @Test
  void behindACentralPatchgateBothMirrorASecondDownloadIsASiteHitAndASecondSiteACentralHit()
      throws Exception {
    try (GatewayHarness central = central("")) {
      site = site("http://127.0.0.1:" + central.port(), "");
      String url = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab";
      int seenBefore = origin.seen().size();

      HttpResponse<byte[]> first = get(site, url);
      awaitStoredObjects(site, 1);
      awaitStoredObjects(central, 1);
      HttpResponse<byte[]> second = get(site, url);

      assertThat(first.body()).isEqualTo(KB_CAB);
      assertThat(second.body()).isEqualTo(KB_CAB);
      List<Map<String, Object>> atSite =
          await(() -> site.records().stream().filter(r -> url.equals(r.get("url"))).toList(), 2);
      assertThat(atSite).extracting(r -> r.get("cache")).containsExactly("miss", "hit");
      assertThat(atSite.get(0)).containsEntry("upstream", "parent:127.0.0.1:" + central.port());
      assertThat(central.awaitRecordFor(url))
          .as("the central gateway saw one request, the site's fill")
          .containsEntry("cache", "miss")
          .containsEntry("client", "127.0.0.1");
      assertThat(origin.seen()).hasSize(seenBefore + 1);

      // A second site behind the same central gateway: its first download is a central hit.
      try (GatewayHarness siteB = site("http://127.0.0.1:" + central.port(), "", 0, "site-b")) {
        assertThat(get(siteB, url).body()).isEqualTo(KB_CAB);
        List<Map<String, Object>> atCentral =
            await(
                () -> central.records().stream().filter(r -> url.equals(r.get("url"))).toList(), 2);
        assertThat(atCentral).extracting(r -> r.get("cache")).containsExactly("miss", "hit");
      }
      assertThat(origin.seen()).as("the origin still saw one request").hasSize(seenBefore + 1);

      String authority = ORIGIN + ":" + tlsOrigin.port();
      try (Socket socket = site.tunnel(authority);
          SSLSocket tls = tlsOver(socket, ORIGIN)) {
        tls.startHandshake();
      }
      assertThat(central.awaitRecordFor(authority)).containsEntry("decision", "allow");
    }
  }

  @Test
  void aCentralGatewayTrustingItsSiteRecordsEachPcBehindItWithTheSiteAsVia() throws Exception {
    try (GatewayHarness central = central("patchgate.trusted-downstreams = [\"127.0.0.1/32\"]")) {
      site = site("http://127.0.0.1:" + central.port(), "");
      String url = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab";
      String authority = ORIGIN + ":" + tlsOrigin.port();
      int seenBefore = origin.seen().size();

      // A fill (the mirror's own fetch through the parent), from one PC ...
      try (Socket pc = socketFrom(site, "127.0.0.7")) {
        assertThat(download(pc, url, "X-Forwarded-For: 10.9.9.9\r\n")).isEqualTo(200);
      }
      // ... and a tunnel (LittleProxy's chained CONNECT), from another.
      try (Socket pc = socketFrom(site, "127.0.0.8")) {
        RawHttp.send(pc, "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n");
        assertThat(RawHttp.read(pc, true).status()).isEqualTo(200);
        try (SSLSocket tls = tlsOver(pc, ORIGIN)) {
          tls.startHandshake();
        }
      }

      assertThat(central.awaitRecordFor(url))
          .as("the PC, not the site gateway, nor what the PC claimed")
          .containsEntry("client", "127.0.0.7")
          .containsEntry("via", "127.0.0.1");
      assertThat(central.awaitRecordFor(authority))
          .containsEntry("client", "127.0.0.8")
          .containsEntry("via", "127.0.0.1");
      assertThat(origin.seen().subList(seenBefore, origin.seen().size()))
          .as("the origin never learns the hospital's addresses")
          .isNotEmpty()
          .allSatisfy(
              seen ->
                  assertThat(seen.headers().keySet())
                      .map(name -> name.toLowerCase(Locale.ROOT))
                      .doesNotContain("x-forwarded-for", "forwarded"));
    }
  }

  @Test
  void withForwardedForOffTheSiteNamesNoPcAndTheCentralGatewayRecordsTheSite() throws Exception {
    try (GatewayHarness central = central("patchgate.trusted-downstreams = [\"127.0.0.1/32\"]")) {
      site = site("http://127.0.0.1:" + central.port(), "forwarded-for = off");
      String url = "http://" + ORIGIN + ":" + origin.port() + "/files/kb.cab";

      try (Socket pc = socketFrom(site, "127.0.0.7")) {
        assertThat(download(pc, url, "")).isEqualTo(200);
      }

      assertThat(central.awaitRecordFor(url))
          .containsEntry("client", "127.0.0.1")
          .containsEntry("via", null);
    }
  }

  // ---- helpers --------------------------------------------------------------------------------

  private static Socket socketFrom(GatewayHarness gateway, String local) throws IOException {
    Socket socket =
        new Socket(gateway.address().getAddress(), gateway.port(), InetAddress.getByName(local), 0);
    socket.setSoTimeout(15_000);
    return socket;
  }

  /** The central gateway a site sends through: the mirror on, {@code config} added. */
  private GatewayHarness central(String config) throws Exception {
    return GatewayHarness.with(
            dir.resolve("central"), allowlist(origin.port(), tlsOrigin.port(), ""))
        .resolver(new FakeResolver().answer(ORIGIN, "127.0.0.1"))
        .mirror()
        .config(config)
        .start();
  }

  /** A PC's GET of {@code url} through the site on {@code pc}, with {@code headers}: its status. */
  private int download(Socket pc, String url, String headers) throws IOException {
    String host = ORIGIN + ":" + origin.port();
    RawHttp.send(
        pc,
        "GET "
            + url
            + " HTTP/1.1\r\nHost: "
            + host
            + "\r\n"
            + headers
            + "Connection: close\r\n\r\n");
    return RawHttp.read(pc, false).status();
  }

  private GatewayHarness site(String proxies, String upstream) throws Exception {
    return site(proxies, upstream, 0, "site");
  }

  private GatewayHarness site(String proxies, String upstream, int tunnelPort) throws Exception {
    return site(proxies, upstream, tunnelPort, "site");
  }

  /** A site gateway with the mirror on, sending through {@code proxies} (quoted list body). */
  private GatewayHarness site(String proxies, String upstream, int tunnelPort, String name)
      throws Exception {
    String tunnelEnd =
        tunnelPort == 0
            ? ""
            : "tunnel-end { hosts = [\"%s\"], ports = [%d], addresses = [\"127.0.0.0/8\"] }"
                .formatted(ORIGIN, tunnelPort);
    return GatewayHarness.with(
            dir.resolve(name), allowlist(origin.port(), tlsOrigin.port(), tunnelEnd))
        .resolver(new FakeResolver().answer(ORIGIN, "127.0.0.1").answer(WSUS, "127.0.0.1"))
        .mirror()
        .config("patchgate.upstream { proxies = [\"" + proxies + "\"]\n" + upstream + " }")
        .start();
  }

  private static String allowlist(int httpPort, int tlsPort, String extraEntry) {
    return """
        entries {
          # fresh for a day: the origin's answers carry no expiry of their own
          vendor {
            hosts = ["%s"], ports = [%d, %d], addresses = ["127.0.0.0/8"], mirror-max-age = 1d
          }
          # an internal server the internet-side parent cannot reach
          wsus { hosts = ["%s"], ports = [%d], addresses = ["127.0.0.0/8"], upstream = direct }
          %s
        }
        """
        .formatted(ORIGIN, httpPort, tlsPort, WSUS, httpPort, extraEntry);
  }

  private static HttpResponse<byte[]> get(GatewayHarness gateway, String url) throws Exception {
    HttpClient client =
        HttpClient.newBuilder()
            .proxy(ProxySelector.of(gateway.address()))
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static SSLSocket tlsOver(Socket socket, String serverName) throws Exception {
    SSLSocket tls =
        (SSLSocket)
            HttpOrigin.clientContext()
                .getSocketFactory()
                .createSocket(socket, serverName, socket.getPort(), true);
    SSLParameters parameters = tls.getSSLParameters();
    parameters.setServerNames(List.of(new SNIHostName(serverName)));
    tls.setSSLParameters(parameters);
    return tls;
  }

  private static double failures(GatewayHarness gateway, int port) {
    return gateway
        .registry
        .get(Parents.PARENT_FAILURES)
        .tag("parent", "127.0.0.1:" + port)
        .counter()
        .count();
  }

  private static double up(GatewayHarness gateway, int port) {
    return gateway
        .registry
        .get(Parents.PARENT_UP)
        .tag("parent", "127.0.0.1:" + port)
        .gauge()
        .value();
  }

  private static void awaitStoredObjects(GatewayHarness gateway, int n) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> gateway.registry.get("patchgate.mirror.objects").gauge().value() == n);
  }

  private static String auditText(Path gatewayDir) throws IOException {
    StringBuilder all = new StringBuilder();
    try (Stream<Path> files = Files.list(gatewayDir.resolve("audit"))) {
      for (Path f : files.toList()) {
        all.append(Files.readString(f));
      }
    }
    return all.toString();
  }

  private static <T> List<T> await(java.util.concurrent.Callable<List<T>> read, int count) {
    return org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(read, l -> l.size() == count);
  }
}
