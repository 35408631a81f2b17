package dev.patchgate.audit.forward;

import dev.patchgate.audit.AuditDayFile;
import dev.patchgate.audit.AuditFiles;
import dev.patchgate.audit.ForwardCursor;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Reads the audit day files as the forwarder's spool: complete lines from a position on, in the
 * order the writer wrote them, day after day, plain or gzipped.
 *
 * <p>A line counts once its newline is in the file; the bytes after the last newline are a line
 * still being written (or a torn one the writer will end at its next start) and wait. A day is left
 * for the next one only once a later day's file exists and the day has been read to its end after
 * that was seen, because the writer never goes back to a day once it has started a later one.
 *
 * <p>Confined to the forwarder's thread; not thread-safe.
 */
final class SpoolReader implements AutoCloseable {
  /** Longer than any line the writer produces; bounds memory on a damaged file. */
  static final int MAX_LINE = 16 * 1024 * 1024;

  private final Path dir;
  private ForwardCursor position;
  private AuditDayFile file;
  private FileChannel plain;
  private InputStream gzipped;
  private byte[] buffer = new byte[256 * 1024];
  private int start;
  private int end;

  SpoolReader(Path dir, ForwardCursor from) {
    this.dir = dir;
    this.position = from;
  }

  /**
   * Some complete lines.
   *
   * @param lines each line without its newline, in order
   * @param end the position just after the last line's newline
   */
  record Batch(List<byte[]> lines, ForwardCursor end, long bytes) {
    boolean isEmpty() {
      return lines.isEmpty();
    }
  }

  /** The position of the next line {@link #next} hands out. */
  ForwardCursor position() {
    return position;
  }

  /** Goes back (or forward) to {@code to}; the next batch starts there. */
  void seek(ForwardCursor to) {
    closeFile();
    position = to;
  }

  /**
   * The next complete lines from the current position, up to about {@code maxBytes} (at least one
   * line when there is one); empty when the writer has nothing more yet. Fsyncs a plain day file
   * before handing out its lines, so that nothing is forwarded that a power loss could take from
   * the gateway's own copy.
   *
   * @throws IOException if a day file cannot be read
   */
  Batch next(int maxBytes) throws IOException {
    boolean laterDaySeen = false;
    while (true) {
      if (file == null && !open()) {
        return empty();
      }
      Batch batch = take(maxBytes);
      if (!batch.isEmpty()) {
        return batch;
      }
      int read = fill();
      if (read > 0) {
        continue;
      }
      if (laterDaySeen) {
        // Read to its end after a later day appeared: the writer is done with this day.
        if (end > start) {
          // A damaged day that ends inside a line: forwarded as it is, so that the collector's
          // copy shows the same damage the gateway's verify does, rather than hiding it.
          return takeRest();
        }
        Optional<AuditDayFile> later = laterDay();
        if (later.isEmpty()) {
          return empty();
        }
        seek(new ForwardCursor(later.get().date(), 0));
        laterDaySeen = false;
        continue;
      }
      if (laterDay().isEmpty()) {
        return empty();
      }
      laterDaySeen = true;
    }
  }

  private Batch empty() {
    return new Batch(List.of(), position, 0);
  }

  private Batch take(int maxBytes) {
    List<byte[]> lines = new ArrayList<>();
    int at = start;
    int taken = 0;
    for (int i = start; i < end && taken < maxBytes; i++) {
      if (buffer[i] == '\n') {
        byte[] line = new byte[i - at];
        System.arraycopy(buffer, at, line, 0, line.length);
        lines.add(line);
        taken += line.length + 1;
        at = i + 1;
      }
    }
    if (lines.isEmpty()) {
      return empty();
    }
    start = at;
    position = new ForwardCursor(position.day(), position.offset() + taken);
    return new Batch(lines, position, taken);
  }

  private Batch takeRest() {
    byte[] line = Arrays.copyOfRange(buffer, start, end);
    position = new ForwardCursor(position.day(), position.offset() + line.length);
    start = end;
    return new Batch(List.of(line), position, line.length);
  }

  /** Reads more of the current day behind what is buffered; the bytes read, 0 at its end. */
  private int fill() throws IOException {
    if (start > 0) {
      System.arraycopy(buffer, start, buffer, 0, end - start);
      end -= start;
      start = 0;
    }
    if (end == buffer.length) {
      if (buffer.length >= MAX_LINE) {
        throw new IOException(
            file.fileName()
                + ": a line longer than "
                + MAX_LINE
                + " bytes at "
                + position.offset());
      }
      buffer = Arrays.copyOf(buffer, Math.min(MAX_LINE, buffer.length * 2));
    }
    int n;
    if (plain != null) {
      long filePosition = position.offset() + end;
      n = plain.read(ByteBuffer.wrap(buffer, end, buffer.length - end), filePosition);
      if (n > 0) {
        plain.force(false);
      }
    } else {
      n = gzipped.read(buffer, end, buffer.length - end);
    }
    if (n <= 0) {
      return 0;
    }
    end += n;
    return n;
  }

  /** Opens the day of the current position, or the first later one; false when there is none. */
  private boolean open() throws IOException {
    for (AuditDayFile day : AuditFiles.auditDays(dir)) {
      if (day.date().isBefore(position.day())) {
        continue;
      }
      if (day.date().isAfter(position.day())) {
        // The cursor's day is gone (never written, or deleted by hand): go on with the next.
        position = new ForwardCursor(day.date(), 0);
      }
      file = day;
      start = 0;
      end = 0;
      if (day.gzipped()) {
        gzipped = AuditFiles.openDay(day);
        skip(gzipped, position.offset());
      } else {
        plain = FileChannel.open(day.path(), StandardOpenOption.READ);
      }
      return true;
    }
    return false;
  }

  private Optional<AuditDayFile> laterDay() throws IOException {
    LocalDate today = position.day();
    return AuditFiles.auditDays(dir).stream().filter(d -> d.date().isAfter(today)).findFirst();
  }

  private static void skip(InputStream in, long bytes) throws IOException {
    long left = bytes;
    while (left > 0) {
      long skipped = in.skip(left);
      if (skipped <= 0) {
        if (in.read() < 0) {
          throw new EOFException("the gzipped day is shorter than the cursor's offset " + bytes);
        }
        skipped = 1;
      }
      left -= skipped;
    }
  }

  private void closeFile() {
    try {
      if (plain != null) {
        plain.close();
      }
      if (gzipped != null) {
        gzipped.close();
      }
    } catch (IOException e) {
      // Only read from; nothing to lose.
    }
    plain = null;
    gzipped = null;
    file = null;
    start = 0;
    end = 0;
  }

  @Override
  public void close() {
    closeFile();
  }
}
