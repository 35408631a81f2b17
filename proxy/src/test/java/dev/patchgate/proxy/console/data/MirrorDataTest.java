package dev.patchgate.proxy.console.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.proxy.mirror.MirrorServeFixtures;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Mirror page's data on a real store, filled the way the gateway fills it. */
class MirrorDataTest {
  @TempDir Path dir;

  @Test
  void objectsComeWithSizesHitsTotalsAndFreeSpace() throws Exception {
    try (MirrorStore store = filled()) {
      MirrorView view = new MirrorData(dir, Optional.of(store)).objects(Scope.admin(), 100);

      assertThat(view.objects())
          .extracting(MirrorObject::url)
          .containsExactly(
              "http://vendor.example:80/new/b.msi",
              "http://vendor.example:80/old/a.cab",
              "http://vendor.example:80/old/c.cab");
      assertThat(view.objects())
          .extracting(MirrorObject::size)
          .containsExactly(2000L, 1000L, 3000L);
      assertThat(view.objects().get(0).lastUse()).as("never served").isEmpty();
      assertThat(view.objectCount()).isEqualTo(3);
      assertThat(view.storedBytes()).isEqualTo(6000);
      assertThat(view.freeBytes()).isPositive();
      assertThat(view.more()).isFalse();

      MirrorView cut = new MirrorData(dir, Optional.of(store)).objects(Scope.admin(), 1);
      assertThat(cut.objects()).hasSize(1);
      assertThat(cut.more()).isTrue();
      assertThat(cut.storedBytes()).as("totals count every object").isEqualTo(6000);
    }
  }

  @Test
  void withoutTheRunningStoreObjectsAreReadFromTheDirectory() throws Exception {
    filled().close();

    MirrorView view = new MirrorData(dir, Optional.empty()).objects(Scope.admin(), 100);

    assertThat(view.objectCount()).isEqualTo(3);
    assertThat(view.maxSizeBytes()).isEqualTo(-1);
  }

  @Test
  void purgeRemovesWhatStartsWithThePrefixThroughTheRunningStore() throws Exception {
    try (MirrorStore store = filled()) {
      MirrorData data = new MirrorData(dir, Optional.of(store));

      Purged purged = data.purge("http://Vendor.example/old/", Scope.admin());

      assertThat(purged.prefix()).isEqualTo("http://vendor.example:80/old/");
      assertThat(purged.objects())
          .extracting(MirrorObject::url)
          .containsExactly(
              "http://vendor.example:80/old/a.cab", "http://vendor.example:80/old/c.cab");
      assertThat(purged.count()).isEqualTo(2);
      assertThat(purged.bytes()).isEqualTo(4000);
      assertThat(data.objects(Scope.admin(), 100).objects())
          .extracting(MirrorObject::url)
          .containsExactly("http://vendor.example:80/new/b.msi");
    }
  }

  @Test
  void aVendorMayNeitherListNorPurgeAndABadPrefixIsRefused() throws Exception {
    try (MirrorStore store = filled()) {
      MirrorData data = new MirrorData(dir, Optional.of(store));
      Scope vendor = Scope.of(ConsoleFixtures.EMR_BY_ENTRY, ConsoleFixtures.allowlist());

      assertThatThrownBy(() -> data.objects(vendor, 100)).isInstanceOf(OutOfScopeException.class);
      assertThatThrownBy(() -> data.purge("http://", vendor))
          .isInstanceOf(OutOfScopeException.class);
      assertThatThrownBy(() -> data.purge("https://vendor.example/", Scope.admin()))
          .isInstanceOf(BadFilterException.class)
          .hasMessageContaining("not an http:// URL prefix");
      assertThat(store.ls()).as("nothing was purged").hasSize(3);
    }
  }

  private MirrorStore filled() throws Exception {
    MirrorStore store = MirrorServeFixtures.openStore(dir);
    MirrorServeFixtures.store(store, "/old/a.cab", MirrorServeFixtures.body(1000, 1));
    MirrorServeFixtures.store(store, "/new/b.msi", MirrorServeFixtures.body(2000, 2));
    MirrorServeFixtures.store(store, "/old/c.cab", MirrorServeFixtures.body(3000, 3));
    return store;
  }
}
