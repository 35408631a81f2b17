package dev.patchgate.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Objects;
import java.util.Optional;

/**
 * How far the audit forwarder has handed the day files to the central collector: the day and the
 * byte offset (of the uncompressed file) of the first line the collector may not have yet. Kept in
 * {@value #FILE_NAME} in the audit directory, so that the day files themselves are the forwarder's
 * spool and a restart goes on where the last one stopped.
 *
 * <p>The file is also what keeps housekeeping from deleting a day the collector has not had (see
 * {@link MaintenancePolicy}); an operator who turns forwarding off for good deletes it.
 *
 * @param day the UTC day of the file the offset is in
 * @param offset bytes of that day's file already forwarded, at a line boundary
 */
public record ForwardCursor(LocalDate day, long offset) {
  /** The cursor's file in the audit directory. */
  public static final String FILE_NAME = "forward.cursor";

  /** Checks the values. */
  public ForwardCursor {
    Objects.requireNonNull(day, "day");
    if (offset < 0) {
      throw new IllegalArgumentException("offset: " + offset + " (expected: >= 0)");
    }
  }

  /**
   * The cursor saved in {@code dir}, or empty when there is none or it cannot be read (then the
   * forwarder starts as if new, which can only send lines again, never skip them).
   */
  public static Optional<ForwardCursor> read(Path dir) {
    try {
      String text = Files.readString(dir.resolve(FILE_NAME), StandardCharsets.US_ASCII).strip();
      int space = text.indexOf(' ');
      if (space < 0) {
        return Optional.empty();
      }
      return Optional.of(
          new ForwardCursor(
              LocalDate.parse(text.substring(0, space)),
              Long.parseLong(text.substring(space + 1))));
    } catch (IOException | DateTimeException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  /**
   * Saves this cursor in {@code dir} so that it survives a crash or a power loss: a temporary file,
   * fsynced, renamed over the old one, the directory fsynced.
   *
   * @throws IOException if any step fails; the previous cursor is then still in place
   */
  public void write(Path dir) throws IOException {
    Path tmp = dir.resolve(FILE_NAME + ".tmp");
    byte[] text = (day + " " + offset + "\n").getBytes(StandardCharsets.US_ASCII);
    try (FileChannel out =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE)) {
      ByteBuffer bytes = ByteBuffer.wrap(text);
      while (bytes.hasRemaining()) {
        out.write(bytes);
      }
      out.force(false);
    }
    Files.move(tmp, dir.resolve(FILE_NAME), StandardCopyOption.ATOMIC_MOVE);
    DailyAuditFiles.forceDirectory(dir);
  }

  /** Whether this cursor is past {@code other}: a later day, or further into the same day. */
  public boolean isAfter(ForwardCursor other) {
    int days = day.compareTo(other.day);
    return days > 0 || (days == 0 && offset > other.offset);
  }
}
