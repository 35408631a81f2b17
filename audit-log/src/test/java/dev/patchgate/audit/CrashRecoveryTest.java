package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final String FILE = "audit-2026-11-23.jsonl";

  @TempDir Path tmp;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final List<JsonLinesAuditWriter> opened = new ArrayList<>();

  @AfterEach
  void closeWriters() {
    opened.forEach(JsonLinesAuditWriter::close);
  }

  @Test
  void aTornLastLineIsKeptEndedAndFollowedByAGapMarkerThenWritingContinues() throws Exception {
    Path dir = logOf("r1", "r2");
    removeLastLine(dir); // the stop marker: this run did not stop cleanly
    String fragment = "{\"ts\":\"2026-11-23T10:15:30.123Z\",\"id\":\"r3\",\"cli";
    append(dir, fragment);

    JsonLinesAuditWriter writer = open(dir);
    writer.append(AuditRecords.allowedDownload("r4"));
    sync(writer);

    List<String> lines = AuditLogs.lines(dir, DAY);
    assertThat(lines).hasSize(7);
    assertThat(lines.get(3)).as("the torn bytes stay, as they were").isEqualTo(fragment);
    Map<String, Object> gap = AuditJsonReader.readObject(lines.get(4));
    assertThat(gap)
        .containsEntry("type", "gap")
        .containsEntry("reason", "torn last line after an unclean stop")
        .containsEntry("torn_bytes", (long) fragment.length())
        .containsEntry("torn_sha256", sha256Hex(fragment.getBytes(StandardCharsets.UTF_8)));
    assertThat(AuditLogs.types(dir))
        .containsExactly("start", "record", "record", "unparsable", "gap", "start", "record");
    assertThat(AuditLogs.allIds(dir)).containsExactly("r1", "r2", "r4");
    AuditVerification result = AuditChainVerifier.verify(dir);
    assertThat(result.intact()).isTrue();
    assertThat(result.gaps())
        .containsExactly(
            new AuditChainGap(
                FILE,
                5,
                4,
                "torn last line after an unclean stop (" + fragment.length() + " bytes)"));
  }

  @Test
  void startUpAloneRepairsATornLineWithoutWaitingForARecord() throws Exception {
    Path dir = logOf("r1");
    removeLastLine(dir);
    append(dir, "{\"ts\":");

    sync(open(dir));

    assertThat(AuditLogs.types(dir))
        .containsExactly("start", "record", "unparsable", "gap", "start");
    assertThat(AuditChainVerifier.verify(dir).gaps()).hasSize(1);
  }

  @Test
  void aCompleteLastLineWithoutAStopMarkerIsFollowedByAnUncleanStopGap() throws Exception {
    Path dir = logOf("r1", "r2");
    removeLastLine(dir);

    JsonLinesAuditWriter writer = open(dir);
    writer.append(AuditRecords.allowedDownload("r3"));
    writer.close();

    assertThat(AuditLogs.types(dir))
        .containsExactly("start", "record", "record", "gap", "start", "record", "stop");
    AuditVerification result = AuditChainVerifier.verify(dir);
    assertThat(result.intact()).isTrue();
    assertThat(result.gaps())
        .singleElement()
        .satisfies(
            gap -> {
              assertThat(gap.line()).isEqualTo(4);
              assertThat(gap.description()).startsWith("no stop marker");
            });
  }

  @Test
  void aLastLineWholeButForItsNewlineIsKeptAsPartOfTheChain() throws Exception {
    Path dir = logOf("r1", "r2");
    removeLastLine(dir);
    byte[] bytes = Files.readAllBytes(dir.resolve(FILE));
    Files.write(dir.resolve(FILE), Arrays.copyOf(bytes, bytes.length - 1));

    sync(open(dir));

    assertThat(AuditLogs.types(dir)).containsExactly("start", "record", "record", "gap", "start");
    assertThat(AuditLogs.allIds(dir)).containsExactly("r1", "r2");
    assertThat(AuditChainVerifier.verify(dir).intact()).isTrue();
  }

  @Test
  void aWriterKilledMidBatchLeavesATornLineThatTheNextRunRepairs() throws Exception {
    // What SIGKILL leaves during a gathering write: every line of earlier flushes, and the first
    // part of the line being written. Built from a real run whose next line is sealed as the
    // writer would have sealed it, then cut.
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter killed = open(dir);
    killed.append(AuditRecords.allowedDownload("r1"));
    killed.append(AuditRecords.allowedDownload("r2"));
    sync(killed);
    Path crashed = Files.createDirectories(tmp.resolve("crashed"));
    Files.copy(dir.resolve(FILE), crashed.resolve(FILE));
    byte[] next = nextLine(crashed, AuditRecords.allowedDownload("r3-never-synced"));
    append(crashed, new String(Arrays.copyOf(next, next.length / 2), StandardCharsets.UTF_8));

    JsonLinesAuditWriter restarted = open(crashed);
    restarted.append(AuditRecords.allowedDownload("r4"));
    sync(restarted);

    assertThat(AuditLogs.allIds(crashed)).containsExactly("r1", "r2", "r4");
    AuditVerification result = AuditChainVerifier.verify(crashed);
    assertThat(result.intact()).isTrue();
    assertThat(result.gaps()).extracting(AuditChainGap::line).containsExactly(5L);
  }

  @Test
  void theChainContinuesAcrossRestartsAndDayChanges() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter first = open(dir);
    first.append(AuditRecords.withTs("r1", Instant.parse("2026-11-23T10:00:00Z")));
    first.append(AuditRecords.withTs("r2", Instant.parse("2026-11-24T10:00:00Z")));
    first.close();
    JsonLinesAuditWriter second = open(dir);
    second.append(AuditRecords.withTs("r3", Instant.parse("2026-11-24T11:00:00Z")));
    second.append(AuditRecords.withTs("r4", Instant.parse("2026-11-25T10:00:00Z")));
    second.close();

    AuditVerification result = AuditChainVerifier.verify(dir);

    assertThat(result.intact()).isTrue();
    assertThat(result.gaps()).isEmpty();
    assertThat(result.files()).hasSize(3);
    assertThat(result.lastSeq()).isEqualTo(8);
    assertThat(AuditLogs.types(dir))
        .containsExactly("start", "record", "record", "stop", "start", "record", "record", "stop");
    assertThat(AuditLogs.allIds(dir)).containsExactly("r1", "r2", "r3", "r4");
  }

  @Test
  void aLineCutByAFailedWriteIsEndedMarkedAndWrittenAgainWhole() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir);
    writer.append(AuditRecords.allowedDownload("r1"));
    sync(writer);
    Path away = breakDirectory(dir);
    writer.append(AuditRecords.allowedDownload("r2"));
    await().atMost(TIMEOUT).until(() -> writer.writeFailures() >= 1);
    // The failed attempt got half of the line out, as a full disk does.
    byte[] r2 = nextLine(away, AuditRecords.allowedDownload("r2"));
    append(away, new String(Arrays.copyOf(r2, 100), StandardCharsets.UTF_8));

    repairDirectory(away, dir);
    sync(writer);

    assertThat(AuditLogs.allIds(dir)).containsExactly("r1", "r2");
    AuditVerification result = AuditChainVerifier.verify(dir);
    assertThat(result.intact()).isTrue();
    assertThat(result.gaps())
        .singleElement()
        .satisfies(
            gap -> assertThat(gap.description()).startsWith("torn line after a failed write"));
  }

  @Test
  void aLineCutJustBeforeItsNewlineIsCompletedNotWrittenTwice() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir);
    writer.append(AuditRecords.allowedDownload("r1"));
    sync(writer);
    Path away = breakDirectory(dir);
    writer.append(AuditRecords.allowedDownload("r2"));
    await().atMost(TIMEOUT).until(() -> writer.writeFailures() >= 1);
    byte[] r2 = nextLine(away, AuditRecords.allowedDownload("r2"));
    append(away, new String(Arrays.copyOf(r2, r2.length - 1), StandardCharsets.UTF_8));

    repairDirectory(away, dir);
    writer.append(AuditRecords.allowedDownload("r3"));
    sync(writer);

    assertThat(AuditLogs.allIds(dir)).containsExactly("r1", "r2", "r3");
    AuditVerification result = AuditChainVerifier.verify(dir);
    assertThat(result.intact()).isTrue();
    assertThat(result.gaps()).isEmpty();
  }

  @Test
  void aLogWhoseEndIsNotAChainedLineStartsANewChainAfterAGapMarkerSaysWhy() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("audit"));
    Files.writeString(
        dir.resolve(FILE), AuditJson.toJson(AuditRecords.allowedDownload("old")) + "\n");

    JsonLinesAuditWriter writer = open(dir);
    writer.append(AuditRecords.allowedDownload("new"));
    sync(writer);

    List<Map<String, Object>> lines = AuditLogs.allLines(dir);
    assertThat(lines.get(1))
        .containsEntry("type", "gap")
        .containsEntry("seq", 1L)
        .hasEntrySatisfying("reason", r -> assertThat((String) r).startsWith("chain restarted: "));
    assertThat(writer.healthy()).isTrue();
    assertThat(AuditLogs.allIds(dir)).containsExactly("old", "new");
    AuditChainBreak broken = AuditChainVerifier.verify(dir).firstBreak().orElseThrow();
    assertThat(broken.line()).isEqualTo(1);
  }

  private Path logOf(String... ids) {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir);
    for (String id : ids) {
      writer.append(AuditRecords.allowedDownload(id));
    }
    writer.close();
    return dir;
  }

  private JsonLinesAuditWriter open(Path dir) {
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            new AuditWriterSettings(dir, Duration.ofMillis(20), 400, false), clock);
    opened.add(writer);
    return writer;
  }

  private static void sync(JsonLinesAuditWriter writer) throws Exception {
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Moves the directory away and blocks its path: writes fail, for root too. */
  private static Path breakDirectory(Path dir) throws IOException {
    return AuditLogs.blockDirectory(dir);
  }

  private static void repairDirectory(Path away, Path dir) throws IOException {
    AuditLogs.unblockDirectory(away, dir);
  }

  private static void removeLastLine(Path dir) throws IOException {
    List<String> lines = new ArrayList<>(AuditLogs.lines(dir.resolve(FILE)));
    lines.remove(lines.size() - 1);
    AuditLogs.rewrite(dir.resolve(FILE), lines);
  }

  private static void append(Path dir, String text) throws IOException {
    Files.writeString(dir.resolve(FILE), text, StandardOpenOption.APPEND);
  }

  /** The line the writer would write next for {@code record}, sealed after the file's last line. */
  private static byte[] nextLine(Path dir, AuditRecord record) throws IOException {
    List<String> lines = AuditLogs.lines(dir.resolve(FILE));
    ChainedLine last =
        ChainedLine.parse(lines.get(lines.size() - 1).getBytes(StandardCharsets.UTF_8));
    StringBuilder body = new StringBuilder();
    AuditJson.appendBodyTo(body, record);
    return new HashChain(last.seq(), last.hash())
        .next(body.toString().getBytes(StandardCharsets.UTF_8))
        .bytes();
  }

  private static String sha256Hex(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
