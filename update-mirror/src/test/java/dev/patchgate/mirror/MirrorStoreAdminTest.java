package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorStoreAdminTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private MirrorStore store;

  @BeforeEach
  void open() throws Exception {
    MirrorSettings settings =
        MirrorSettings.defaults(dir).withSizes(1 << 30, 1 << 20).withMinFree(0);
    store = MirrorStore.open(settings, clock, registry, new FakeDisk(dir, 1L << 40));
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void verifyQuarantinesACorruptedObjectAndKeepsTheRest() throws Exception {
    String good = "http://a.example:80/good.bin";
    String bad = "http://a.example:80/bad.bin";
    Fills.store(store, good, Fills.body(10_000, 1));
    Fills.store(store, bad, Fills.body(10_000, 2));
    StoredObject damaged = store.lookup(MirrorKey.of(bad, false)).orElseThrow();
    try (FileChannel ch = FileChannel.open(damaged.dataPath(), StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {42}), 5000);
    }

    VerifyReport report = store.verify();

    assertThat(report.checked()).isEqualTo(2);
    assertThat(report.bytesChecked()).isEqualTo(20_000);
    assertThat(report.clean()).isFalse();
    assertThat(report.quarantined()).hasSize(1);
    VerifyReport.Quarantined q = report.quarantined().get(0);
    assertThat(q.url()).isEqualTo(bad);
    assertThat(q.problem()).isEqualTo("sha256 mismatch");
    assertThat(q.movedTo())
        .isEqualTo(dir.resolve("quarantine").resolve(damaged.dataPath().getFileName()));
    assertThat(Fills.files(dir.resolve("quarantine"))).hasSize(2);
    assertThat(store.lookup(MirrorKey.of(bad, false))).isEmpty();
    assertThat(store.lookup(MirrorKey.of(good, false))).isPresent();
    assertThat(
            registry
                .get("patchgate.mirror.integrity.failures")
                .tag("stage", "verify")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(store.verify().clean()).isTrue();
  }

  @Test
  void verifyFindsATruncatedOrMissingDataFile() throws Exception {
    String cut = "http://a.example:80/cut.bin";
    String gone = "http://a.example:80/gone.bin";
    Fills.store(store, cut, Fills.body(1000, 3));
    Fills.store(store, gone, Fills.body(1000, 4));
    try (FileChannel ch =
        FileChannel.open(
            store.lookup(MirrorKey.of(cut, false)).orElseThrow().dataPath(),
            StandardOpenOption.WRITE)) {
      ch.truncate(10);
    }
    Files.delete(store.lookup(MirrorKey.of(gone, false)).orElseThrow().dataPath());

    VerifyReport report = store.verify();

    assertThat(report.quarantined())
        .extracting(VerifyReport.Quarantined::url, VerifyReport.Quarantined::problem)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(cut, "length mismatch"),
            org.assertj.core.groups.Tuple.tuple(gone, "data file missing"));
    assertThat(store.stats().objects()).isZero();
  }

  @Test
  void purgeRemovesEveryObjectUnderAPrefix() throws Exception {
    Fills.store(store, "http://a.example:80/x/1", Fills.body(100, 5));
    Fills.store(store, "http://a.example:80/x/2", Fills.body(200, 6));
    Fills.store(store, "http://a.example:80/y/3", Fills.body(300, 7));
    Fills.store(store, "http://b.example:80/x/4", Fills.body(400, 8));

    PurgeReport report = store.purge("http://a.example:80/x/");

    assertThat(report).isEqualTo(new PurgeReport(2, 300));
    assertThat(store.ls())
        .extracting(ListedObject::url)
        .containsExactly("http://a.example:80/y/3", "http://b.example:80/x/4");
    assertThat(Fills.storeFiles(dir)).hasSize(4);
    assertThat(store.purge("http://")).isEqualTo(new PurgeReport(2, 700));
    assertThat(Fills.storeFiles(dir)).isEmpty();
  }

  @Test
  void lsShowsUrlSizeStoredLastHitAndHits() throws Exception {
    byte[] body = Fills.body(1234, 9);
    Fills.store(store, "http://b.example:80/z", Fills.body(1, 10));
    Fills.store(store, "http://a.example:80/a", body);
    clock.advance(Duration.ofHours(2));
    store.lookup(MirrorKey.of("http://a.example:80/a", false)).orElseThrow().touch();

    ListedObject first = store.ls().get(0);

    assertThat(first.url()).isEqualTo("http://a.example:80/a");
    assertThat(first.length()).isEqualTo(1234);
    assertThat(first.storedAt()).isEqualTo(T0);
    assertThat(first.lastAccess()).isEqualTo(T0.plus(Duration.ofHours(2)));
    assertThat(first.hits()).isEqualTo(1);
    assertThat(first.sha256()).hasSize(64);
    assertThat(store.ls()).hasSize(2);
  }

  @Test
  void aRevalidationReachesTheMetaFileWhenFlushed() throws Exception {
    String url = "http://a.example:80/index";
    Fills.store(store, url, Fills.body(10, 11), "ETag", "\"1\"");
    clock.advance(Duration.ofHours(1));

    assertThat(
            store.revalidated(
                MirrorKey.of(url, false), HeaderLookup.of("Cache-Control", "max-age=9")))
        .isTrue();
    store.flush();

    String hex = MirrorKey.of(url, false).hex();
    String meta =
        Files.readString(
            dir.resolve("objects").resolve(hex.substring(0, 2)).resolve(hex + ".meta"));
    assertThat(meta)
        .contains("\nvalidated-at 2026-11-23T11:00:00Z\n")
        .contains("\nheader ETag: \"1\"\n")
        .contains("\nheader Cache-Control: max-age=9\n");
    assertThat(
            store.revalidated(
                MirrorKey.of("http://a.example:80/absent", false), HeaderLookup.none()))
        .isFalse();
  }

  @Test
  void statsReportUsage() throws Exception {
    Fills.store(store, "http://a.example:80/1", Fills.body(100, 12));
    Fills.filler(store, MirrorKey.of("http://a.example:80/2", false));

    MirrorStats stats = store.stats();

    assertThat(stats.objects()).isEqualTo(1);
    assertThat(stats.storedBytes()).isEqualTo(100);
    assertThat(stats.maxSizeBytes()).isEqualTo(1 << 30);
    assertThat(stats.fillsInProgress()).isEqualTo(1);
    assertThat(stats.usableBytes()).isPositive();
  }
}
