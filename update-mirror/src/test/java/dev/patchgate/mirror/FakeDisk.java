package dev.patchgate.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A file system of a given capacity holding only the store: usable space is the capacity minus the
 * bytes of every file under the store directory, so deletions free space as on a real disk.
 */
final class FakeDisk implements UsableSpace {
  private final Path dir;
  private volatile long capacity;

  FakeDisk(Path dir, long capacity) {
    this.dir = dir;
    this.capacity = capacity;
  }

  void capacity(long bytes) {
    capacity = bytes;
  }

  @Override
  public long bytes() {
    return capacity - used();
  }

  long used() {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(FakeDisk::size).sum();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
