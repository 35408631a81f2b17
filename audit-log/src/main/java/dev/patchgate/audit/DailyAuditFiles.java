package dev.patchgate.audit;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.Objects;

/**
 * The day file one log is currently appending to, e.g. {@code audit-2026-11-23.jsonl}, opened in
 * append mode; at most one is open, because the writer never goes back to an earlier day.
 *
 * <p>Confined to the writer thread; not thread-safe.
 */
final class DailyAuditFiles {
  private final Path dir;
  private final DayFileName.Kind kind;
  private LocalDate openDate;
  private FileChannel channel;
  private Object fileKey;
  private boolean unforced;

  DailyAuditFiles(Path dir, DayFileName.Kind kind) {
    this.dir = dir;
    this.kind = kind;
  }

  /**
   * An open day file.
   *
   * @param channel appends to the file
   * @param torn when the file was opened just now and its last line has no newline (a crash or a
   *     failed write cut it), those bytes; {@code null} otherwise. The caller ends it before
   *     writing.
   */
  record Opened(FileChannel channel, FileTail.Torn torn) {}

  /**
   * Returns the file of {@code date} open for appending.
   *
   * <p>An open file is first checked to be still the one at its path: on Linux, writing to a file
   * whose directory was removed succeeds and the records vanish with the inode, so a removed or
   * replaced file is reopened, recreating the directory if it is gone. Opening another day's file
   * fsyncs and closes the previous one.
   *
   * @throws IOException if the directory or file cannot be created, opened or read
   */
  Opened open(LocalDate date) throws IOException {
    Path path = dir.resolve(kind.plainName(date));
    if (channel != null && date.equals(openDate) && isStillAt(path)) {
      return new Opened(channel, null);
    }
    if (channel != null && !date.equals(openDate)) {
      force();
    }
    close();
    Files.createDirectories(dir);
    boolean created = !Files.exists(path);
    FileChannel opened =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    FileTail.Torn torn;
    try {
      if (created) {
        forceDirectory(dir);
      }
      // An APPEND channel cannot read, so look at the tail through a second one.
      try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
        torn = FileTail.readTorn(reader);
      }
      fileKey = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
    } catch (IOException | RuntimeException e) {
      closeQuietly(opened);
      throw e;
    }
    channel = opened;
    openDate = date;
    return new Opened(opened, torn);
  }

  /** Notes that the open file has data the next {@link #force} must bring to disk. */
  void written() {
    unforced = true;
  }

  /** Whether data was written that is not yet fsynced. */
  boolean hasUnforcedData() {
    return unforced;
  }

  /**
   * Fsyncs what was written since the last call, so that it survives a power loss.
   *
   * @throws IOException if the file cannot be synced; the data stays marked as unforced
   */
  void force() throws IOException {
    if (unforced && channel != null) {
      channel.force(false);
    }
    unforced = false;
  }

  /** The day of the open file, or {@code null}. */
  LocalDate openDate() {
    return channel == null ? null : openDate;
  }

  /** Closes the open file, so that the next {@link #open} starts afresh; never throws. */
  void close() {
    if (channel != null) {
      closeQuietly(channel);
      channel = null;
    }
  }

  /** Fsyncs {@code dir} itself, so that a file created or renamed in it survives a power loss. */
  static void forceDirectory(Path dir) {
    try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
      d.force(true);
    } catch (IOException e) {
      // Not every file system lets a directory be synced; the file's own data is still forced.
    }
  }

  private boolean isStillAt(Path path) {
    try {
      Object current = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      return fileKey == null || Objects.equals(fileKey, current);
    } catch (IOException e) {
      return false;
    }
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Everything written was handed to the OS already; a failing close loses nothing of ours.
    }
  }
}
