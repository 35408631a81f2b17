package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreEvictionTest {
  private static final long MAX = 1000;

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Metas.T0);
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final MirrorMetrics metrics = new MirrorMetrics(registry);
  private final List<Runnable> queued = new ArrayList<>();
  private StoreLayout layout;
  private CommittedObjects objects;

  @BeforeEach
  void setUp() throws IOException {
    layout = new StoreLayout(dir);
    layout.createDirectories();
    objects = new CommittedObjects(layout, clock, metrics, new MemoryTier(0, 0));
  }

  /** Commits a {@code length}-byte object for URL {@code i}, a minute after the previous one. */
  private StoredObject commit(int i, int length) throws IOException {
    String url = "http://vendor.example:80/o" + i;
    String hex = MirrorKey.of(url, false).hex();
    String generation = StoreLayout.newGeneration();
    Path tmp = layout.tmpData(hex, generation);
    Files.write(tmp, new byte[length]);
    StoredMeta meta =
        new StoredMeta(
            url,
            200,
            length,
            Metas.SHA256,
            Optional.empty(),
            List.of(),
            clock.instant(),
            clock.instant(),
            clock.instant(),
            0);
    StoredObject o = objects.publish(hex, StoreLayout.dataName(hex, generation), tmp, meta);
    clock.advance(Duration.ofMinutes(1));
    return o;
  }

  /** Five 250-byte objects, o0 the least recently used. */
  private List<StoredObject> fiveObjects() throws IOException {
    List<StoredObject> all = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      all.add(commit(i, 250));
    }
    return all;
  }

  private StoreEviction eviction(Executor io) {
    return new StoreEviction(objects, MAX, metrics, io);
  }

  private boolean indexed(StoredObject o) {
    return objects.get(o.hex()) == o;
  }

  private double evictions(String cause) {
    return registry.get("patchgate.mirror.evictions").tag("cause", cause).counter().count();
  }

  @Test
  void evictIfNeeded_atTheLimit_removesNothing() throws IOException {
    List<StoredObject> all = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      all.add(commit(i, 250));
    }

    eviction(queued::add).evictIfNeeded(null);

    assertThat(objects.bytes()).isEqualTo(MAX);
    assertThat(all).allMatch(this::indexed);
  }

  @Test
  void evictIfNeeded_overTheLimit_removesTheLeastRecentlyUsedDownToTheLowWaterMark()
      throws IOException {
    List<StoredObject> all = fiveObjects();

    eviction(queued::add).evictIfNeeded(all.get(4));

    // 1250 bytes, over 1000: down to 950 or less, oldest access first.
    assertThat(objects.bytes()).isEqualTo(750);
    assertThat(indexed(all.get(0))).isFalse();
    assertThat(indexed(all.get(1))).isFalse();
    assertThat(all.subList(2, 5)).allMatch(this::indexed);
    assertThat(Files.exists(all.get(0).dataPath())).isFalse();
    assertThat(Files.exists(layout.meta(all.get(0).hex()))).isFalse();
    assertThat(evictions("size")).isEqualTo(2);
  }

  @Test
  void evictIfNeeded_neverRemovesTheObjectItWasToldToKeep() throws IOException {
    List<StoredObject> all = fiveObjects();

    eviction(queued::add).evictIfNeeded(all.get(0));

    assertThat(indexed(all.get(0))).isTrue();
    assertThat(indexed(all.get(1))).isFalse();
    assertThat(indexed(all.get(2))).isFalse();
    assertThat(objects.bytes()).isEqualTo(750);
  }

  @Test
  void requestRoom_mergesRequestsIntoOneRunOnTheIoThreadThatFreesTheLargest() throws IOException {
    List<StoredObject> all = fiveObjects();
    StoreEviction eviction = eviction(queued::add);

    eviction.requestRoom(100);
    eviction.requestRoom(600);
    eviction.requestRoom(300);

    assertThat(queued).hasSize(1);
    assertThat(all).allMatch(this::indexed);
    queued.remove(0).run();
    // 600 bytes wanted: three 250-byte objects, least recently used first.
    assertThat(all.subList(0, 3)).noneMatch(this::indexed);
    assertThat(all.subList(3, 5)).allMatch(this::indexed);
    assertThat(evictions("space")).isEqualTo(3);

    eviction.requestRoom(1);
    assertThat(queued).as("a request after the run schedules a new one").hasSize(1);
  }

  @Test
  void requestRoom_refusedByAClosingIoThread_isAskedAgainByTheNextRequest() throws IOException {
    List<StoredObject> all = fiveObjects();
    boolean[] closing = {true};
    StoreEviction eviction =
        eviction(
            task -> {
              if (closing[0]) {
                throw new RejectedExecutionException("closing");
              }
              queued.add(task);
            });

    eviction.requestRoom(250);
    closing[0] = false;
    eviction.requestRoom(250);

    assertThat(queued).hasSize(1);
    queued.remove(0).run();
    assertThat(indexed(all.get(0))).isFalse();
    assertThat(all.subList(1, 5)).allMatch(this::indexed);
  }
}
