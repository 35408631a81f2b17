package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditChainVerifier;
import dev.patchgate.proxy.cli.Cli;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The audit log as evidence: what the gateway does when it cannot write it, or is killed. */
class AuditIT {
  private static final byte[] KB_CAB = "a cabinet file".getBytes(StandardCharsets.US_ASCII);
  private static final String KB_NAMED_CAB =
      "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", KB_CAB);
  }

  @AfterEach
  void stop() throws IOException {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  @Test
  void failClosedAnswers503WhileTheAuditLogCannotBeWrittenAndRecoversWithNothingLost()
      throws Exception {
    gateway = GatewayHarness.start(dir, allowingOrigin());
    assertThat(get().status()).isEqualTo(200);
    gateway.awaitRecord(r -> true); // written: the writer is idle now

    Path audit = dir.resolve("audit");
    breakDirectory(audit);
    // The first request after the break is what makes the writer find out.
    get();
    awaitAuditHealthy(false);

    RawHttp.Response refused = get();
    assertThat(refused.status()).isEqualTo(503);
    assertThat(refused.bodyText()).contains(Exchange.AUDIT_UNAVAILABLE);
    assertThat(origin.seen()).hasSize(2);

    repairDirectory(audit);
    awaitAuditHealthy(true);
    assertThat(get().status()).isEqualTo(200);

    // Every request, the refused one too, reached the log, in order, and the chain holds.
    // The last record is written once its response has left, which may be after the client read it.
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.records().size() == 4);
    assertThat(gateway.records())
        .filteredOn(r -> Long.valueOf(503).equals(r.get("status")))
        .singleElement()
        .satisfies(r -> assertThat(r).containsEntry("reason", Exchange.AUDIT_UNAVAILABLE));
    assertThat(AuditChainVerifier.verify(audit).intact()).isTrue();
  }

  @Test
  void failOpenCarriesOnWhileTheAuditLogCannotBeWritten() throws Exception {
    gateway = GatewayHarness.with(dir, allowingOrigin()).onAuditFailure("fail-open").start();
    assertThat(gateway.records()).isEmpty(); // the writer has started and is idle
    Path audit = dir.resolve("audit");
    breakDirectory(audit);
    get();
    awaitAuditHealthy(false);

    assertThat(get().status()).isEqualTo(200);

    repairDirectory(audit);
    awaitAuditHealthy(true);
    await().atMost(Duration.ofSeconds(10)).until(() -> gateway.records().size() == 2);
  }

  @Test
  void aGatewayKilledWhileWritingRestartsWithAGapMarkerAndTheChainStillVerifies() throws Exception {
    List<Thread> clients = new ArrayList<>();
    AtomicBoolean sending = new AtomicBoolean(true);
    Path audit = dir.resolve("audit");
    try (GatewayProcess first =
        GatewayProcess.runAllowingLoopbackPort(
            dir, origin.port(), List.of(), "patchgate.audit.flush-interval = 20ms\n")) {
      int port = first.awaitPort();
      for (int i = 0; i < 4; i++) {
        Thread client = new Thread(() -> keepRequesting(port, sending));
        client.start();
        clients.add(client);
      }
      await().atMost(Duration.ofSeconds(30)).until(() -> lineCount(audit) > 500);
      first.kill();
    } finally {
      sending.set(false);
      for (Thread client : clients) {
        client.join();
      }
    }

    try (GatewayProcess second =
        GatewayProcess.runAllowingLoopbackPort(dir, origin.port(), List.of(), "")) {
      int port = second.awaitPort();
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(10_000);
        assertThat(get(socket).status()).isEqualTo(200);
      }
    }

    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int exit =
        new Cli(new PrintStream(out, true, StandardCharsets.UTF_8), System.err)
            .execute(new String[] {"audit", "verify", "--dir", audit.toString()});
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("chain intact").contains("gap");
    assertThat(exit).isZero();
  }

  @Test
  void theVendorsQuestionIsAnsweredFromTheGatewaysOwnLogWithOneCommand() throws Exception {
    origin.put(KB_NAMED_CAB, KB_CAB);
    // The loopback origin stands for a vendor's patch server the administrator vouches for.
    gateway = GatewayHarness.start(dir, allowingOrigin(true));
    downloadKbNamedCab();

    Report report = reportPatches("--client", "127.0.0.1", "--kb", "KB5034441");

    assertThat(report.exit()).as(report.err()).isZero();
    assertThat(report.err()).isEmpty();
    assertThat(report.out())
        .contains("127.0.0.1")
        .contains("KB5034441")
        .contains("windows10.0-kb5034441") // long names are shortened in the middle
        .contains("complete");
  }

  /** Issue 15, item 1: "which PCs have this Patch Tuesday's KBs", through the real CLI. */
  @Test
  void theCoverageReportSaysPerClientAndKbWhetherItArrived() throws Exception {
    origin.put(KB_NAMED_CAB, KB_CAB);
    gateway = GatewayHarness.start(dir, allowingOrigin(true));
    downloadKbNamedCab();

    Report report =
        report("coverage", "--kb", "KB5034441", "--kb", "KB5035000", "--clients", "127.0.0.0/8");

    assertThat(report.exit()).as(report.err()).isZero();
    assertThat(report.out())
        .containsPattern("127\\.0\\.0\\.1 +KB5034441 +complete +1 +upstream ")
        .containsPattern("127\\.0\\.0\\.1 +KB5035000 +none +0 ")
        .contains(
            "KB5034441: 1 client, 1 complete (100.0%), 0 incomplete (0.0%), 0 none (0.0%)",
            "KB5035000: 1 client, 0 complete (0.0%), 0 incomplete (0.0%), 1 none (100.0%)");
  }

  /** Issue 10, finding 11: a file's name alone never makes a KB look installed. */
  @Test
  void aKbNamedFileCountsAsThatKbOnlyFromAHostOrEntryTrustedToNameKbs() throws Exception {
    origin.put(KB_NAMED_CAB, KB_CAB);
    gateway = GatewayHarness.start(dir, allowingOrigin(false));
    downloadKbNamedCab();

    // Not a Microsoft update host, and the entry does not say kb-files = true.
    Report untrusted = reportPatches("--format", "csv");
    assertThat(untrusted.exit()).as(untrusted.err()).isZero();
    assertThat(untrusted.out())
        .contains(",," + KB_NAMED_CAB + ",127.0.0.1,")
        .doesNotContain("KB5034441");
    assertThat(reportPatches("--kb", "KB5034441").out()).contains("(no downloads found)");

    // The administrator vouches for the entry: the same record now names its KB.
    gateway.editAllowlist(allowingOrigin(true));
    Report trusted = reportPatches("--kb", "KB5034441", "--format", "csv");
    assertThat(trusted.out()).contains(",KB5034441," + KB_NAMED_CAB + ",127.0.0.1,");

    // An allowlist that cannot be read: said once on stderr, and only Microsoft's hosts count.
    gateway.editAllowlist("entries { lab { hosts = [\"*\"] } }");
    Report fallback = reportPatches("--kb", "KB5034441");
    assertThat(fallback.exit()).isZero();
    assertThat(fallback.err())
        .startsWith("patchgate audit report: cannot load the allowlist (")
        .contains(
            "KB numbers are read only from files from the hosts of the profiles windows-update,"
                + " wsus-upstream, microsoft-update-catalog, microsoft-defender, not from entries"
                + " with kb-files = true")
        .hasLineCount(1);
    assertThat(fallback.out()).contains("(no downloads found)");
  }

  @Test
  void withTheSquidLogOnEveryExchangeIsAlsoASquidFormatLine() throws Exception {
    gateway =
        GatewayHarness.with(dir, allowingOrigin())
            .config("patchgate.audit.squid-log = true")
            .start();
    assertThat(get().status()).isEqualTo(200);
    gateway.awaitRecord(r -> true);

    List<String> lines;
    try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
      Path log =
          files.filter(f -> f.getFileName().toString().startsWith("access-")).findFirst().get();
      lines = Files.readAllLines(log);
    }
    // The ten fields of Squid's native format, as log analysers split them.
    assertThat(lines)
        .singleElement()
        .satisfies(
            line ->
                assertThat(line)
                    .matches(
                        "\\d+\\.\\d{3} +\\d+ 127\\.0\\.0\\.1 TCP_MISS/200 \\d+ GET"
                            + " http://127\\.0\\.0\\.1:\\d+/files/kb\\.cab - HIER_DIRECT/127\\.0\\.0\\.1"
                            + " application/octet-stream"));
  }

  private void keepRequesting(int port, AtomicBoolean sending) {
    while (sending.get()) {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(5_000);
        while (sending.get()) {
          get(socket);
        }
      } catch (IOException e) {
        // the gateway was killed under us: that is the point
      }
    }
  }

  private static long lineCount(Path audit) throws IOException {
    if (!Files.isDirectory(audit)) {
      return 0;
    }
    long lines = 0;
    try (Stream<Path> files = Files.list(audit)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        try (Stream<String> l = Files.lines(file)) {
          lines += l.count();
        }
      }
    }
    return lines;
  }

  /**
   * Where the audit directory was, a link to a file stands: every write fails until it is repaired,
   * and the writer cannot recreate the directory meanwhile.
   */
  private static void breakDirectory(Path audit) throws IOException {
    Files.move(audit, audit.resolveSibling("audit.aside"));
    Path blocker = Files.writeString(audit.resolveSibling("audit.blocker"), "in the way");
    Files.createSymbolicLink(audit, blocker);
  }

  /** The directory comes back in one rename: there is never a moment with nothing at its path. */
  private static void repairDirectory(Path audit) throws IOException {
    Path link =
        Files.createSymbolicLink(
            audit.resolveSibling("audit.link"), audit.resolveSibling("audit.aside"));
    Files.move(link, audit, StandardCopyOption.ATOMIC_MOVE);
  }

  private void awaitAuditHealthy(boolean healthy) {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> gateway.registry.get(GatewayMetrics.AUDIT_HEALTHY).gauge().value(),
            v -> v == (healthy ? 1.0 : 0.0));
  }

  private String allowingOrigin() {
    return "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }".formatted(origin.port());
  }

  private String allowingOrigin(boolean kbFiles) {
    return "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d], kb-files = %b } }"
        .formatted(origin.port(), kbFiles);
  }

  private void downloadKbNamedCab() throws IOException {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(
          socket,
          "GET http://127.0.0.1:%d/files/%s HTTP/1.1\r\n\r\n"
              .formatted(origin.port(), KB_NAMED_CAB));
      assertThat(RawHttp.read(socket, false).body()).isEqualTo(KB_CAB);
    }
    gateway.awaitRecord(r -> true);
  }

  /** What {@code patchgate audit report patches} printed, run as an operator would. */
  private record Report(int exit, String out, String err) {}

  private Report reportPatches(String... options) {
    return report("patches", options);
  }

  /** Runs a report through the CLI with the harness's configuration file and allowlist. */
  private Report report(String name, String... options) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "audit",
                "report",
                name,
                "--config",
                dir.resolve("patchgate.conf").toString(),
                "--dir",
                dir.resolve("audit").toString()));
    args.addAll(List.of(options));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        new Cli(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8))
            .execute(args.toArray(String[]::new));
    return new Report(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private RawHttp.Response get() throws IOException {
    try (Socket socket = gateway.socket()) {
      return get(socket);
    }
  }

  private RawHttp.Response get(Socket socket) throws IOException {
    RawHttp.send(
        socket,
        "GET http://127.0.0.1:%d/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
            .formatted(origin.port(), origin.port()));
    return RawHttp.read(socket, false);
  }
}
