package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorStoreEvictionTest {
  private static final long MAX = 10_000;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private MirrorStore open(long maxSize) throws IOException {
    return open(maxSize, 4000);
  }

  private MirrorStore open(long maxSize, long maxObjectSize) throws IOException {
    MirrorSettings settings =
        MirrorSettings.defaults(dir).withSizes(maxSize, maxObjectSize).withMinFree(0);
    return MirrorStore.open(settings, clock, registry, new FakeDisk(dir, 1L << 40));
  }

  private static String url(int i) {
    return "http://vendor.example:80/o" + i;
  }

  private static boolean stored(MirrorStore store, int i) {
    return store.lookup(MirrorKey.of(url(i), false)).isPresent();
  }

  /** Five 2000-byte objects, stored a minute apart: exactly max-size. */
  private void fillToTheLimit(MirrorStore store) throws Exception {
    for (int i = 0; i < 5; i++) {
      Fills.store(store, url(i), Fills.body(2000, i));
      clock.advance(Duration.ofMinutes(1));
    }
    assertThat(store.stats().storedBytes()).isEqualTo(MAX);
  }

  @Test
  void theLeastRecentlyUsedObjectsGoAndAnAccessedOneSurvives() throws Exception {
    try (MirrorStore store = open(MAX)) {
      fillToTheLimit(store);
      store.lookup(MirrorKey.of(url(0), false)).orElseThrow().touch();
      clock.advance(Duration.ofMinutes(1));

      Fills.store(store, url(5), Fills.body(2000, 5));

      // 12000 bytes, evicted oldest-access first down to the low-water mark (9500).
      assertThat(store.stats().storedBytes()).isLessThanOrEqualTo(MAX).isEqualTo(8000);
      assertThat(stored(store, 0)).isTrue();
      assertThat(stored(store, 1)).isFalse();
      assertThat(stored(store, 2)).isFalse();
      assertThat(stored(store, 3)).isTrue();
      assertThat(stored(store, 4)).isTrue();
      assertThat(stored(store, 5)).isTrue();
      assertThat(Fills.storeFiles(dir)).hasSize(8);
      assertThat(registry.get("patchgate.mirror.evictions").tag("cause", "size").counter().count())
          .isEqualTo(2);
    }
  }

  @Test
  void freeSpaceGivesBackTheLeastRecentlyUsedObjectsUntilTheAmountIsFreed() throws Exception {
    try (MirrorStore store = open(MAX)) {
      fillToTheLimit(store);
      store.lookup(MirrorKey.of(url(0), false)).orElseThrow().touch();

      // 3000 bytes asked: two 2000-byte objects go, the least recently used ones.
      assertThat(store.freeSpace(3000)).isEqualTo(4000);

      assertThat(store.stats().storedBytes()).isEqualTo(6000);
      assertThat(stored(store, 0)).isTrue();
      assertThat(stored(store, 1)).isFalse();
      assertThat(stored(store, 2)).isFalse();
      assertThat(stored(store, 3)).isTrue();
      assertThat(Fills.storeFiles(dir)).hasSize(6);
      assertThat(registry.get("patchgate.mirror.evictions").tag("cause", "audit").counter().count())
          .isEqualTo(2);
      // More than is stored: everything goes, and what was freed is reported.
      assertThat(store.freeSpace(1L << 30)).isEqualTo(6000);
      assertThat(store.stats().objects()).isZero();
    }
  }

  @Test
  void aNewlyFilledObjectIsKeptEvenWhenTheOthersWereReadMoreOften() throws Exception {
    try (MirrorStore store = open(MAX)) {
      fillToTheLimit(store);
      for (int round = 0; round < 5; round++) {
        for (int i = 0; i < 5; i++) {
          store.lookup(MirrorKey.of(url(i), false)).orElseThrow().touch();
        }
      }
      clock.advance(Duration.ofMinutes(1));

      Fills.store(store, url(5), Fills.body(2000, 5));

      assertThat(stored(store, 5)).isTrue();
    }
  }

  @Test
  void theLruOrderSurvivesARestart() throws Exception {
    try (MirrorStore store = open(MAX)) {
      fillToTheLimit(store);
      store.lookup(MirrorKey.of(url(0), false)).orElseThrow().touch();
      clock.advance(Duration.ofMinutes(1));
    }

    try (MirrorStore store = open(MAX)) {
      Fills.store(store, url(5), Fills.body(2000, 5));

      assertThat(stored(store, 0)).isTrue();
      assertThat(stored(store, 1)).isFalse();
    }
  }

  @Test
  void aLowerMaxSizeAtStartUpEvictsAtOnce() throws Exception {
    try (MirrorStore store = open(MAX)) {
      fillToTheLimit(store);
    }

    try (MirrorStore store = open(4000)) {
      assertThat(store.stats().storedBytes()).isLessThanOrEqualTo(4000);
      assertThat(stored(store, 4)).isTrue();
      assertThat(stored(store, 0)).isFalse();
    }
  }

  @Test
  void anObjectAsLargeAsMaxSizeIsKeptAndTheOthersMakeWay() throws Exception {
    try (MirrorStore store = open(MAX, MAX)) {
      Fills.store(store, url(0), Fills.body(2000, 0));
      clock.advance(Duration.ofMinutes(1));

      assertThat(Fills.store(store, url(1), Fills.body((int) MAX, 1)))
          .isEqualTo(FillOutcome.STORED);

      assertThat(stored(store, 1)).isTrue();
      assertThat(stored(store, 0)).isFalse();
      assertThat(store.stats().storedBytes()).isEqualTo(MAX);
    }
  }
}
