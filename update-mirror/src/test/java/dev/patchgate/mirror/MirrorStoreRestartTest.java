package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorStoreRestartTest {
  private static final String A = "http://vendor.example:80/a.zip";
  private static final String B = "http://vendor.example:80/b.zip";

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T10:00:00Z"));

  private MirrorStore open() throws IOException {
    MirrorSettings settings =
        MirrorSettings.defaults(dir).withSizes(1 << 30, 1 << 20).withMinFree(0);
    return MirrorStore.open(
        settings, clock, new SimpleMeterRegistry(), new FakeDisk(dir, 1L << 40));
  }

  private static String hex(String url) {
    return MirrorKey.of(url, false).hex();
  }

  private Path shard(String url) {
    return dir.resolve("objects").resolve(hex(url).substring(0, 2));
  }

  @Test
  void theStoreAndItsAccessRecordsSurviveARestart() throws Exception {
    byte[] a = Fills.body(3000, 1);
    byte[] b = Fills.body(5000, 2);
    try (MirrorStore store = open()) {
      Fills.store(store, A, a, "ETag", "\"a\"");
      Fills.store(store, B, b);
      clock.advance(Duration.ofMinutes(5));
      StoredObject o = store.lookup(MirrorKey.of(A, false)).orElseThrow();
      o.touch();
      o.touch();
    }

    try (MirrorStore store = open()) {
      StoredObject o = store.lookup(MirrorKey.of(A, false)).orElseThrow();
      assertThat(Fills.read(o)).isEqualTo(a);
      assertThat(o.meta().etag()).contains("\"a\"");
      assertThat(o.hits()).isEqualTo(2);
      assertThat(o.lastAccess()).isEqualTo(Instant.parse("2026-11-23T10:05:00Z"));
      assertThat(Fills.read(store.lookup(MirrorKey.of(B, false)).orElseThrow())).isEqualTo(b);
      assertThat(store.stats().objects()).isEqualTo(2);
      assertThat(store.stats().storedBytes()).isEqualTo(8000);
    }
  }

  @Test
  void aFillCutShortByACrashLeavesOnlyATemporaryFileWhichStartUpRemoves() throws Exception {
    try (MirrorStore store = open()) {
      Fills.store(store, A, Fills.body(100, 3));
    }
    // What SIGKILL mid-fill leaves: a partial body and a meta file being written, both in tmp/.
    Files.write(dir.resolve("tmp").resolve(hex(B) + "-0011223344556677.part"), new byte[4096]);
    Files.write(dir.resolve("tmp").resolve(hex(A) + "-8899aabbccddeeff.meta"), new byte[10]);

    try (MirrorStore store = open()) {
      assertThat(Fills.files(dir.resolve("tmp"))).isEmpty();
      assertThat(store.lookup(MirrorKey.of(A, false))).isPresent();
      assertThat(store.lookup(MirrorKey.of(B, false))).isEmpty();
    }
  }

  @Test
  void aDataFileWithoutItsMetaIsRemovedNotServed() throws Exception {
    // Killed between the data rename and the meta rename: the commit point was never reached.
    Files.createDirectories(shard(A));
    Path orphan = shard(A).resolve(hex(A) + "-0011223344556677.data");
    Files.write(orphan, new byte[100]);

    try (MirrorStore store = open()) {
      assertThat(store.lookup(MirrorKey.of(A, false))).isEmpty();
      assertThat(orphan).doesNotExist();
    }
  }

  @Test
  void aReplacementCutShortKeepsTheOldObjectAndRemovesTheNewData() throws Exception {
    byte[] v1 = Fills.body(1000, 4);
    try (MirrorStore store = open()) {
      Fills.store(store, A, v1);
    }
    Path newData = shard(A).resolve(hex(A) + "-ffffffffffffffff.data");
    Files.write(newData, Fills.body(1000, 5));

    try (MirrorStore store = open()) {
      assertThat(Fills.read(store.lookup(MirrorKey.of(A, false)).orElseThrow())).isEqualTo(v1);
      assertThat(newData).doesNotExist();
    }
  }

  @Test
  void anObjectWhoseDataHasTheWrongSizeIsRemoved() throws Exception {
    try (MirrorStore store = open()) {
      Fills.store(store, A, Fills.body(1000, 6));
      Fills.store(store, B, Fills.body(1000, 7));
    }
    Path data = onlyDataFile(A);
    try (var ch =
        java.nio.channels.FileChannel.open(data, java.nio.file.StandardOpenOption.WRITE)) {
      ch.truncate(999);
    }

    try (MirrorStore store = open()) {
      assertThat(store.lookup(MirrorKey.of(A, false))).isEmpty();
      assertThat(store.lookup(MirrorKey.of(B, false))).isPresent();
      assertThat(Fills.files(shard(A)).stream().filter(f -> f.startsWith(hex(A)))).isEmpty();
    }
  }

  @Test
  void aMetaWhoseDataIsMissingOrWhichIsTruncatedIsRemoved() throws Exception {
    try (MirrorStore store = open()) {
      Fills.store(store, A, Fills.body(1000, 8));
      Fills.store(store, B, Fills.body(1000, 9));
    }
    Files.delete(onlyDataFile(A));
    Path metaB = shard(B).resolve(hex(B) + ".meta");
    String text = Files.readString(metaB);
    Files.writeString(metaB, text.substring(0, text.length() - 4));

    try (MirrorStore store = open()) {
      assertThat(store.lookup(MirrorKey.of(A, false))).isEmpty();
      assertThat(store.lookup(MirrorKey.of(B, false))).isEmpty();
      assertThat(Fills.storeFiles(dir)).isEmpty();
    }
  }

  @Test
  void aMetaFileMovedUnderAnotherKeyIsNotTrusted() throws Exception {
    try (MirrorStore store = open()) {
      Fills.store(store, A, Fills.body(1000, 10));
    }
    // A meta whose URL does not hash to its file name (copied by hand, or tampered with).
    Files.createDirectories(shard(B));
    Files.move(shard(A).resolve(hex(A) + ".meta"), shard(B).resolve(hex(B) + ".meta"));

    try (MirrorStore store = open()) {
      assertThat(store.lookup(MirrorKey.of(A, false))).isEmpty();
      assertThat(store.lookup(MirrorKey.of(B, false))).isEmpty();
      assertThat(Fills.storeFiles(dir)).isEmpty();
    }
  }

  @Test
  void aSecondOpenOfTheSameDirectoryIsRefused() throws Exception {
    MirrorStore first = open();

    // Refused before it opens the lock file: closing a channel on it would drop the first's lock.
    assertThatThrownBy(this::open)
        .isInstanceOf(IOException.class)
        .hasMessageContaining("is already open in this process");

    first.close();
    open().close();
  }

  @Test
  void listingAStoreThatAnotherProcessOwnsReadsItAndRemovesNothing() throws Exception {
    try (MirrorStore store = open()) {
      Fills.store(store, B, Fills.body(20, 11));
      Fills.store(store, A, Fills.body(10, 12));
      Files.write(dir.resolve("tmp").resolve("in-progress.part"), new byte[1]);

      assertThat(MirrorStore.list(dir))
          .extracting(ListedObject::url, ListedObject::length)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple(A, 10L),
              org.assertj.core.groups.Tuple.tuple(B, 20L));
      assertThat(dir.resolve("tmp").resolve("in-progress.part")).exists();
    }
  }

  private Path onlyDataFile(String url) throws IOException {
    try (var files = Files.list(shard(url))) {
      return files
          .filter(p -> p.getFileName().toString().startsWith(hex(url) + "-"))
          .findFirst()
          .orElseThrow();
    }
  }
}
