package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This process's hold on one store directory: its place among the stores open in this JVM and the
 * lock on {@code dir/lock} that keeps other processes out.
 *
 * <p>Taken once when the store opens and released once when it closes; {@link #acquire} and {@link
 * #release} are blocking (they open, lock and close a file). Thread-safe: the set of open
 * directories is shared by every store in the JVM.
 */
final class StoreLock {
  /**
   * The stores open in this JVM, by real directory. Checked before the lock file is opened: closing
   * any channel on a file drops every POSIX lock this process holds on it, so a second open that
   * merely tried the lock would end the first store's lock.
   */
  private static final Set<Path> OPEN_HERE = ConcurrentHashMap.newKeySet();

  private final Path realDir;
  private final FileChannel channel;
  private final FileLock lock;

  private StoreLock(Path realDir, FileChannel channel, FileLock lock) {
    this.realDir = realDir;
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the store in {@code dir} (which must exist) for this process.
   *
   * @throws IOException if another open store in this process, or another process, holds it, or the
   *     lock file cannot be opened
   */
  static StoreLock acquire(Path dir, StoreLayout layout) throws IOException {
    Path realDir = dir.toRealPath();
    if (!OPEN_HERE.add(realDir)) {
      throw new IOException("mirror store " + dir + " is already open in this process");
    }
    try {
      return lockFile(dir, layout, realDir);
    } catch (IOException | RuntimeException e) {
      OPEN_HERE.remove(realDir);
      throw e;
    }
  }

  private static StoreLock lockFile(Path dir, StoreLayout layout, Path realDir) throws IOException {
    FileChannel channel =
        FileChannel.open(layout.lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (IOException e) {
      channel.close();
      throw e;
    }
    if (lock == null) {
      channel.close();
      throw new IOException(
          "mirror store "
              + dir
              + " is in use by another patchgate process (it holds "
              + layout.lockFile
              + ")");
    }
    return new StoreLock(realDir, channel, lock);
  }

  /**
   * Gives the directory up: releases the file lock and closes its channel, and lets this process
   * open the directory again even when that fails. Call once.
   */
  void release() throws IOException {
    try {
      lock.release();
      channel.close();
    } finally {
      OPEN_HERE.remove(realDir);
    }
  }
}
