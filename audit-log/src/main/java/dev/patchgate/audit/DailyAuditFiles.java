package dev.patchgate.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The open day files of one audit directory, {@code audit-YYYY-MM-DD.jsonl}, each opened in append
 * mode.
 *
 * <p>Confined to the writer thread; not thread-safe.
 */
final class DailyAuditFiles {
  // Today and yesterday: around midnight, records of both days finish interleaved.
  private static final int MAX_OPEN = 2;

  private final Path dir;
  private final Map<LocalDate, OpenFile> open = new LinkedHashMap<>(4, 0.75f, true);

  DailyAuditFiles(Path dir) {
    this.dir = dir;
  }

  /**
   * Returns a channel appending to the file of {@code date}, opening it if needed.
   *
   * <p>An open file is first checked to be still the one at its path: on Linux, writing to a file
   * whose directory was removed succeeds and the records vanish with the inode, so a removed or
   * replaced file is reopened, recreating the directory if it is gone. A file whose last byte is
   * not a newline (a torn line from a crash or a failed write) gets one first, so the next record
   * starts on its own line.
   *
   * @throws IOException if the directory or file cannot be created or opened
   */
  FileChannel channelFor(LocalDate date) throws IOException {
    Path path = dir.resolve(JsonLinesAuditWriter.fileNameFor(date));
    OpenFile file = open.get(date);
    if (file != null) {
      if (file.isStillAt(path)) {
        return file.channel();
      }
      open.remove(date);
      closeQuietly(file);
    }
    Files.createDirectories(dir);
    FileChannel channel =
        FileChannel.open(
            path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    try {
      terminateTornLine(path, channel);
      Object key = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
      open.put(date, new OpenFile(channel, key));
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    evictOldest();
    return channel;
  }

  /** Closes every open file, so that the next {@link #channelFor} starts afresh; never throws. */
  void closeAll() {
    for (OpenFile file : open.values()) {
      closeQuietly(file);
    }
    open.clear();
  }

  private void evictOldest() {
    if (open.size() <= MAX_OPEN) {
      return;
    }
    for (LocalDate date : new ArrayList<>(open.keySet())) {
      if (open.size() <= MAX_OPEN) {
        return;
      }
      closeQuietly(open.remove(date));
    }
  }

  private static void terminateTornLine(Path path, FileChannel appender) throws IOException {
    // An APPEND channel cannot read, so look at the last byte through a second one.
    try (FileChannel reader = FileChannel.open(path, StandardOpenOption.READ)) {
      long size = reader.size();
      if (size == 0) {
        return;
      }
      ByteBuffer last = ByteBuffer.allocate(1);
      reader.read(last, size - 1);
      if (last.get(0) == '\n') {
        return;
      }
    }
    ByteBuffer newline = ByteBuffer.wrap(new byte[] {'\n'});
    while (newline.hasRemaining()) {
      appender.write(newline);
    }
  }

  private static void closeQuietly(OpenFile file) {
    closeQuietly(file.channel());
  }

  private static void closeQuietly(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      // Everything written was handed to the OS already; a failing close loses nothing of ours.
    }
  }

  private record OpenFile(FileChannel channel, Object fileKey) {
    boolean isStillAt(Path path) {
      try {
        Object current = Files.readAttributes(path, BasicFileAttributes.class).fileKey();
        return fileKey == null || Objects.equals(fileKey, current);
      } catch (IOException e) {
        return false;
      }
    }
  }
}
