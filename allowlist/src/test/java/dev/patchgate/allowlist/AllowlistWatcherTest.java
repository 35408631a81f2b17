package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real files in a temporary directory, changed the ways administrators and their tools change them.
 * Tests that poll wait for the listener's events; tests about what is not reported use a poll
 * interval of an hour and {@link AllowlistWatcher#checkNow}, so nothing runs behind their back.
 */
class AllowlistWatcherTest {
  private static final Duration FAST = Duration.ofMillis(50);
  private static final Duration ONLY_ON_DEMAND = Duration.ofHours(1);
  private static final String A = "entries { a { hosts = [\"a.example\"] } }\n";
  private static final String B = "entries { b { hosts = [\"b.example\"] } }\n";
  private static final String INVALID =
      String.join(
          "\n",
          /* 1 */ "entries {",
          /* 2 */ "  a { hosts = [\"a.example\"] }",
          /* 3 */ "  everything { hosts = [\"*\"] }",
          /* 4 */ "}",
          "");

  @TempDir Path dir;

  private final RecordingListener listener = new RecordingListener();
  private AllowlistWatcher watcher;

  @AfterEach
  void closeWatcher() {
    if (watcher != null) {
      watcher.close();
    }
  }

  @Test
  void validEditIsPickedUpAndTheListenerSeesPreviousAndNext() throws Exception {
    Path file = write("allowlist.conf", A);
    Allowlist initial = Allowlist.load(file);
    watcher = AllowlistWatcher.start(file, initial, FAST, listener);

    replace(file, B);

    Reloaded reload = listener.awaitReload();
    assertThat(reload.previous()).isSameAs(initial);
    assertThat(reload.next().entryNames()).containsExactly("b");
    assertThat(watcher.current()).isSameAs(reload.next());
    assertThat(reload.thread().getName()).isEqualTo("patchgate-allowlist-watch");
    assertThat(reload.thread().isDaemon()).isTrue();
  }

  @Test
  void invalidEditIsRejectedWithItsLineAndTheOldPolicyKeepsAnsweringUntilFixed() throws Exception {
    Path file = write("allowlist.conf", A);
    Allowlist initial = Allowlist.load(file);
    watcher = AllowlistWatcher.start(file, initial, FAST, listener);

    replace(file, INVALID);

    AllowlistException rejected = listener.awaitRejection();
    assertThat(rejected.problems())
        .anySatisfy(
            p -> {
              assertThat(p.file()).isEqualTo(file.toString());
              assertThat(p.line()).isEqualTo(3);
            });
    assertThat(watcher.current()).isSameAs(initial);

    replace(file, B);

    assertThat(listener.awaitReload().previous()).isSameAs(initial);
    assertThat(watcher.current().entryNames()).containsExactly("b");
  }

  @Test
  void fileRewrittenInPlaceIsPickedUp() throws Exception {
    Path file = write("allowlist.conf", A);
    watcher = AllowlistWatcher.start(file, Allowlist.load(file), FAST, listener);

    // Same size, same inode, likely the same timestamp tick: only the content differs.
    Files.writeString(file, B);

    listener.awaitReloadTo("b");
    assertThat(watcher.current().entryNames()).containsExactly("b");
  }

  @Test
  void fileReplacedByAtomicRenameIsPickedUp() throws Exception {
    Path file = write("allowlist.conf", A);
    watcher = AllowlistWatcher.start(file, Allowlist.load(file), FAST, listener);

    // How editors and configuration management save: a new file renamed over the old one.
    Path saved = write("allowlist.conf.tmp", B);
    Files.move(saved, file, StandardCopyOption.ATOMIC_MOVE);

    assertThat(listener.awaitReload().next().entryNames()).containsExactly("b");
  }

  @Test
  void swappedSymlinkTargetIsPickedUp() throws Exception {
    Path v1 = write("v1.conf", A);
    Path v2 = write("v2.conf", B);
    Path link = Files.createSymbolicLink(dir.resolve("allowlist.conf"), v1);
    watcher = AllowlistWatcher.start(link, Allowlist.load(link), FAST, listener);

    Path next = Files.createSymbolicLink(dir.resolve("next.link"), v2);
    Files.move(next, link, StandardCopyOption.ATOMIC_MOVE);

    assertThat(listener.awaitReload().next().entryNames()).containsExactly("b");
  }

  @Test
  void swappedSymlinkedDirectoryIsPickedUp() throws Exception {
    // Kubernetes ConfigMaps: allowlist.conf -> ..data/allowlist.conf, ..data -> ..version-N
    Files.createDirectories(dir.resolve("..v1"));
    Files.createDirectories(dir.resolve("..v2"));
    write("..v1/allowlist.conf", A);
    write("..v2/allowlist.conf", B);
    Path data = Files.createSymbolicLink(dir.resolve("..data"), Path.of("..v1"));
    Path file =
        Files.createSymbolicLink(dir.resolve("allowlist.conf"), Path.of("..data/allowlist.conf"));
    watcher = AllowlistWatcher.start(file, Allowlist.load(file), FAST, listener);

    Path next = Files.createSymbolicLink(dir.resolve("..data_tmp"), Path.of("..v2"));
    Files.move(next, data, StandardCopyOption.ATOMIC_MOVE);

    assertThat(listener.awaitReload().next().entryNames()).containsExactly("b");
  }

  @Test
  void deletedFileIsReportedOnceAndTheOldPolicyStaysUntilItReturns() throws Exception {
    Path file = write("allowlist.conf", A);
    Allowlist initial = Allowlist.load(file);
    watcher = AllowlistWatcher.start(file, initial, ONLY_ON_DEMAND, listener);

    Files.delete(file);
    watcher.checkNow();

    assertThat(listener.nextEvent()).isInstanceOf(AllowlistException.class);
    assertThat(listener.lastRejection.problems())
        .singleElement()
        .satisfies(
            p -> {
              assertThat(p.line()).isZero();
              assertThat(p.message()).contains("file not found");
            });
    assertThat(watcher.current()).isSameAs(initial);

    watcher.checkNow();
    listener.assertNoEvent();

    write("allowlist.conf", A);
    watcher.checkNow();

    assertThat(listener.nextEvent()).isInstanceOf(Reloaded.class);
    assertThat(watcher.current().entryNames()).containsExactly("a");
  }

  @Test
  void sameBadContentIsReportedOnceHoweverItIsRewritten() throws Exception {
    Path file = write("allowlist.conf", A);
    watcher = AllowlistWatcher.start(file, Allowlist.load(file), ONLY_ON_DEMAND, listener);

    Files.writeString(file, INVALID);
    watcher.checkNow();
    assertThat(listener.nextEvent()).isInstanceOf(AllowlistException.class);

    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    watcher.checkNow();
    Files.move(write("again.tmp", INVALID), file, StandardCopyOption.ATOMIC_MOVE);
    watcher.checkNow();
    listener.assertNoEvent();

    Files.writeString(file, INVALID.replace("\"*\"", "\"*.com\""));
    watcher.checkNow();
    assertThat(listener.nextEvent()).isInstanceOf(AllowlistException.class);
  }

  @Test
  void touchingOrResavingUnchangedContentDoesNotReload() throws Exception {
    Path file = write("allowlist.conf", A);
    Allowlist initial = Allowlist.load(file);
    watcher = AllowlistWatcher.start(file, initial, ONLY_ON_DEMAND, listener);

    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(60)));
    watcher.checkNow();
    Files.move(write("same.tmp", A), file, StandardCopyOption.ATOMIC_MOVE);
    watcher.checkNow();

    listener.assertNoEvent();
    assertThat(watcher.current()).isSameAs(initial);
  }

  @Test
  void throwingListenerDoesNotStopTheWatcher() throws Exception {
    Path file = write("allowlist.conf", A);
    listener.throwOnReload = true;
    watcher = AllowlistWatcher.start(file, Allowlist.load(file), FAST, listener);

    replace(file, B);
    assertThat(listener.awaitReload().next().entryNames()).containsExactly("b");

    replace(file, A);
    assertThat(listener.awaitReload().next().entryNames()).containsExactly("a");
  }

  @Test
  void closeStopsTheThreadAndLaterEditsAreIgnored() throws Exception {
    Path file = write("allowlist.conf", A);
    watcher = AllowlistWatcher.start(file, Allowlist.load(file), FAST, listener);
    replace(file, B);
    Reloaded reload = listener.awaitReload();

    watcher.close();

    assertThat(reload.thread().isAlive()).isFalse();
    Files.writeString(file, INVALID);
    watcher.checkNow();
    listener.assertNoEvent();
    assertThat(watcher.current()).isSameAs(reload.next());
    watcher.close();
  }

  @Test
  void startRefusesANegativePollInterval() throws Exception {
    Path file = write("allowlist.conf", A);
    Allowlist initial = Allowlist.load(file);

    assertThatThrownBy(() -> AllowlistWatcher.start(file, initial, Duration.ofMillis(-1), listener))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("pollInterval must not be negative");
  }

  @Test
  void withoutPollingAnEditIsTakenWhenACheckIsAsked() throws Exception {
    Path file = write("allowlist.conf", A);
    watcher = AllowlistWatcher.start(file, Allowlist.load(file), Duration.ZERO, listener);
    replace(file, B);

    watcher.checkNow();

    assertThat(listener.awaitReload().next().entryNames()).containsExactly("b");
    assertThat(watcher.current().entryNames()).containsExactly("b");
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  /** Replaces the file's content at once, so a poll never sees it half-written. */
  private void replace(Path file, String text) throws IOException {
    Path next = write(file.getFileName() + ".next", text);
    Files.move(next, file, StandardCopyOption.ATOMIC_MOVE);
  }

  record Reloaded(Allowlist previous, Allowlist next, Thread thread) {}

  /** Records every callback in order; can throw after recording, as a broken listener would. */
  static final class RecordingListener implements AllowlistWatcher.Listener {
    private final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
    volatile boolean throwOnReload;
    volatile AllowlistException lastRejection;

    @Override
    public void reloaded(Allowlist previous, Allowlist next) {
      events.add(new Reloaded(previous, next, Thread.currentThread()));
      if (throwOnReload) {
        throw new IllegalStateException("listener bug (thrown on purpose by the test)");
      }
    }

    @Override
    public void rejected(AllowlistException problems) {
      lastRejection = problems;
      events.add(problems);
    }

    Reloaded awaitReload() throws InterruptedException {
      Object event = nextEvent();
      assertThat(event).isInstanceOf(Reloaded.class);
      return (Reloaded) event;
    }

    /**
     * Waits for a reload to a policy whose only entry is {@code entryName}, skipping earlier
     * events: a file written in place can be seen half-written on the way.
     */
    Reloaded awaitReloadTo(String entryName) throws InterruptedException {
      while (true) {
        if (nextEvent() instanceof Reloaded reload
            && reload.next().entryNames().equals(List.of(entryName))) {
          return reload;
        }
      }
    }

    AllowlistException awaitRejection() throws InterruptedException {
      Object event = nextEvent();
      assertThat(event).isInstanceOf(AllowlistException.class);
      return (AllowlistException) event;
    }

    /** The next callback, waiting for it; generous, since a loaded CI machine can be slow. */
    Object nextEvent() throws InterruptedException {
      Object event = events.poll(10, TimeUnit.SECONDS);
      if (event == null) {
        fail("the watcher reported nothing within 10 s");
      }
      return event;
    }

    void assertNoEvent() {
      assertThat(events).isEmpty();
    }
  }
}
