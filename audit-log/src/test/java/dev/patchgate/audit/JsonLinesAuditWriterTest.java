package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesAuditWriterTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration FAST_RETRY = Duration.ofMillis(20);
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);
  private static final Clock CLOCK =
      Clock.fixed(Instant.parse("2026-11-23T12:00:00Z"), ZoneOffset.UTC);

  @TempDir Path tmp;
  private final List<JsonLinesAuditWriter> opened = new ArrayList<>();

  @AfterEach
  void closeWriters() {
    opened.forEach(JsonLinesAuditWriter::close);
  }

  @Test
  void fileNameIsTheUtcDateInIsoForm() {
    assertThat(JsonLinesAuditWriter.fileNameFor(DAY)).isEqualTo("audit-2026-11-23.jsonl");
  }

  @Test
  void constructorCreatesAMissingDirectory() {
    Path dir = tmp.resolve("var/log/patchgate");

    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);

    assertThat(dir).isDirectory();
    assertThat(writer.directory()).isEqualTo(dir);
    assertThat(writer.healthy()).isTrue();
  }

  @Test
  void writerRunsOnOneDaemonThreadNamedPatchgateAuditWriter() {
    open(tmp.resolve("audit"), FAST_RETRY);

    assertThat(Thread.getAllStackTraces().keySet())
        .filteredOn(t -> t.getName().equals("patchgate-audit-writer"))
        .isNotEmpty()
        .allMatch(Thread::isDaemon);
  }

  @Test
  void recordsAppendedFromManyThreadsAppearExactlyOnceEachOnItsOwnLine() throws Exception {
    JsonLinesAuditWriter writer = open(tmp.resolve("audit"), FAST_RETRY);
    int threads = 8;
    int perThread = 5_000;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      done.add(
          pool.submit(
              () -> {
                start.await();
                for (int i = 0; i < perThread; i++) {
                  writer.append(AuditRecords.allowedDownload(thread + "-" + i));
                }
                return null;
              }));
    }
    start.countDown();
    for (Future<?> f : done) {
      f.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    }
    pool.shutdown();

    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    List<Map<String, Object>> records =
        AuditLogs.lines(tmp.resolve("audit"), DAY).stream()
            .map(AuditJsonReader::readObject)
            .filter(line -> !line.containsKey(AuditFields.TYPE))
            .toList();
    assertThat(records).hasSize(threads * perThread);
    List<String> onDisk = new ArrayList<>(AuditFields.IN_ORDER);
    onDisk.addAll(List.of(AuditFields.SEQ, AuditFields.HASH));
    assertThat(records).allMatch(r -> List.copyOf(r.keySet()).equals(onDisk));
    List<String> expectedIds = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      for (int i = 0; i < perThread; i++) {
        expectedIds.add(t + "-" + i);
      }
    }
    List<Object> ids = records.stream().map(r -> r.get(AuditFields.ID)).toList();
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(new HashSet<>(ids)).isEqualTo(new HashSet<Object>(expectedIds));
    assertThat(writer.writeFailures()).isZero();
    assertThat(writer.droppedRecords()).isZero();
  }

  @Test
  void recordsLandInTheFileOfTheUtcDateTheyArrivedOn() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);

    writer.append(AuditRecords.withTs("last-of-day", Instant.parse("2026-11-23T23:59:59.999Z")));
    writer.append(AuditRecords.withTs("first-of-next", Instant.parse("2026-11-24T00:00:00.000Z")));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("last-of-day");
    assertThat(AuditLogs.ids(dir, DAY.plusDays(1))).containsExactly("first-of-next");
  }

  @Test
  void aRecordFinishedAfterTheNextDayStartedGoesToTheNextDaySoNoFinishedDayIsAppendedTo()
      throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);

    writer.append(AuditRecords.withTs("last-of-day", Instant.parse("2026-11-23T23:59:59.999Z")));
    writer.append(AuditRecords.withTs("first-of-next", Instant.parse("2026-11-24T00:00:00.000Z")));
    // A long download that started before midnight finishes after the next day's first request.
    writer.append(AuditRecords.withTs("finished-late", Instant.parse("2026-11-23T23:58:00.000Z")));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("last-of-day");
    assertThat(AuditLogs.ids(dir, DAY.plusDays(1)))
        .containsExactly("first-of-next", "finished-late");
    // Its ts still says when it arrived.
    assertThat(AuditLogs.lines(dir, DAY.plusDays(1)).get(1))
        .contains("\"ts\":\"2026-11-23T23:58:00.000Z\"");
  }

  @Test
  void anExistingDayFileIsAppendedToNotTruncated() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter first = open(dir, FAST_RETRY);
    first.append(AuditRecords.allowedDownload("before-restart"));
    first.close();
    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);

    writer.append(AuditRecords.allowedDownload("after-restart"));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("before-restart", "after-restart");
  }

  @Test
  void eachRunIsBracketedByStartAndStopMarkers() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);
    writer.append(AuditRecords.allowedDownload("r1"));
    writer.append(AuditRecords.allowedDownload("r2"));

    writer.close();

    assertThat(AuditLogs.types(dir)).containsExactly("start", "record", "record", "stop");
    Map<String, Object> stop = AuditLogs.allLines(dir).get(3);
    assertThat(stop).containsEntry("records", 2L).containsEntry("dropped", 0L);
  }

  @Test
  void aRunThatWritesNoRecordLeavesTheLogAsItWas() throws Exception {
    Path dir = tmp.resolve("audit");

    open(dir, FAST_RETRY).close();

    assertThat(AuditLogs.fileNames(dir)).isEmpty();
  }

  @Test
  void aRemovedDirectoryIsRecreatedAndRecordsAppendedMeanwhileAreWritten() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);
    writer.append(AuditRecords.allowedDownload("before"));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    AuditLogs.deleteRecursively(dir);
    writer.append(AuditRecords.allowedDownload("after-removal"));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    // Not written into the unlinked file, where it would have vanished without an error.
    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("after-removal");
    assertThat(writer.healthy()).isTrue();
  }

  @Test
  void aDirectoryReplacedByAFileFailsWritesUntilItCanBeRecreatedThenWritesTheBacklog()
      throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);
    writer.append(AuditRecords.allowedDownload("before"));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    // Tests run as root, so permissions cannot make writes fail; a file where the directory
    // should be does, for root too.
    AuditLogs.deleteRecursively(dir);
    Files.writeString(dir, "not a directory");

    writer.append(AuditRecords.allowedDownload("during-1"));
    writer.append(AuditRecords.allowedDownload("during-2"));
    CompletableFuture<Void> synced = writer.sync();
    await().atMost(TIMEOUT).until(() -> writer.writeFailures() >= 2);

    assertThat(writer.healthy()).isFalse();
    assertThat(synced).isNotDone();
    Files.delete(dir);
    synced.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("during-1", "during-2");
    assertThat(writer.healthy()).isTrue();
    assertThat(writer.droppedRecords()).isZero();
  }

  @Test
  void recordsBeyondTheBacklogLimitAreDroppedAndCountedWithoutBlockingTheCaller() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(new AuditWriterSettings(dir, FAST_RETRY, 400, false), CLOCK, 3);
    opened.add(writer);
    Files.delete(dir);
    Files.writeString(dir, "not a directory");

    for (int i = 1; i <= 5; i++) {
      writer.append(AuditRecords.allowedDownload("r" + i));
    }

    assertThat(writer.droppedRecords()).isEqualTo(2);
    await().atMost(TIMEOUT).until(() -> writer.writeFailures() >= 1);
    Files.delete(dir);
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("r1", "r2", "r3");
    // The log itself says that records are missing, not only a metric.
    assertThat(AuditLogs.allLines(dir))
        .filteredOn(line -> "gap".equals(line.get(AuditFields.TYPE)))
        .singleElement()
        .satisfies(gap -> assertThat(gap).containsEntry("dropped", 2L));
  }

  @Test
  void closeWritesEverythingAccepted() throws Exception {
    Path dir = tmp.resolve("audit");
    // An hour between timed flushes: only close() can be what writes the tail.
    JsonLinesAuditWriter writer = open(dir, Duration.ofHours(1));
    for (int i = 0; i < 20_000; i++) {
      writer.append(AuditRecords.allowedDownload("r" + i));
    }

    writer.close();

    assertThat(AuditLogs.ids(dir, DAY)).hasSize(20_000);
    assertThat(writer.droppedRecords()).isZero();
  }

  @Test
  void closeIsIdempotentAndLaterAppendsAreDroppedNotThrown() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir, FAST_RETRY);
    writer.append(AuditRecords.allowedDownload("kept"));
    writer.close();
    writer.close();

    writer.append(AuditRecords.allowedDownload("too-late"));

    assertThat(writer.sync()).succeedsWithin(TIMEOUT);
    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("kept");
    assertThat(writer.droppedRecords()).isEqualTo(1);
  }

  @Test
  void aNullRecordIsCountedAsDroppedNotThrown() throws Exception {
    JsonLinesAuditWriter writer = open(tmp.resolve("audit"), FAST_RETRY);

    writer.append(null);

    assertThat(writer.droppedRecords()).isEqualTo(1);
    assertThat(writer.sync()).succeedsWithin(TIMEOUT);
  }

  @Test
  void syncWithNothingAppendedCompletes() {
    JsonLinesAuditWriter writer = open(tmp.resolve("audit"), FAST_RETRY);

    assertThat(writer.sync()).succeedsWithin(TIMEOUT);
  }

  private JsonLinesAuditWriter open(Path dir, Duration flushInterval) {
    JsonLinesAuditWriter writer = new JsonLinesAuditWriter(dir, CLOCK, flushInterval);
    opened.add(writer);
    return writer;
  }
}
