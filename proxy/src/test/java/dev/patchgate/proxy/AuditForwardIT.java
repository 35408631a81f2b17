package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditDayFile;
import dev.patchgate.audit.AuditFiles;
import dev.patchgate.audit.ForwardCursor;
import dev.patchgate.proxy.cli.Cli;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Audit forwarding from real gateways (the packaged jar) to a real rsyslog listening with TLS on
 * loopback: every line arrives exactly once and in order through a collector outage of 10,000
 * records and a gateway restart, and the collector's file verifies per gateway; a collector whose
 * certificate does not chain to the configured CA gets nothing, and the gateway says so.
 */
class AuditForwardIT {
  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final byte[] PACKAGE = "a cabinet file".getBytes(StandardCharsets.US_ASCII);

  @TempDir Path dir;
  private HttpOrigin origin;
  private final List<AutoCloseable> open = new ArrayList<>();
  private final HttpClient direct = HttpClient.newHttpClient();

  @BeforeEach
  void startOrigin() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", PACKAGE);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
    origin.close();
  }

  @Test
  void everyLineReachesRsyslogOnceInOrderThroughAnOutageAndARestartAndVerifiesPerGateway()
      throws Exception {
    Rsyslog.Pki pki = Rsyslog.Pki.create(dir.resolve("pki"));
    Rsyslog rsyslog = Rsyslog.startTls(dir.resolve("rsyslog"), pki);
    open.add(rsyslog);
    String forward =
        """
        patchgate.audit.forward.url = "syslog+tls://127.0.0.1:%d"
        patchgate.audit.forward.ca = "%s"
        patchgate.limits.requests-per-client.rate = 0
        """
            .formatted(rsyslog.port(), pki.ca());
    Path siteA = Files.createDirectories(dir.resolve("site-a"));
    Path siteB = Files.createDirectories(dir.resolve("site-b"));
    GatewayProcess b = gateway(siteB, forward + "patchgate.audit.forward.name = \"gw-b\"\n");
    GatewayProcess a = gateway(siteA, forward + "patchgate.audit.forward.name = \"gw-a\"\n");
    request(a, 50);
    request(b, 20);
    awaitForwarded(siteA);

    // A clean restart in the middle: the second run goes on where the first stopped.
    a.close();
    a = gateway(siteA, forward + "patchgate.audit.forward.name = \"gw-a\"\n");
    request(a, 50);
    awaitForwarded(siteA);

    rsyslog.stop();
    request(a, 10_000);
    int adminA = a.awaitAdminPort();
    await().atMost(WAIT).until(() -> metric(adminA, "patchgate_audit_forward_connected") == 0);
    assertThat(metric(adminA, "patchgate_audit_forward_backlog_bytes")).isGreaterThan(1_000_000);

    rsyslog.start();
    awaitForwarded(siteA);
    request(b, 20);
    a.close();
    b.close(); // their stop markers go out too
    rsyslog.stop(); // writes out what it has read

    List<String> collected = rsyslog.lines();
    assertThat(bodiesOf("gw-a", collected)).containsExactlyElementsOf(auditLines(siteA));
    assertThat(bodiesOf("gw-b", collected)).containsExactlyElementsOf(auditLines(siteB));
    // The scrapes of /metrics are audited too; the downloads are all there.
    assertThat(bodiesOf("gw-a", collected))
        .filteredOn(l -> l.contains("/files/kb.cab"))
        .hasSize(10_100);

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
            .execute(new String[] {"audit", "verify", "--collector", rsyslog.file().toString()});
    assertThat(out.toString(StandardCharsets.UTF_8))
        .contains("2 gateways")
        .containsPattern(
            "gw-a: verified: \\d{5} records, chain intact \\(first seq 1, last seq \\d+\\)")
        .contains("gw-b: verified: 40 records, chain intact (first seq 1, last seq 42)")
        .doesNotContain("duplicate");
    assertThat(exit).isZero();
  }

  @Test
  void aCollectorWhoseCertificateTheCaDidNotSignGetsNothingAndTheGatewaySaysSo() throws Exception {
    Rsyslog rsyslog =
        Rsyslog.startTls(dir.resolve("rsyslog"), Rsyslog.Pki.create(dir.resolve("pki")));
    open.add(rsyslog);
    Rsyslog.Pki otherCa = Rsyslog.Pki.create(dir.resolve("other-pki"));
    AlertHook alerts = new AlertHook();
    open.add(alerts);
    Path site = Files.createDirectories(dir.resolve("site"));
    GatewayProcess gateway =
        gateway(
            site,
            """
            patchgate.audit.forward.url = "syslog+tls://127.0.0.1:%d"
            patchgate.audit.forward.ca = "%s"
            patchgate.audit.forward.name = "gw-wrong-ca"
            patchgate.audit.forward.max-backlog = 1
            """
                    .formatted(rsyslog.port(), otherCa.ca())
                + alerts.config());
    request(gateway, 1);
    int admin = gateway.awaitAdminPort();

    assertThat(alerts.await("audit_forward"))
        .contains("cannot connect to syslog+tls://127.0.0.1:" + rsyslog.port());
    HttpResponse<String> ready =
        await().atMost(WAIT).until(() -> admin(admin, "/readyz"), r -> r.statusCode() == 503);
    assertThat(ready.body())
        .contains("audit forwarding to syslog+tls://127.0.0.1:" + rsyslog.port() + " is ")
        .contains("bytes behind (max-backlog 1): cannot connect to");
    assertThat(metric(admin, "patchgate_audit_forward_connected")).isZero();
    assertThat(metric(admin, "patchgate_audit_forward_sent_total")).isZero();
    assertThat(metric(admin, "patchgate_audit_forward_backlog_bytes")).isPositive();

    // The record waits in the day file, the cursor before it; the collector has nothing.
    assertThat(auditLines(site)).anyMatch(line -> line.contains("/files/kb.cab"));
    assertThat(ForwardCursor.read(site.resolve("audit")).orElseThrow().offset()).isZero();
    assertThat(rsyslog.lines()).isEmpty();
  }

  @Test
  void aCollectorThatAsksForAClientCertificateGetsTheGatewaysOwn() throws Exception {
    Rsyslog.Pki pki = Rsyslog.Pki.create(dir.resolve("pki"));
    Rsyslog rsyslog = Rsyslog.startTls(dir.resolve("rsyslog"), pki, "x509/certvalid");
    open.add(rsyslog);
    Path[] client = pki.client("gw-c");
    Path site = Files.createDirectories(dir.resolve("site"));
    GatewayProcess gateway =
        gateway(
            site,
            """
            patchgate.audit.forward.url = "syslog+tls://localhost:%d"
            patchgate.audit.forward.ca = "%s"
            patchgate.audit.forward.client-cert = "%s"
            patchgate.audit.forward.client-key = "%s"
            patchgate.audit.forward.name = "gw-c"
            """
                .formatted(rsyslog.port(), pki.ca(), client[0], client[1]));
    // The same identity as one PKCS#12 file, its password in the environment.
    Path p12 = pki.clientP12("gw-p", "p12-secret");
    Path siteP = Files.createDirectories(dir.resolve("site-p12"));
    GatewayProcess fromP12 =
        GatewayProcess.runAllowingLoopbackPort(
            siteP,
            origin.port(),
            List.of("env", "PATCHGATE_AUDIT_FORWARD_P12_PASSWORD=p12-secret"),
            List.of(),
            """
            patchgate.audit.forward.url = "syslog+tls://localhost:%d"
            patchgate.audit.forward.ca = "%s"
            patchgate.audit.forward.client-cert = "%s"
            patchgate.audit.forward.name = "gw-p"
            """
                .formatted(rsyslog.port(), pki.ca(), p12));
    open.add(fromP12);
    request(gateway, 5);
    request(fromP12, 5);
    awaitForwarded(site);
    awaitForwarded(siteP);
    gateway.close();
    fromP12.close();
    rsyslog.stop();

    assertThat(bodiesOf("gw-c", rsyslog.lines())).containsExactlyElementsOf(auditLines(site));
    assertThat(bodiesOf("gw-p", rsyslog.lines())).containsExactlyElementsOf(auditLines(siteP));
  }

  private GatewayProcess gateway(Path site, String config) throws Exception {
    GatewayProcess gateway =
        GatewayProcess.runAllowingLoopbackPort(site, origin.port(), List.of(), config);
    open.add(gateway);
    gateway.awaitPort();
    return gateway;
  }

  /** {@code count} GETs through the gateway, on four keep-alive connections; each must be 200. */
  private void request(GatewayProcess gateway, int count) throws Exception {
    int port = gateway.awaitPort();
    int connections = Math.min(4, count);
    ExecutorService clients = Executors.newFixedThreadPool(connections);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int c = 0; c < connections; c++) {
        int share = count / connections + (c < count % connections ? 1 : 0);
        done.add(
            clients.submit(
                () -> {
                  try (Socket socket = new Socket("127.0.0.1", port)) {
                    socket.setSoTimeout(30_000);
                    for (int i = 0; i < share; i++) {
                      RawHttp.send(
                          socket,
                          "GET http://127.0.0.1:%d/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
                              .formatted(origin.port(), origin.port()));
                      assertThat(RawHttp.read(socket, false).status()).isEqualTo(200);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      clients.shutdown();
    }
  }

  /**
   * Waits until the collector is known to have every line written so far: the forwarder's cursor is
   * at the end of the newest day file. Read from the disk rather than from {@code /metrics},
   * because a scrape is audited itself, and a collector stopped within a second of a line being
   * sent gets that line again after the reconnection (at least once, as the README says).
   */
  private static void awaitForwarded(Path site) {
    Path audit = site.resolve("audit");
    await()
        .atMost(WAIT)
        .until(
            () -> {
              List<AuditDayFile> days = AuditFiles.auditDays(audit);
              AuditDayFile newest = days.get(days.size() - 1);
              ForwardCursor end = new ForwardCursor(newest.date(), Files.size(newest.path()));
              return ForwardCursor.read(audit).filter(end::equals).isPresent();
            });
  }

  private double metric(int adminPort, String name) throws Exception {
    Matcher m =
        Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(admin(adminPort, "/metrics").body());
    assertThat(m.find()).as("%s in /metrics", name).isTrue();
    return Double.parseDouble(m.group(1));
  }

  private HttpResponse<String> admin(int port, String path) throws Exception {
    return direct.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static List<String> bodiesOf(String gateway, List<String> collected) {
    return collected.stream()
        .filter(line -> line.startsWith(gateway + " "))
        .map(line -> line.substring(gateway.length() + 1))
        .toList();
  }

  /** Every line of a gateway's own day files, in order. */
  private static List<String> auditLines(Path site) throws IOException {
    List<String> lines = new ArrayList<>();
    for (AuditDayFile day : AuditFiles.auditDays(site.resolve("audit"))) {
      try (InputStream in = AuditFiles.openDay(day)) {
        new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
      }
    }
    return lines;
  }
}
