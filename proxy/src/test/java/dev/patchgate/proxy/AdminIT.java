package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener as Prometheus, a load balancer and an outsider meet it: {@code /metrics}
 * counts the traffic that went through, {@code /readyz} turns 503 with its reasons and back, and a
 * client outside {@code patchgate.admin.clients} gets 403 and an audit record.
 */
class AdminIT {
  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final byte[] PACKAGE = "a patch, byte for byte\n".repeat(400).getBytes();
  // Named by its SHA-1, as Windows Update names its files: kept and served without revalidation.
  private static final String PACKAGE_NAME = "windows10.0-kb5034441-x64_" + sha1(PACKAGE) + ".cab";

  @TempDir Path dir;
  private HttpOrigin origin;
  private HttpOrigin tlsOrigin;
  private GatewayHarness gateway;
  private final HttpClient direct = HttpClient.newBuilder().connectTimeout(WAIT).build();

  @BeforeEach
  void startOrigins() throws Exception {
    origin = HttpOrigin.plain();
    tlsOrigin = HttpOrigin.tls();
    origin.put(PACKAGE_NAME, PACKAGE);
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
    tlsOrigin.close();
  }

  @Test
  void metricsCountWhatWentThroughPerClientAnswer() throws Exception {
    int closedPort = closedPort();
    gateway = start("", origin.port(), tlsOrigin.port(), closedPort);

    assertThat(get(origin.port(), "/files/" + PACKAGE_NAME).status()).isEqualTo(200); // miss
    awaitGauge("patchgate_mirror_objects", 1);
    assertThat(get(origin.port(), "/files/" + PACKAGE_NAME).status()).isEqualTo(200); // hit
    assertThat(get(origin.port(), "/files/" + PACKAGE_NAME, "Range: bytes=0-9\r\n").status())
        .isEqualTo(206); // a hit too, one answer however it is served
    assertThat(get(18, "/elsewhere").status()).isEqualTo(403); // denied: port 18 not allowed
    assertThat(get(closedPort, "/gone").status()).isEqualTo(502); // nobody listens there
    Metrics during;
    try (Socket tunnel = gateway.socket()) {
      RawHttp.send(tunnel, "CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n".formatted(tlsOrigin.port()));
      assertThat(RawHttp.read(tunnel, true).status()).isEqualTo(200);
      during = scrape();
    }
    assertThat(during.value("patchgate_tunnels_active")).as("%s", during).isEqualTo(1);
    assertThat(during.value("patchgate_connections_active")).isGreaterThanOrEqualTo(1);
    await().atMost(WAIT).until(() -> scrape().value("patchgate_tunnels_active") == 0);
    List<Map<String, Object>> records = awaitProxyRecords(6);

    Metrics after = scrape();
    assertThat(after.value("patchgate_requests_total", "decision", "allow")).isEqualTo(4);
    assertThat(after.value("patchgate_requests_total", "decision", "deny")).isEqualTo(1);
    assertThat(after.value("patchgate_requests_total", "decision", "error")).isEqualTo(1);
    assertThat(after.value("patchgate_mirror_misses_total")).isEqualTo(1);
    assertThat(after.value("patchgate_mirror_hits_total")).isEqualTo(2);
    assertThat(after.value("patchgate_mirror_stored_bytes")).isEqualTo(PACKAGE.length);
    assertThat(after.value("patchgate_upstream_errors_total", "reason", "unreachable"))
        .isEqualTo(1);
    assertThat(after.value("patchgate_upstream_errors_total", "reason", "timeout")).isZero();
    assertThat(after.value("patchgate_bytes_total", "direction", "to_client"))
        .isEqualTo(sum(records, "bytes_to_client"));
    assertThat(after.value("patchgate_bytes_total", "direction", "from_client"))
        .isEqualTo(sum(records, "bytes_from_client"));
    assertThat(after.value("patchgate_connections_active")).isZero();
    assertThat(after.value("patchgate_audit_healthy")).isEqualTo(1);
    assertThat(after.value("patchgate_allowlist_valid")).isEqualTo(1);
    assertThat(after.value("patchgate_allowlist_reloads_total", "result", "rejected")).isZero();
    assertThat(after.value("patchgate_ready")).isEqualTo(1);
    assertThat(after.value("patchgate_build_info")).isEqualTo(1);
    assertThat(after.value("jvm_memory_used_bytes", "area", "heap")).isPositive();
    assertThat(after.value("process_open_fds")).isPositive();
    assertThat(after.value("process_max_fds")).isGreaterThan(after.value("process_open_fds"));
    // The scrapes were audited too, on the admin port, and the proxy's meters left them out.
    int adminPort = gateway.adminAddress().getPort();
    assertThat(gateway.records())
        .anySatisfy(
            r ->
                assertThat(r)
                    .containsEntry("method", "GET")
                    .containsEntry("url", "/metrics")
                    .containsEntry("port", (long) adminPort)
                    .containsEntry("decision", "allow")
                    .containsEntry("status", 200L));
  }

  @Test
  void metricsAreInPrometheusTextFormatWithHelpAndType() throws Exception {
    gateway = start("", origin.port());

    HttpResponse<String> response = admin("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE patchgate_requests_total counter")
        .contains("# TYPE patchgate_connections_active gauge")
        .contains("# HELP patchgate_tunnels_active CONNECT tunnels open");
    HttpResponse<String> head =
        direct.send(
            HttpRequest.newBuilder(adminUri("/metrics"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(head.statusCode()).isEqualTo(200);
    assertThat(head.body()).isEmpty();
  }

  /**
   * The shipped Grafana dashboard and Prometheus alert rules name only series a running gateway
   * exposes: a renamed meter would otherwise leave a panel empty and an alert silent. (The garbage
   * collector's series appear with the first collection, so they are left out.)
   */
  @Test
  void everySeriesTheShippedDashboardAndAlertRulesNameIsExposed() throws Exception {
    // Alert meters are per channel: one channel on, as every installation has. The parent proxy
    // meters exist when parents are configured (nothing listens on port 9).
    gateway =
        start(
            "patchgate.alerts.log = true\n"
                + "patchgate.upstream.proxies = [\"http://127.0.0.1:9\"]\n",
            origin.port());
    Set<String> exposed =
        scrape().samples().stream().map(Metrics.Sample::name).collect(Collectors.toSet());
    Pattern series = Pattern.compile("\\b(?:patchgate|jvm|process)_[a-z0-9_]+");

    for (String file :
        List.of("grafana/patchgate-dashboard.json", "prometheus/patchgate-alerts.yml")) {
      Matcher named = series.matcher(Files.readString(Path.of("../deploy", file)));
      Set<String> names = new TreeSet<>();
      while (named.find()) {
        names.add(named.group());
      }
      names.removeIf(name -> name.startsWith("jvm_gc_"));
      // The forwarder's meters come with the forwarder, which `patchgate run` starts:
      // AuditForwardIT
      // reads them from the packaged gateway's /metrics.
      names.removeIf(name -> name.startsWith("patchgate_audit_forward_"));
      assertThat(names).as(file).isNotEmpty();
      assertThat(exposed).as(file).containsAll(names);
    }
  }

  @Test
  void healthzSaysOkAndReadyzSaysReady() throws Exception {
    gateway = start("", origin.port());

    HttpResponse<String> health = admin("/healthz");
    HttpResponse<String> ready = admin("/readyz");

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(health.body()).isEqualTo("ok\n");
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body()).isEqualTo("ready\n");
  }

  @Test
  void readyzTurns503WhileTheAllowlistIsInvalidAndBackAfterTheFix() throws Exception {
    gateway = start("", origin.port());
    String valid = Files.readString(gateway.allowlistFile);

    gateway.editAllowlist("entries { lab { hosts = [\"127.0.0.1\"], ports = [nope] } }");

    HttpResponse<String> notReady = awaitReadyz(503);
    assertThat(notReady.body().lines())
        .singleElement()
        .asString()
        .contains("allowlist " + gateway.allowlistFile)
        .contains("not valid")
        .contains("previous policy stays in force");
    assertThat(scrape().value("patchgate_ready")).isZero();
    assertThat(scrape().value("patchgate_allowlist_valid")).isZero();
    // The previous policy still answers meanwhile.
    assertThat(get(origin.port(), "/files/" + PACKAGE_NAME).status()).isEqualTo(200);

    gateway.editAllowlist(valid);

    assertThat(awaitReadyz(200).body()).isEqualTo("ready\n");
    assertThat(scrape().value("patchgate_ready")).isEqualTo(1);
  }

  @Test
  void readyzTurns503WhileTheAuditLogCannotBeWrittenAndBackAfterTheRepair() throws Exception {
    gateway = start("", origin.port());
    Path audit = dir.resolve("audit");
    // Root ignores permissions, so a link to a file stands where the directory was: every write
    // fails, for root too. The readiness probes are audited, so they make the writer try.
    Path aside = audit.resolveSibling("audit.aside");
    Files.move(audit, aside);
    Path blocker = Files.writeString(audit.resolveSibling("audit.blocker"), "in the way");
    Files.createSymbolicLink(audit, blocker);

    HttpResponse<String> notReady = awaitReadyz(503);
    assertThat(notReady.body().lines())
        .singleElement()
        .asString()
        .contains("audit log " + audit.toAbsolutePath() + " cannot be written")
        .contains("503 (fail-closed)");
    assertThat(scrape().value("patchgate_audit_healthy")).isZero();

    Path link = Files.createSymbolicLink(audit.resolveSibling("audit.link"), aside);
    Files.move(link, audit, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

    assertThat(awaitReadyz(200).body()).isEqualTo("ready\n");
    assertThat(scrape().value("patchgate_audit_healthy")).isEqualTo(1);
  }

  @Test
  void aClientOutsideAdminClientsGets403AndAnAuditRecordAndNoMetrics() throws Exception {
    gateway = start("patchgate.admin.clients = [\"10.20.0.0/16\", \"fd00::/8\"]\n", origin.port());

    HttpResponse<String> refused = admin("/metrics");

    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).isEqualTo("forbidden\n").doesNotContain("patchgate_");
    assertThat(refused.headers().firstValue("Connection")).hasValue("close");
    Map<String, Object> record = gateway.awaitRecordFor("/metrics");
    assertThat(record)
        .containsEntry("client", "127.0.0.1")
        .containsEntry("method", "GET")
        .containsEntry("decision", "deny")
        .containsEntry("reason", "admin client not allowed")
        .containsEntry("status", 403L)
        .containsEntry("port", (long) gateway.adminAddress().getPort());
    assertThat((Long) record.get("bytes_to_client")).isPositive();
    assertThat(admin("/readyz").statusCode()).isEqualTo(403);
    assertThat(admin("/healthz").statusCode()).isEqualTo(403);
  }

  @Test
  void hostileRequestsGetClearAnswersAndAreAudited() throws Exception {
    gateway = start("", origin.port());
    // HTTP/1.1 requests name their Host (RFC 9112 3.2): Vert.x Web answers 400 without one.

    // Netty's codec reads garbage as an HTTP/1.0 request, and Vert.x answers in that version.
    assertThat(raw("GARBAGE\r\n\r\n")).matches("(?s)HTTP/1\\.[01] 400 .*");
    assertThat(raw("GET /metrics HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n"))
        .startsWith("HTTP/1.1 400 ");
    String post =
        raw(
            "POST /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
    assertThat(post).startsWith("HTTP/1.1 405 ").containsIgnoringCase("allow: GET, HEAD");
    String traversal =
        raw("GET /../../etc/passwd HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(traversal).startsWith("HTTP/1.1 404 ").doesNotContain("root:");
    String script =
        raw(
            "GET /<script>alert(1)</script> HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n");
    assertThat(script).startsWith("HTTP/1.1 404 ").doesNotContain("<script>");

    List<Map<String, Object>> records =
        await().atMost(WAIT).until(gateway::records, r -> r.size() == 5);
    assertThat(records)
        .extracting(r -> r.get("status"))
        .containsExactlyInAnyOrder(400L, 400L, 405L, 404L, 404L);
    assertThat(records)
        .filteredOn(r -> Long.valueOf(400).equals(r.get("status")))
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsEntry("decision", "error")
                    .containsEntry("reason", "malformed request"));
    assertThat(records).anySatisfy(r -> assertThat(r).containsEntry("url", "/../../etc/passwd"));
  }

  @Test
  void anAdminPortInUseIsOneClearLineAndTheGatewayDoesNotStart() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      GatewayProcess process =
          GatewayProcess.runAllowingLoopbackPort(
              dir,
              origin.port(),
              List.of(),
              "patchgate.admin.listen = \"127.0.0.1:%d\"\n".formatted(taken.getLocalPort()));
      try (process) {
        assertThat(process.awaitExit()).as("%s", process.output()).isEqualTo(3);
        assertThat(process.output())
            .anyMatch(
                l ->
                    l.contains(
                            "cannot listen on the admin address 127.0.0.1:" + taken.getLocalPort())
                        && l.contains("patchgate.admin.listen"))
            .noneMatch(l -> l.startsWith("\tat "));
      }
    }
  }

  private GatewayHarness start(String config, int... ports) throws Exception {
    StringBuilder allowed = new StringBuilder();
    for (int port : ports) {
      allowed.append(allowed.isEmpty() ? "" : ", ").append(port);
    }
    return GatewayHarness.with(
            dir, "entries { lab { hosts = [\"127.0.0.1\"], ports = [%s] } }".formatted(allowed))
        .mirror()
        .admin()
        .config(config)
        .start();
  }

  static String sha1(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int closedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private RawHttp.Response get(int port, String path) throws IOException {
    return get(port, path, "");
  }

  private RawHttp.Response get(int port, String path, String headers) throws IOException {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(
          socket,
          "GET http://127.0.0.1:%d%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n"
              .formatted(port, path, port, headers));
      return RawHttp.read(socket, false);
    }
  }

  private List<Map<String, Object>> awaitProxyRecords(int n) {
    int adminPort = gateway.adminAddress().getPort();
    return await()
        .atMost(WAIT)
        .until(
            () ->
                gateway.records().stream()
                    .filter(r -> !Long.valueOf(adminPort).equals(r.get("port")))
                    .toList(),
            r -> r.size() == n);
  }

  private static double sum(List<Map<String, Object>> records, String field) {
    return records.stream().mapToLong(r -> (Long) r.get(field)).sum();
  }

  private URI adminUri(String path) {
    InetSocketAddress admin = gateway.adminAddress();
    return URI.create("http://127.0.0.1:" + admin.getPort() + path);
  }

  private HttpResponse<String> admin(String path) throws Exception {
    return direct.send(
        HttpRequest.newBuilder(adminUri(path)).timeout(WAIT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> awaitReadyz(int status) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> admin("/readyz"), r -> r.statusCode() == status);
  }

  /** Sends {@code request} to the admin port as raw bytes and returns all it answers. */
  private String raw(String request) throws IOException {
    try (Socket socket =
        new Socket(InetAddress.getLoopbackAddress(), gateway.adminAddress().getPort())) {
      socket.setSoTimeout(10_000);
      socket
          .getOutputStream()
          .write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(RawHttp.readToEnd(socket), java.nio.charset.StandardCharsets.ISO_8859_1);
    }
  }

  private Metrics scrape() throws Exception {
    HttpResponse<String> response = admin("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return Metrics.parse(response.body());
  }

  private void awaitGauge(String name, double value) {
    await().atMost(WAIT).until(() -> scrape().value(name) == value);
  }

  /** A scrape's samples, looked up by name and labels as a Prometheus query would. */
  private record Metrics(List<Sample> samples) {
    private static final Pattern LINE =
        Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"([^\"]*)\"");

    record Sample(String name, Map<String, String> labels, double value) {}

    static Metrics parse(String text) {
      List<Sample> samples = new ArrayList<>();
      for (String line : text.lines().toList()) {
        Matcher m = LINE.matcher(line);
        if (line.startsWith("#") || !m.matches()) {
          continue;
        }
        Map<String, String> labels = new java.util.HashMap<>();
        if (m.group(3) != null) {
          Matcher l = LABEL.matcher(m.group(3));
          while (l.find()) {
            labels.put(l.group(1), l.group(2));
          }
        }
        samples.add(new Sample(m.group(1), labels, Double.parseDouble(m.group(4))));
      }
      return new Metrics(samples);
    }

    /** The sum of the samples named {@code name} whose labels include {@code labelPairs}. */
    double value(String name, String... labelPairs) {
      List<Sample> matching =
          samples.stream()
              .filter(s -> s.name().equals(name))
              .filter(
                  s -> {
                    for (int i = 0; i < labelPairs.length; i += 2) {
                      if (!labelPairs[i + 1].equals(s.labels().get(labelPairs[i]))) {
                        return false;
                      }
                    }
                    return true;
                  })
              .toList();
      assertThat(matching).as("samples of %s %s", name, List.of(labelPairs)).isNotEmpty();
      return matching.stream().mapToDouble(Sample::value).sum();
    }
  }
}
