package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Small objects served from memory: the same bytes as the file, never a damaged or old copy. */
class MirrorStoreMemoryTest {
  private static final String SMALL = "http://vendor.example:80/sig/update.vdm";
  private static final String LARGE = "http://vendor.example:80/big.cab";

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2026-11-23T10:00:00Z"));
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private MirrorStore open(long memory, int maxObject) throws IOException {
    MirrorSettings settings =
        MirrorSettings.defaults(dir)
            .withSizes(1 << 30, 1 << 20)
            .withMinFree(0)
            .withMemory(memory, maxObject);
    return MirrorStore.open(settings, clock, registry, new FakeDisk(dir, 1L << 40));
  }

  private static StoredObject lookup(MirrorStore store, String url) {
    return store.lookup(MirrorKey.of(url, false)).orElseThrow();
  }

  private static byte[] bytes(ByteBuffer content) {
    byte[] out = new byte[content.remaining()];
    content.duplicate().get(out);
    return out;
  }

  @Test
  void aSmallObjectIsAnsweredFromMemoryWithTheStoredBytesEvenAfterItsFileIsGone() throws Exception {
    byte[] body = Fills.body(1024, 1);
    try (MirrorStore store = open(1 << 20, 4096)) {
      Fills.store(store, SMALL, body);
      StoredObject o = lookup(store, SMALL);

      assertThat(o.content()).map(MirrorStoreMemoryTest::bytes).contains(body);
      // The second answer comes from memory: the file is no longer read.
      Files.delete(o.dataPath());
      assertThat(o.content()).map(MirrorStoreMemoryTest::bytes).contains(body);
      assertThat(registry.get("patchgate.mirror.memory.bytes").gauge().value())
          .isGreaterThanOrEqualTo(1024);
    }
  }

  @Test
  void largerObjectsAndAStoreWithoutMemoryCacheAreServedFromTheirFiles() throws Exception {
    try (MirrorStore store = open(1 << 20, 4096)) {
      Fills.store(store, LARGE, Fills.body(4097, 2));
      assertThat(lookup(store, LARGE).content()).isEmpty();
    }
    try (MirrorStore store = open(0, 4096)) {
      Fills.store(store, SMALL, Fills.body(100, 3));
      assertThat(lookup(store, SMALL).content()).isEmpty();
    }
  }

  @Test
  void aDamagedFileIsQuarantinedWhenReadIntoMemoryAndNeverHandedOut() throws Exception {
    byte[] body = Fills.body(2000, 4);
    try (MirrorStore store = open(1 << 20, 4096)) {
      Fills.store(store, SMALL, body);
      StoredObject o = lookup(store, SMALL);
      byte[] damaged = body.clone();
      damaged[700] ^= 1;
      Files.write(o.dataPath(), damaged);

      assertThat(o.content()).isEmpty();
      assertThat(store.lookup(MirrorKey.of(SMALL, false))).isEmpty();
      assertThat(Files.exists(o.dataPath())).isFalse();
      assertThat(Fills.files(dir.resolve("quarantine"))).hasSize(2);
      assertThat(
              registry
                  .get("patchgate.mirror.integrity.failures")
                  .tag("stage", "read")
                  .counter()
                  .count())
          .isEqualTo(1);
    }
  }

  @Test
  void aReplacedObjectIsAnsweredWithItsNewBytes() throws Exception {
    try (MirrorStore store = open(1 << 20, 4096)) {
      Fills.store(store, SMALL, Fills.body(500, 5));
      assertThat(lookup(store, SMALL).content()).isPresent();

      byte[] newer = Fills.body(600, 6);
      Fills.store(store, SMALL, newer);

      assertThat(lookup(store, SMALL).content()).map(MirrorStoreMemoryTest::bytes).contains(newer);
    }
  }
}
