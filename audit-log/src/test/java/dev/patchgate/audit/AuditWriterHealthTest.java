package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditWriterHealthTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final LocalDate DAY = LocalDate.of(2026, 11, 23);

  @TempDir Path tmp;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T12:00:00Z"));
  private final List<JsonLinesAuditWriter> opened = new ArrayList<>();

  @AfterEach
  void closeWriters() {
    opened.forEach(JsonLinesAuditWriter::close);
  }

  @Test
  void anUnwritableDirectoryMakesTheWriterUnhealthyUntilRepairedThenEverythingIsWrittenInOrder()
      throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir);
    List<Boolean> transitions = new CopyOnWriteArrayList<>();
    writer.onHealthChange(transitions::add);
    writer.append(AuditRecords.allowedDownload("r1"));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    // Tests run as root, so permissions cannot make writes fail; a file where the directory
    // should be does, for root too. The directory itself is kept aside, records and all.
    Path away = AuditLogs.blockDirectory(dir);

    for (int i = 2; i <= 4; i++) {
      writer.append(AuditRecords.allowedDownload("r" + i));
    }
    CompletableFuture<Void> synced = writer.sync();
    await().atMost(TIMEOUT).until(() -> !writer.healthy());

    assertThat(transitions).containsExactly(false);
    await().atMost(TIMEOUT).until(() -> writer.writeFailures() >= 3); // and it keeps retrying
    assertThat(writer.healthy()).isFalse();
    assertThat(synced).isNotDone();
    AuditLogs.unblockDirectory(away, dir);
    synced.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(writer.healthy()).isTrue();
    assertThat(transitions).containsExactly(false, true);
    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("r1", "r2", "r3", "r4");
    assertThat(writer.droppedRecords()).isZero();
    AuditVerification result = AuditChainVerifier.verify(dir);
    assertThat(result.intact()).isTrue();
    assertThat(result.gaps()).isEmpty();
  }

  @Test
  void healthIsReportedOnlyOnChangeNotOnEveryAttempt() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir);
    List<Boolean> transitions = new CopyOnWriteArrayList<>();
    writer.onHealthChange(transitions::add);
    writer.append(AuditRecords.allowedDownload("r1"));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    writer.append(AuditRecords.allowedDownload("r2"));
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(writer.healthy()).isTrue();
    assertThat(transitions).isEmpty();
  }

  @Test
  void aListenerThatThrowsDoesNotStopTheWriter() throws Exception {
    Path dir = tmp.resolve("audit");
    JsonLinesAuditWriter writer = open(dir);
    writer.onHealthChange(
        healthy -> {
          throw new IllegalStateException("alerting is down");
        });
    Path away = breakDirectory(dir);
    writer.append(AuditRecords.allowedDownload("r1"));
    await().atMost(TIMEOUT).until(() -> !writer.healthy());

    AuditLogs.unblockDirectory(away, dir);
    writer.sync().get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);

    assertThat(writer.healthy()).isTrue();
    assertThat(AuditLogs.ids(dir, DAY)).containsExactly("r1");
  }

  private static Path breakDirectory(Path dir) throws IOException {
    return AuditLogs.blockDirectory(dir);
  }

  private JsonLinesAuditWriter open(Path dir) {
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            new AuditWriterSettings(dir, Duration.ofMillis(20), 400, false), clock);
    opened.add(writer);
    return writer;
  }
}
