package dev.patchgate.audit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Encoded lines of an unchained log (the Squid-format access log) that are not yet written, grouped
 * by the day file they belong to, in the order they were added.
 *
 * <p>Each line is its own buffer, so that after a failed write exactly the lines that were not
 * completely written are kept, and a line cut in the middle is written again whole. Confined to the
 * writer thread; not thread-safe.
 */
final class PendingLines {
  // Lines per gathering write: large enough to amortise the system call, below Linux's IOV_MAX.
  private static final int GATHER = 512;

  private final Map<LocalDate, ArrayDeque<ByteBuffer>> byDate = new LinkedHashMap<>();
  private final ByteBuffer[] group = new ByteBuffer[GATHER];
  private int size;
  private long bytes;

  /** Adds one encoded line, its newline included, for the file of {@code date}. */
  void add(LocalDate date, byte[] line) {
    byDate.computeIfAbsent(date, d -> new ArrayDeque<>()).addLast(ByteBuffer.wrap(line));
    size++;
    bytes += line.length;
  }

  boolean isEmpty() {
    return size == 0;
  }

  /** The number of lines not yet written. */
  int size() {
    return size;
  }

  /** The number of bytes not yet written, counting a partly written line in full. */
  long bytes() {
    return bytes;
  }

  /**
   * Writes every line to its day file and forgets it once it is completely written.
   *
   * @throws IOException on the first failure; the lines not completely written are kept for the
   *     next attempt
   */
  void writeTo(DailyAuditFiles files) throws IOException {
    Iterator<Map.Entry<LocalDate, ArrayDeque<ByteBuffer>>> days = byDate.entrySet().iterator();
    while (days.hasNext()) {
      Map.Entry<LocalDate, ArrayDeque<ByteBuffer>> day = days.next();
      DailyAuditFiles.Opened file = files.open(day.getKey());
      if (file.torn() != null) {
        // This log is not chained: ending the cut line is all that keeps the next one whole.
        writeFully(file.channel(), ByteBuffer.wrap(new byte[] {'\n'}));
      }
      files.written();
      writeAll(day.getValue(), file.channel());
      days.remove();
    }
  }

  /** The earliest day with lines not yet written, or {@code null} when there are none. */
  LocalDate oldestDay() {
    return byDate.isEmpty() ? null : byDate.keySet().iterator().next();
  }

  private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }

  private void writeAll(ArrayDeque<ByteBuffer> lines, FileChannel channel) throws IOException {
    while (!lines.isEmpty()) {
      int count = 0;
      for (ByteBuffer line : lines) {
        group[count++] = line;
        if (count == GATHER) {
          break;
        }
      }
      try {
        int first = 0;
        while (first < count) {
          channel.write(group, first, count - first);
          while (first < count && !group[first].hasRemaining()) {
            first++;
          }
        }
      } finally {
        forgetWritten(lines, count);
      }
    }
  }

  // Identity, not equality: the line written is the very buffer at the head of the queue.
  @SuppressWarnings("ReferenceEquality")
  private void forgetWritten(ArrayDeque<ByteBuffer> lines, int count) {
    for (int i = 0; i < count; i++) {
      ByteBuffer line = group[i];
      group[i] = null;
      if (line.hasRemaining()) {
        // Cut by a failure: the file gets a newline before the next attempt, so write it all again.
        line.rewind();
      } else if (lines.peekFirst() == line) {
        lines.removeFirst();
        size--;
        bytes -= line.capacity();
      }
    }
  }
}
