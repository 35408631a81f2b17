package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorStoreDiskSpaceTest {
  private static final long MIN_FREE = 10_000;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private FakeDisk disk;
  private MirrorStore store;

  @BeforeEach
  void open() throws Exception {
    disk = new FakeDisk(dir, 1L << 40);
    MirrorSettings settings =
        MirrorSettings.defaults(dir).withSizes(1 << 30, 1 << 28).withMinFree(MIN_FREE);
    store = MirrorStore.open(settings, clock, registry, disk);
  }

  @AfterEach
  void close() {
    store.close();
  }

  @Test
  void whenTheDiskIsNearlyFullFillsAreRefusedAndRequestsPassThrough() {
    disk.capacity(disk.used() + MIN_FREE - 1);

    FillLease lease = store.fill(MirrorKey.of("http://a.example:80/x", false));

    assertThat(lease.kind()).isEqualTo(FillLease.Kind.NOT_NOW);
    assertThat(lease.reason()).isEqualTo(FillOutcome.DISK_FULL);
    assertThat(registry.get("patchgate.mirror.fills").tag("result", "disk_full").counter().count())
        .isEqualTo(1);
  }

  @Test
  void beyondTheFillsInProgressAMissPassesThroughUntilOneEnds() throws Exception {
    List<FillLease> fillers = new ArrayList<>();
    for (int i = 0; i < InflightFills.MAX_IN_PROGRESS; i++) {
      FillLease lease = store.fill(MirrorKey.of("http://a.example:80/f" + i, false));
      assertThat(lease.kind()).isEqualTo(FillLease.Kind.FILLER);
      fillers.add(lease);
    }

    FillLease refused = store.fill(MirrorKey.of("http://a.example:80/one-more", false));
    // Joining a fill under way takes no new one, so it is never refused for this.
    FillLease joined = store.fill(MirrorKey.of("http://a.example:80/f0", false));

    assertThat(refused.kind()).isEqualTo(FillLease.Kind.NOT_NOW);
    assertThat(refused.reason()).isEqualTo(FillOutcome.BUSY);
    assertThat(joined.kind()).isEqualTo(FillLease.Kind.FOLLOWER);
    assertThat(registry.get("patchgate.mirror.fills").tag("result", "busy").counter().count())
        .isEqualTo(1);

    fillers.get(1).writer().abort(FillOutcome.UPSTREAM_ERROR);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () -> store.fill(MirrorKey.of("http://a.example:80/one-more", false)).kind(),
            kind -> kind == FillLease.Kind.FILLER);
  }

  @Test
  void aDeclaredLengthThatWouldEatIntoTheFloorIsNotRecorded() throws Exception {
    disk.capacity(disk.used() + MIN_FREE + 5_000);
    FillWriter w = Fills.filler(store, MirrorKey.of("http://a.example:80/x", false));

    assertThat(w.start(200, Fills.ok(5_001))).isFalse();

    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.DISK_FULL);
  }

  @Test
  void whatOtherFillsHaveDeclaredIsReserved() throws Exception {
    disk.capacity(disk.used() + MIN_FREE + 8_000);
    FillWriter first = Fills.filler(store, MirrorKey.of("http://a.example:80/1", false));
    assertThat(first.start(200, Fills.ok(5_000))).isTrue();
    FillWriter second = Fills.filler(store, MirrorKey.of("http://a.example:80/2", false));

    assertThat(second.start(200, Fills.ok(5_000))).isFalse();

    assertThat(second.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.DISK_FULL);
    first.abort(FillOutcome.UPSTREAM_ERROR);
  }

  @Test
  void evictionMakesRoomSoALaterFillIsAccepted() throws Exception {
    for (int i = 0; i < 4; i++) {
      Fills.store(store, "http://a.example:80/old" + i, Fills.body(3_000, i));
      clock.advance(Duration.ofMinutes(1));
    }
    // 12000 bytes stored; only 2000 above the floor left.
    disk.capacity(disk.used() + MIN_FREE + 2_000);
    MirrorKey key = MirrorKey.of("http://a.example:80/new", false);
    FillWriter refused = Fills.filler(store, key);
    assertThat(refused.start(200, Fills.ok(5_000))).isFalse();

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> store.fill(key).kind() == FillLease.Kind.FILLER);

    assertThat(store.lookup(MirrorKey.of("http://a.example:80/old0", false))).isEmpty();
    assertThat(store.lookup(MirrorKey.of("http://a.example:80/old3", false))).isPresent();
    assertThat(registry.get("patchgate.mirror.evictions").tag("cause", "space").counter().count())
        .isPositive();
  }

  @Test
  void aFillStopsWhenTheDiskRunsOutUnderIt() throws Exception {
    FillWriter w = Fills.filler(store, MirrorKey.of("http://a.example:80/stream", false));
    w.start(200, HeaderLookup.of("Transfer-Encoding", "chunked"));
    disk.capacity(disk.used() + MIN_FREE / 2 - 1);

    // Free space is looked at every 64 MiB written.
    boolean recording = true;
    for (int i = 0; i < 80 && recording; i++) {
      recording = w.write(ByteBuffer.allocate(1 << 20));
    }

    assertThat(recording).isFalse();
    assertThat(w.outcome().get(10, TimeUnit.SECONDS)).isEqualTo(FillOutcome.DISK_FULL);
  }
}
