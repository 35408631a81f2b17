package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * A real, small file system mounted for one test: a tmpfs of a few megabytes that fills up, or
 * turns read-only and back, as a full or failing disk does, with the kernel's own errors ({@code
 * ENOSPC}, {@code EROFS}). Mounting needs root, which the tests have here and in CI; elsewhere the
 * test is skipped with the reason, unless {@code PATCHGATE_PACKAGE_TESTS=required} (set by CI),
 * where it fails instead, so the guard is never silently untested there.
 */
final class SmallFileSystem implements AutoCloseable {
  private final Path dir;
  private boolean mounted;

  private SmallFileSystem(Path dir) {
    this.dir = dir;
  }

  /**
   * Mounts a tmpfs of {@code size} (as {@code mount -o size=} takes it, e.g. {@code 8m}) on {@code
   * dir}, created if missing; skips (or fails, see the class comment) the test when it cannot.
   */
  static SmallFileSystem mount(Path dir, String size) throws IOException {
    String uid = exec("id", "-u").output().strip();
    requirePossible(
        "0".equals(uid),
        "mounting a small file system needs root (uid is " + uid + "); run the tests as root");
    Files.createDirectories(dir);
    SmallFileSystem fs = new SmallFileSystem(dir);
    String failure = mountCommand("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir);
    requirePossible(failure == null, "cannot mount a tmpfs on " + dir + ": " + failure);
    fs.mounted = true;
    return fs;
  }

  Path dir() {
    return dir;
  }

  /** Usable bytes left on the file system now. */
  long usable() throws IOException {
    return Files.getFileStore(dir).getUsableSpace();
  }

  /** Fills the file system up to {@code leave} usable bytes with a file named {@code name}. */
  Path fillLeaving(String name, long leave) throws IOException {
    Path ballast = dir.resolve(name);
    long want = usable() - leave;
    byte[] chunk = new byte[64 * 1024];
    try (var out = Files.newOutputStream(ballast)) {
      while (want > 0) {
        int n = (int) Math.min(chunk.length, want);
        out.write(chunk, 0, n);
        want -= n;
      }
    } catch (IOException e) {
      // Full a little early (the gateway wrote meanwhile, or a page's rounding): as asked.
      if (usable() > leave) {
        throw e;
      }
    }
    return ballast;
  }

  /**
   * Turns the file system read-only: every write fails with {@code EROFS}, root's too. The kernel
   * refuses while a file is open for writing on it, so this tries again for up to 10 s (a writer
   * that closed its files after a failure may reopen them briefly to retry).
   */
  void readOnly() {
    Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> mountCommand("mount", "-o", "remount,ro", dir) == null);
  }

  /** Makes it writable again. */
  void writable() {
    remount("rw");
  }

  private void remount(String mode) {
    String failure = mountCommand("mount", "-o", "remount," + mode, dir);
    assertThat(failure).as("remount %s %s", mode, dir).isNull();
  }

  /** Unmounts; what was on the file system is gone. */
  @Override
  public void close() {
    if (mounted) {
      // Lazily, so a file the gateway still holds open does not keep the mount (and the test's
      // temporary directory) alive.
      String failure = mountCommand("umount", "-l", dir);
      assertThat(failure).as("umount %s", dir).isNull();
      mounted = false;
    }
  }

  private static void requirePossible(boolean possible, String why) {
    if ("required".equals(System.getenv("PATCHGATE_PACKAGE_TESTS"))) {
      assertThat(possible).as(why + " (PATCHGATE_PACKAGE_TESTS=required)").isTrue();
    }
    assumeTrue(possible, why);
  }

  /** Runs a command; null when it worked, else what it said. */
  private static String mountCommand(Object... command) {
    return exec(command).failure();
  }

  private record Outcome(int exit, String output, String failure) {}

  private static Outcome exec(Object... command) {
    List<String> args = new ArrayList<>();
    for (Object part : command) {
      args.add(part.toString());
    }
    String line = String.join(" ", args);
    try {
      Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return new Outcome(-1, output, line + " did not finish");
      }
      int exit = p.exitValue();
      return new Outcome(exit, output, exit == 0 ? null : line + ": " + output.strip());
    } catch (IOException e) {
      return new Outcome(-1, "", line + ": " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome(-1, "", line + ": interrupted");
    }
  }
}
