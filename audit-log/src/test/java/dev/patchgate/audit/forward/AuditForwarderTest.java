package dev.patchgate.audit.forward;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditCollectorVerifier;
import dev.patchgate.audit.AuditDayFile;
import dev.patchgate.audit.AuditFiles;
import dev.patchgate.audit.AuditRecords;
import dev.patchgate.audit.ForwardCursor;
import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.alert.RecordingTcpSyslog;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The forwarder against a real TCP syslog listener on loopback and a real audit writer: every line
 * of the day files arrives, in order, byte for byte, also after the collector was away; a crash
 * sends lines again, which the collector check counts as duplicates; a clean restart does not.
 */
class AuditForwarderTest {
  private static final Pattern HEADER =
      Pattern.compile(
          "<166>1 \\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z gw-test patchgate - audit - ");
  // Quick to confirm and to retry, so that the tests wait for events, not for back-off.
  private static final AuditForwarder.Timing FAST =
      new AuditForwarder.Timing(
          Duration.ofMillis(200), Duration.ofMillis(50), Duration.ofMillis(200));

  @TempDir Path dir;
  private Path audit;
  private JsonLinesAuditWriter writer;
  private final List<AutoCloseable> open = new ArrayList<>();
  private int nextId;

  @BeforeEach
  void startWriter() {
    audit = dir.resolve("audit");
    writer = new JsonLinesAuditWriter(audit, Clock.systemUTC(), Duration.ofMillis(20));
  }

  @AfterEach
  void closeAll() throws Exception {
    writer.close();
    for (AutoCloseable c : open) {
      c.close();
    }
  }

  @Test
  void everyLineArrivesOnceInOrderByteForByteAsAnOctetCountedRfc5424Message() throws Exception {
    RecordingTcpSyslog collector = collector(0);
    AuditForwarder forwarder = forwarder(collector.port(), FAST);

    write(100);
    writer.close(); // its stop marker goes too
    await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.backlogBytes() == 0);
    forwarder.close();

    assertThat(collector.messages).allMatch(m -> HEADER.matcher(m).lookingAt());
    assertThat(bodies(collector)).containsExactlyElementsOf(auditLines());
    assertThat(auditLines()).hasSize(102); // start, 100 records, stop
    assertThat(forwarder.sentLines()).isEqualTo(102);
  }

  @Test
  void linesWrittenWhileTheCollectorIsAwayWaitAndGoOutInOrderWhenItIsBack() throws Exception {
    int port = freePort();
    AuditForwarder forwarder = forwarder(port, FAST);

    write(1000);
    await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.connectionProblem().isPresent());
    assertThat(forwarder.connected()).isFalse();
    assertThat(forwarder.sentLines()).isZero();
    long written = dayFileBytes();
    await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.backlogBytes() == written);

    RecordingTcpSyslog collector = collector(port);
    await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.backlogBytes() == 0);
    assertThat(forwarder.connected()).isTrue();
    assertThat(forwarder.connectionProblem()).isEmpty();
    writer.close();
    forwarder.close();

    assertThat(bodies(collector)).containsExactlyElementsOf(auditLines());
  }

  @Test
  void aCrashBetweenSendingAndSavingTheCursorSendsLinesAgainAndTheCheckCountsThemAsDuplicates()
      throws Exception {
    RecordingTcpSyslog collector = collector(0);
    // Never confirms: the crash comes after sending and before the cursor moves.
    AuditForwarder.Timing neverConfirms =
        new AuditForwarder.Timing(
            Duration.ofHours(1), Duration.ofMillis(50), Duration.ofMillis(200));
    AuditForwarder first = forwarder(collector.port(), neverConfirms);
    write(30);
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.messages.size() == 31);
    first.crash();
    assertThat(ForwardCursor.read(audit).orElseThrow().offset()).isZero();

    AuditForwarder second = forwarder(collector.port(), FAST);
    write(10);
    writer.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> second.backlogBytes() == 0);
    second.close();

    List<String> lines = auditLines();
    List<String> expected = new ArrayList<>(lines.subList(0, 31));
    expected.addAll(lines);
    assertThat(bodies(collector)).containsExactlyElementsOf(expected);

    Path merged = dir.resolve("collector.log");
    Files.write(merged, bodies(collector).stream().map(b -> "gw-test " + b).toList());
    List<AuditCollectorVerifier.GatewayChain> chains = AuditCollectorVerifier.verify(merged);
    assertThat(chains)
        .singleElement()
        .satisfies(
            chain -> {
              assertThat(chain.gateway()).isEqualTo("gw-test");
              assertThat(chain.verification().intact()).isTrue();
              assertThat(chain.verification().records()).isEqualTo(40);
              assertThat(chain.duplicates()).isEqualTo(31);
            });
  }

  @Test
  void aCleanStopAndRestartSendsNothingTwice() throws Exception {
    RecordingTcpSyslog collector = collector(0);
    AuditForwarder first = forwarder(collector.port(), FAST);
    write(20);
    await().atMost(Duration.ofSeconds(10)).until(() -> collector.messages.size() == 21);
    first.close(); // at once: the lines are not confirmed by time, only by the collector's close
    assertThat(ForwardCursor.read(audit).orElseThrow().offset()).isEqualTo(dayFileBytes());

    AuditForwarder second = forwarder(collector.port(), FAST);
    write(20);
    writer.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> second.backlogBytes() == 0);
    second.close();

    assertThat(bodies(collector)).containsExactlyElementsOf(auditLines());
    assertThat(collector.connections.get()).isEqualTo(2);
  }

  @Test
  void aBacklogOverItsLimitIsReportedAndNothingIsDropped() throws Exception {
    int port = freePort();
    List<String> problems = new CopyOnWriteArrayList<>();
    AuditForwarder forwarder =
        AuditForwarder.start(audit, settings(port, 1000), Clock.systemUTC(), FAST);
    open.add(forwarder);
    forwarder.onProblem(problems::add);

    write(20);
    await().atMost(Duration.ofSeconds(10)).until(() -> forwarder.backlogProblem().isPresent());
    assertThat(forwarder.backlogProblem().orElseThrow())
        .startsWith("audit forwarding to syslog+tcp://127.0.0.1:" + port + " is ")
        .contains("bytes behind (max-backlog 1000): cannot connect to");
    assertThat(problems)
        .anyMatch(p -> p.startsWith("audit lines cannot be forwarded"))
        .anyMatch(p -> p.contains("bytes behind (max-backlog 1000)"));

    RecordingTcpSyslog collector = collector(port);
    await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.backlogProblem().isEmpty());
    writer.close();
    forwarder.close();
    assertThat(bodies(collector)).containsExactlyElementsOf(auditLines());
  }

  @Test
  void linesOfSeveralDaysGoOutDayAfterDay() throws Exception {
    RecordingTcpSyslog collector = collector(0);
    AuditForwarder forwarder = forwarder(collector.port(), FAST);
    Instant yesterday = Instant.now().minus(Duration.ofDays(1));
    for (int i = 0; i < 5; i++) {
      writer.append(AuditRecords.withTs("y" + i, yesterday));
    }
    writer.sync().get();
    write(5); // today's: the writer moves on (housekeeping may gzip yesterday's file meanwhile)
    writer.close();
    await().atMost(Duration.ofSeconds(20)).until(() -> forwarder.backlogBytes() == 0);
    forwarder.close();

    assertThat(AuditFiles.auditDays(audit)).hasSize(2);
    assertThat(bodies(collector)).containsExactlyElementsOf(auditLines()).hasSize(12);
  }

  @Test
  void forwardsFromAGzippedDayWhereItsCursorPointsInside() throws Exception {
    write(10);
    writer.close();
    List<String> lines = auditLines();
    AuditDayFile day = AuditFiles.auditDays(audit).get(0);
    long offsetOfSixth = 0;
    for (String line : lines.subList(0, 5)) {
      offsetOfSixth += line.getBytes(StandardCharsets.UTF_8).length + 1;
    }
    new ForwardCursor(day.date(), offsetOfSixth).write(audit);
    gzip(day.path());

    RecordingTcpSyslog collector = collector(0);
    AuditForwarder forwarder = forwarder(collector.port(), FAST);
    await().atMost(Duration.ofSeconds(20)).until(() -> collector.messages.size() == 7);
    forwarder.close();
    assertThat(bodies(collector)).containsExactlyElementsOf(lines.subList(5, lines.size()));
  }

  private AuditForwarder forwarder(int port, AuditForwarder.Timing timing) {
    AuditForwarder forwarder =
        AuditForwarder.start(audit, settings(port, 1L << 30), Clock.systemUTC(), timing);
    open.add(forwarder);
    return forwarder;
  }

  private static ForwardSettings settings(int port, long maxBacklog) {
    return new ForwardSettings(
        false,
        "127.0.0.1",
        port,
        "gw-test",
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        maxBacklog,
        20,
        Duration.ofSeconds(2));
  }

  private RecordingTcpSyslog collector(int port) throws IOException {
    RecordingTcpSyslog collector = new RecordingTcpSyslog(port);
    open.add(collector);
    return collector;
  }

  private void write(int records) throws Exception {
    for (int i = 0; i < records; i++) {
      writer.append(AuditRecords.withTs("r" + nextId++, Instant.now()));
    }
    writer.sync().get();
  }

  private static List<String> bodies(RecordingTcpSyslog collector) {
    return collector.messages.stream().map(m -> HEADER.matcher(m).replaceFirst("")).toList();
  }

  private List<String> auditLines() throws IOException {
    List<String> lines = new ArrayList<>();
    for (AuditDayFile day : AuditFiles.auditDays(audit)) {
      try (var in = AuditFiles.openDay(day)) {
        String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        text.lines().forEach(lines::add);
      }
    }
    return lines;
  }

  private long dayFileBytes() throws IOException {
    long total = 0;
    for (AuditDayFile day : AuditFiles.auditDays(audit)) {
      total += Files.size(day.path());
    }
    return total;
  }

  private static void gzip(Path plain) throws IOException {
    Path gz = plain.resolveSibling(plain.getFileName() + ".gz");
    try (var out = new java.util.zip.GZIPOutputStream(Files.newOutputStream(gz))) {
      Files.copy(plain, out);
    }
    Files.delete(plain);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
