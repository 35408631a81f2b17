package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorStoreFillTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final String URL = "http://vendor.example:80/patches/tool-1.2.zip";

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
  void aCommittedObjectIsServedWithIdenticalBytesAndMeta() throws Exception {
    byte[] body = Fills.body(100_000, 1);
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));

    assertThat(
            w.start(
                200,
                Fills.ok(
                    body.length,
                    "Content-Type",
                    "application/zip",
                    "ETag",
                    "\"v1\"",
                    "Last-Modified",
                    "Sun, 22 Nov 2026 10:00:00 GMT",
                    "Set-Cookie",
                    "session=secret",
                    "Date",
                    "Mon, 23 Nov 2026 09:59:50 GMT",
                    "Age",
                    "3")))
        .isTrue();
    Fills.writeAll(w, body, 7000);
    clock.advance(Duration.ofSeconds(2));
    assertThat(w.complete()).isEqualTo(FillOutcome.COMMITTING);
    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);

    StoredObject o =
        store
            .lookup(MirrorKey.of("http://VENDOR.example/patches/tool-1.2.zip", false))
            .orElseThrow();
    assertThat(Fills.read(o)).isEqualTo(body);
    StoredMeta m = o.meta();
    assertThat(m.url()).isEqualTo(URL);
    assertThat(m.length()).isEqualTo(body.length);
    assertThat(m.sha256()).isEqualTo(sha256(body));
    assertThat(m.sha1()).isEmpty();
    assertThat(m.headers())
        .containsExactly(
            new HeaderField("Content-Type", "application/zip"),
            new HeaderField("ETag", "\"v1\""),
            new HeaderField("Last-Modified", "Sun, 22 Nov 2026 10:00:00 GMT"));
    assertThat(m.storedAt()).isEqualTo(T0.plusSeconds(2));
    assertThat(m.validatedAt()).isEqualTo(T0);
    assertThat(m.responseDate()).isEqualTo(T0.minusSeconds(10));
    assertThat(m.initialAgeSeconds()).isEqualTo(10);
    String hex = MirrorKey.of(URL, false).hex();
    String shard = hex.substring(0, 2) + "/";
    assertThat(Fills.storeFiles(dir))
        .containsExactlyInAnyOrder(shard + hex + ".meta", shard + o.dataPath().getFileName());
    assertThat(o.dataPath().getFileName().toString()).matches(hex + "-[0-9a-f]{16}\\.data");
    assertThat(registry.get("patchgate.mirror.fills").tag("result", "stored").counter().count())
        .isEqualTo(1);
  }

  @Test
  void aHashNamedFileIsStoredWithItsSha1WhenTheContentMatches() throws Exception {
    byte[] body = Fills.body(5000, 2);
    String url = "http://download.windowsupdate.com:80/c/kb_" + sha1(body) + ".cab";

    assertThat(Fills.store(store, url, body)).isEqualTo(FillOutcome.STORED);

    assertThat(store.lookup(MirrorKey.of(url, false)).orElseThrow().meta().sha1())
        .contains(sha1(body));
  }

  @Test
  void aHashNamedFileWithWrongContentIsNotStoredAndTheOutcomeSaysSo() throws Exception {
    byte[] body = Fills.body(5000, 3);
    String url = "http://download.windowsupdate.com:80/c/kb_" + sha1(Fills.body(5000, 4)) + ".cab";
    FillWriter w = Fills.filler(store, MirrorKey.of(url, false));
    w.start(200, Fills.ok(body.length));
    Fills.writeAll(w, body, 1000);

    assertThat(w.complete()).isEqualTo(FillOutcome.INTEGRITY_MISMATCH);
    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.INTEGRITY_MISMATCH);
    assertThat(w.state()).isEqualTo(FillState.COMPLETE);
    assertThat(store.lookup(MirrorKey.of(url, false))).isEmpty();
    assertThat(Fills.storeFiles(dir)).isEmpty();
    assertThat(
            registry
                .get("patchgate.mirror.integrity.failures")
                .tag("stage", "fill")
                .counter()
                .count())
        .isEqualTo(1);
    assertThat(
            registry
                .get("patchgate.mirror.fills")
                .tag("result", "integrity_mismatch")
                .counter()
                .count())
        .isEqualTo(1);
  }

  @Test
  void aShortBodyIsNeverStored() throws Exception {
    byte[] body = Fills.body(10_000, 5);
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, Fills.ok(body.length));
    w.write(ByteBuffer.wrap(body, 0, 9_999));

    assertThat(w.complete()).isEqualTo(FillOutcome.SHORT_BODY);

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.SHORT_BODY);
    assertThat(store.lookup(MirrorKey.of(URL, false))).isEmpty();
    assertThat(Fills.storeFiles(dir)).isEmpty();
  }

  @Test
  void aBodyLongerThanDeclaredIsNeverStored() throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, Fills.ok(10));

    assertThat(w.write(ByteBuffer.wrap(new byte[11]))).isFalse();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.LONG_BODY);
    assertThat(w.complete()).isEqualTo(FillOutcome.LONG_BODY);
    assertThat(Fills.storeFiles(dir)).isEmpty();
  }

  @Test
  void anAbortLeavesNothing() throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, Fills.ok(10_000));
    w.write(ByteBuffer.wrap(new byte[5000]));
    assertThat(Fills.storeFiles(dir)).hasSize(1);

    assertThat(w.abort(FillOutcome.UPSTREAM_ERROR)).isEqualTo(FillOutcome.UPSTREAM_ERROR);

    assertThat(w.write(ByteBuffer.wrap(new byte[5000]))).isFalse();
    assertThat(w.complete()).isEqualTo(FillOutcome.UPSTREAM_ERROR);
    assertThat(store.lookup(MirrorKey.of(URL, false))).isEmpty();
    assertThat(Fills.storeFiles(dir)).isEmpty();
    // The URL is free again.
    assertThat(store.fill(MirrorKey.of(URL, false)).kind()).isEqualTo(FillLease.Kind.FILLER);
  }

  @Test
  void abortingWithACompleteOutcomeIsRefused() {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));

    assertThatThrownBy(() -> w.abort(FillOutcome.STORED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aResponseThatMayNotBeStoredEndsTheFillBeforeAnyFileIsMade() throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));

    assertThat(w.start(200, Fills.ok(10, "Cache-Control", "no-store"))).isFalse();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.NOT_STORABLE);
    assertThat(w.write(ByteBuffer.wrap(new byte[10]))).isFalse();
    assertThat(Fills.storeFiles(dir)).isEmpty();
  }

  @Test
  void aDeclaredLengthAboveTheObjectLimitIsNotRecorded() throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));

    assertThat(w.start(200, Fills.ok((1 << 20) + 1))).isFalse();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.TOO_LARGE);
  }

  @Test
  void aChunkedBodyGrowingPastTheObjectLimitIsAbortedAndTheCallerMayKeepStreaming()
      throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, HeaderLookup.of("Transfer-Encoding", "chunked"));
    assertThat(w.write(ByteBuffer.wrap(new byte[1 << 20]))).isTrue();

    assertThat(w.write(ByteBuffer.wrap(new byte[1]))).isFalse();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.TOO_LARGE);
    assertThat(w.write(ByteBuffer.wrap(new byte[1]))).isFalse();
    assertThat(Fills.storeFiles(dir)).isEmpty();
  }

  @Test
  void aChunkedBodyIsStoredWithTheLengthReceived() throws Exception {
    byte[] body = Fills.body(3000, 6);
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, HeaderLookup.of("Transfer-Encoding", "chunked"));
    Fills.writeAll(w, body, 999);
    w.complete();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
    assertThat(Fills.read(store.lookup(MirrorKey.of(URL, false)).orElseThrow())).isEqualTo(body);
  }

  @Test
  void writingLeavesTheCallersBufferAsItWas() {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, Fills.ok(100));
    ByteBuffer buf = ByteBuffer.allocateDirect(100);

    w.write(buf);

    assertThat(buf.position()).isZero();
    assertThat(buf.remaining()).isEqualTo(100);
    assertThat(w.written()).isEqualTo(100);
  }

  @Test
  void aNewCopyReplacesTheOldAndAReaderOfTheOldKeepsItsBytes() throws Exception {
    byte[] v1 = Fills.body(4000, 7);
    byte[] v2 = Fills.body(6000, 8);
    Fills.store(store, URL, v1);
    StoredObject old = store.lookup(MirrorKey.of(URL, false)).orElseThrow();

    try (FileChannel oldChannel = old.open()) {
      assertThat(Fills.store(store, URL, v2)).isEqualTo(FillOutcome.STORED);

      ByteBuffer buf = ByteBuffer.allocate(v1.length);
      while (buf.hasRemaining() && oldChannel.read(buf) > 0) {
        // read on
      }
      assertThat(buf.array()).isEqualTo(v1);
    }
    StoredObject now = store.lookup(MirrorKey.of(URL, false)).orElseThrow();
    assertThat(Fills.read(now)).isEqualTo(v2);
    assertThat(Files.exists(old.dataPath())).isFalse();
    assertThat(Fills.storeFiles(dir)).hasSize(2);
    assertThatThrownBy(old::open).isInstanceOf(java.nio.file.NoSuchFileException.class);
  }

  @Test
  void a304UnderALeaseRevalidatesTheStoredObjectAndReleasesTheFollowers() throws Exception {
    Fills.store(store, URL, Fills.body(100, 9), "ETag", "\"v1\"", "Cache-Control", "max-age=60");
    clock.advance(Duration.ofHours(1));
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    FillReader follower = store.fill(MirrorKey.of(URL, false)).reader();

    w.notModified(HeaderLookup.of("ETag", "\"v1\"", "Cache-Control", "max-age=120"));

    assertThat(follower.state()).isEqualTo(FillState.ABORTED);
    assertThat(follower.head()).isEmpty();
    assertThat(follower.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.NOT_MODIFIED);
    follower.close();
    StoredMeta meta = store.lookup(MirrorKey.of(URL, false)).orElseThrow().meta();
    assertThat(meta.validatedAt()).isEqualTo(T0.plus(Duration.ofHours(1)));
    assertThat(meta.headerLookup().first("Cache-Control")).contains("max-age=120");
    assertThat(FreshnessPolicy.fresh(meta, MirrorRules.DEFAULT, clock.instant())).isTrue();
  }

  @Test
  void completeBeforeStartIsAProgrammingError() {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));

    assertThatThrownBy(w::complete).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void aLookupMissIsCountedAndAServedHitIsCounted() throws Exception {
    assertThat(store.lookup(MirrorKey.of(URL, false))).isEmpty();
    Fills.store(store, URL, Fills.body(10, 10));

    store.lookup(MirrorKey.of(URL, false)).orElseThrow().touch();

    assertThat(registry.get(MirrorMetrics.LOOKUPS).tag("result", "miss").counter().count())
        .isEqualTo(1);
    assertThat(registry.get(MirrorMetrics.LOOKUPS).tag("result", "hit").counter().count())
        .isEqualTo(1);
    assertThat(registry.get("patchgate.mirror.stored.bytes").gauge().value()).isEqualTo(10);
  }

  @Test
  void aFillThatReceivesNothingForTheStallTimeoutIsAborted() throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, Fills.ok(100));
    w.write(ByteBuffer.wrap(new byte[10]));
    clock.advance(Duration.ofMinutes(4));
    store.maintain();
    assertThat(w.state()).isEqualTo(FillState.STREAMING);

    clock.advance(Duration.ofMinutes(1));
    store.maintain();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STALLED);
    assertThat(Fills.storeFiles(dir)).isEmpty();
  }

  @Test
  void closingAbortsFillsInProgressAndRefusesNewOnes() throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of(URL, false));
    w.start(200, Fills.ok(100));

    store.close();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.CLOSED);
    FillLease lease = store.fill(MirrorKey.of(URL, false));
    assertThat(lease.kind()).isEqualTo(FillLease.Kind.NOT_NOW);
    assertThat(lease.reason()).isEqualTo(FillOutcome.CLOSED);
    assertThat(Fills.storeFiles(dir)).isEmpty();
  }

  private static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  private static String sha1(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
  }
}
