package dev.patchgate.audit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.zip.ZipException;

/**
 * Finds, at writer start-up, where the existing chain ends and how the previous run ended, reading
 * only the end of the last day file (all of it when that one is gzipped).
 *
 * <p>Stateless.
 */
final class ChainRecovery {
  private ChainRecovery() {}

  /**
   * Where the chain ends.
   *
   * @param floor the earliest day the writer may still append to: the last day file's day, or the
   *     day after it when that file is already gzipped; {@code null} when there are no day files
   * @param seq the last complete line's seq, 0 when there is none
   * @param hash the last complete line's hash, {@link HashChain#START_HASH} when there is none
   * @param anyLine whether any complete line was found
   * @param cleanStop whether the last complete line is a {@code stop} marker and nothing follows it
   * @param problem why the chain cannot be continued (the last line is not a chained line, or a
   *     gzipped day cannot be read), or {@code null}; {@code seq} and {@code hash} then start anew
   */
  record State(
      LocalDate floor, long seq, String hash, boolean anyLine, boolean cleanStop, String problem) {

    /** Whether start-up must write a {@code gap} marker (or a torn-line repair) before anything. */
    boolean uncleanStop() {
      return anyLine && !cleanStop;
    }
  }

  /**
   * Reads the chain's end in {@code dir}; a missing directory is an empty log.
   *
   * @throws IOException if a file cannot be read for a reason other than damaged content (which is
   *     reported as {@link State#problem}), so that the caller retries
   */
  static State recover(Path dir) throws IOException {
    List<AuditDayFile> days;
    try {
      days = AuditFiles.auditDays(dir);
    } catch (NoSuchFileException e) {
      return new State(null, 0, HashChain.START_HASH, false, false, null);
    }
    if (days.isEmpty()) {
      return new State(null, 0, HashChain.START_HASH, false, false, null);
    }
    AuditDayFile last = days.get(days.size() - 1);
    LocalDate floor = last.gzipped() ? last.date().plusDays(1) : last.date();
    boolean torn = false;
    for (int i = days.size() - 1; i >= 0; i--) {
      AuditDayFile day = days.get(i);
      byte[] lastLine;
      if (day.gzipped()) {
        try {
          lastLine = lastLineOfGzipped(day);
        } catch (ZipException | EOFException e) {
          return restart(
              floor, day.fileName() + " cannot be decompressed (" + e.getMessage() + ")");
        }
      } else {
        try (FileChannel channel = FileChannel.open(day.path(), StandardOpenOption.READ)) {
          FileTail.Tail tail = FileTail.read(channel);
          lastLine = tail.lastLine();
          // Only the file the writer appends to can be repaired; elsewhere it is damage to report.
          torn |= i == days.size() - 1 && tail.torn() != null;
        }
      }
      if (lastLine == null) {
        continue;
      }
      try {
        ChainedLine line = ChainedLine.parse(lastLine);
        boolean stop = AuditMarkers.STOP.equals(line.type()) && !torn;
        return new State(floor, line.seq(), line.hash(), true, stop, null);
      } catch (IllegalArgumentException e) {
        return restart(
            floor,
            "the last line of " + day.fileName() + " is not a chained line: " + e.getMessage());
      }
    }
    return new State(floor, 0, HashChain.START_HASH, torn, false, null);
  }

  private static State restart(LocalDate floor, String problem) {
    return new State(floor, 0, HashChain.START_HASH, true, false, problem);
  }

  private static byte[] lastLineOfGzipped(AuditDayFile day) throws IOException {
    byte[] last = null;
    try (InputStream in = AuditFiles.openDay(day)) {
      RawLines lines = new RawLines(in);
      for (RawLines.Line line = lines.next(); line != null; line = lines.next()) {
        if (line.terminated()) {
          last = line.bytes();
        }
      }
    }
    return last;
  }
}
