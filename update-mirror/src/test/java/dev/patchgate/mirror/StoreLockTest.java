package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreLockTest {
  @TempDir Path dir;
  private StoreLayout layout;

  @BeforeEach
  void setUp() throws IOException {
    layout = new StoreLayout(dir);
    layout.createDirectories();
  }

  @Test
  void aSecondHoldInThisProcessIsRefusedUntilTheFirstIsReleased() throws IOException {
    StoreLock first = StoreLock.acquire(dir, layout);

    assertThatThrownBy(() -> StoreLock.acquire(dir, layout))
        .isInstanceOf(IOException.class)
        .hasMessage("mirror store " + dir + " is already open in this process");

    first.release();
    StoreLock.acquire(dir, layout).release();
  }

  @Test
  void theLockFileIsLockedWhileHeldAndFreeAfterRelease() throws IOException {
    StoreLock lock = StoreLock.acquire(dir, layout);
    try (FileChannel other = FileChannel.open(layout.lockFile, StandardOpenOption.WRITE)) {
      assertThatThrownBy(other::tryLock).isInstanceOf(OverlappingFileLockException.class);

      lock.release();

      FileLock taken = other.tryLock();
      assertThat(taken).isNotNull();
      taken.release();
    }
  }

  @Test
  void aLockFileThatCannotBeOpenedLeavesTheDirectoryFreeForTheNextTry() throws IOException {
    Files.createDirectory(layout.lockFile); // a directory cannot be opened for writing

    assertThatThrownBy(() -> StoreLock.acquire(dir, layout)).isInstanceOf(IOException.class);

    Files.delete(layout.lockFile);
    StoreLock.acquire(dir, layout).release();
  }
}
