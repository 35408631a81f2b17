package dev.patchgate.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JSON day files of one audit directory as one hash chain: lines not yet written, the day each
 * goes to, their seq and hash, and the repair of what a crash or a failed write left behind.
 *
 * <p>Days only move forward: a line goes to the file of its record's UTC date, unless a later day
 * has been written to already, then to that later day's file. The chain runs through the files in
 * date order, so a finished day must never be appended to again (a download that started before
 * midnight and ended after the new day's first record is therefore in the new day's file).
 *
 * <p>A line is sealed (given its seq and hash) just before each write attempt, from the last line
 * that was completely written, so that after a failed write the chain continues from what is really
 * on disk. When a file turns out to end in a line without its newline (a crash, or a write cut
 * short), that line is kept as evidence: it gets its newline and, unless it is a whole line that
 * continues the chain, a {@code gap} marker naming its length and SHA-256 follows it.
 *
 * <p>Confined to the writer thread; not thread-safe.
 */
final class ChainedAuditLog {
  // Lines per gathering write: large enough to amortise the system call, below Linux's IOV_MAX.
  private static final int GATHER = 512;
  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate.audit");

  private final Path dir;
  private final Clock clock;
  private final DailyAuditFiles files;
  private final ArrayDeque<Entry> entries = new ArrayDeque<>();
  private final ByteBuffer[] group = new ByteBuffer[GATHER];
  private final HashChain.Sealed[] sealed = new HashChain.Sealed[GATHER];

  // Null until the end of the existing chain has been read.
  private HashChain chain;
  private LocalDate floor;
  private boolean repairDue;
  private boolean uncleanStopDue;
  private String restartProblem;
  private boolean started;
  private boolean wroteThisRun;
  private long pendingRecords;
  private long pendingBytes;
  private long recordsWritten;

  ChainedAuditLog(Path dir, Clock clock) {
    this.dir = dir;
    this.clock = clock;
    this.files = new DailyAuditFiles(dir, DayFileName.Kind.AUDIT);
  }

  /**
   * One line to write.
   *
   * @param day for a record its UTC date, for a marker the day it must go to or {@code null} for
   *     "the current day"
   * @param body the JSON object without its closing brace
   * @param squidLine the record's access-log line, or {@code null}
   * @param record whether this is an exchange record (rather than a marker)
   */
  private record Entry(LocalDate day, byte[] body, byte[] squidLine, boolean record) {}

  /** Queues one exchange record, encoded as a body, with its access-log line or {@code null}. */
  void addRecord(LocalDate utcDate, byte[] body, byte[] squidLine) {
    entries.addLast(new Entry(utcDate, body, squidLine, true));
    pendingRecords++;
    pendingBytes += body.length;
  }

  /** Queues a marker built by {@link AuditMarkers}, for the current day. */
  void addMarker(byte[] body) {
    entries.addLast(new Entry(null, body, null, false));
    pendingBytes += body.length;
  }

  /** Whether this run has queued its {@code start} marker, so that a {@code stop} must close it. */
  boolean started() {
    return started;
  }

  /** Whether nothing is waiting to be written, start-up repair included. */
  boolean isIdle() {
    return entries.isEmpty() && chain != null && !repairDue;
  }

  long pendingRecords() {
    return pendingRecords;
  }

  long pendingBytes() {
    return pendingBytes;
  }

  /** How many records this run has written completely. */
  long recordsWritten() {
    return recordsWritten;
  }

  /** The earliest day that may still be written to, or {@code null} while unknown. */
  LocalDate floor() {
    return floor;
  }

  boolean hasUnforcedData() {
    return files.hasUnforcedData();
  }

  /**
   * Writes every queued line in order, starting with the start-up repair if one is due, and hands
   * each written record's access-log line to {@code squidOut} under the day it was written to. Does
   * not fsync; see {@link #force}.
   *
   * @throws IOException on the first failure; what was not completely written stays queued
   */
  void write(PendingLines squidOut) throws IOException {
    recover();
    if (repairDue) {
      repairAtStart(squidOut);
    }
    while (!entries.isEmpty()) {
      Entry head = entries.peekFirst();
      if (head.record() && !started) {
        // Lazily, so that a run that never writes a record leaves the log as it found it.
        entries.addFirst(new Entry(dayOf(head), AuditMarkers.start(clock.instant()), null, false));
        pendingBytes += entries.peekFirst().body().length;
        started = true;
        continue;
      }
      LocalDate day = dayOf(head);
      FileChannel channel = openFor(day, squidOut);
      if (!entries.isEmpty() && dayOf(entries.peekFirst()).equals(day)) {
        writeGroup(channel, day, squidOut);
      }
    }
  }

  /** Fsyncs what was written, so that it survives a power loss. */
  void force() throws IOException {
    files.force();
  }

  /** Closes the open file; the next write reopens it. Never throws. */
  void close() {
    files.close();
  }

  private void recover() throws IOException {
    if (chain != null) {
      return;
    }
    ChainRecovery.State state = ChainRecovery.recover(dir);
    chain = new HashChain(state.seq(), state.hash());
    floor = state.floor();
    restartProblem = state.problem();
    uncleanStopDue = state.uncleanStop();
    repairDue = floor != null && (uncleanStopDue || restartProblem != null);
    if (restartProblem != null) {
      LOG.error(
          "Cannot continue the audit hash chain in {}: {}; starting a new chain after a gap marker",
          dir,
          restartProblem);
    }
  }

  /** Ends what the previous run left unfinished, and records how it ended, before anything else. */
  private void repairAtStart(PendingLines squidOut) throws IOException {
    FileChannel channel = openFor(floor, squidOut);
    List<byte[]> markers = new ArrayList<>();
    if (restartProblem != null) {
      markers.add(AuditMarkers.gap(clock.instant(), AuditMarkers.CHAIN_RESTARTED + restartProblem));
    } else if (uncleanStopDue) {
      markers.add(AuditMarkers.gap(clock.instant(), AuditMarkers.UNCLEAN_STOP));
    }
    markers.add(AuditMarkers.start(clock.instant()));
    HashChain.Sealed last = null;
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (byte[] body : markers) {
      last = last == null ? chain.next(body) : chain.after(last, body);
      bytes.writeBytes(last.bytes());
    }
    files.written();
    writeFully(channel, ByteBuffer.wrap(bytes.toByteArray()));
    chain.advanceTo(last);
    wroteThisRun = true;
    started = true;
    repairDue = false;
    uncleanStopDue = false;
    restartProblem = null;
  }

  private FileChannel openFor(LocalDate day, PendingLines squidOut) throws IOException {
    if (floor == null || day.isAfter(floor)) {
      floor = day;
    }
    DailyAuditFiles.Opened opened = files.open(day);
    if (opened.torn() != null) {
      endTornLine(opened, day, squidOut);
    }
    return opened.channel();
  }

  private void endTornLine(DailyAuditFiles.Opened opened, LocalDate day, PendingLines squidOut)
      throws IOException {
    FileTail.Torn torn = opened.torn();
    files.written();
    ChainedLine whole = wholeContinuation(torn);
    if (whole != null) {
      // Everything but the newline was written: the line is complete and part of the chain.
      Entry head = entries.peekFirst();
      HashChain.Sealed headLine =
          head != null && dayOf(head).equals(day) ? chain.next(head.body()) : null;
      writeFully(opened.channel(), ByteBuffer.wrap(new byte[] {'\n'}));
      chain.advanceTo(whole.seq(), whole.hash());
      if (headLine != null && isCutFrom(torn, headLine)) {
        committed(entries.removeFirst(), headLine, day, squidOut); // it was our own line
      } else if (!wroteThisRun) {
        uncleanStopDue = !AuditMarkers.STOP.equals(whole.type());
      }
      return;
    }
    String reason =
        wroteThisRun ? AuditMarkers.TORN_AFTER_FAILED_WRITE : AuditMarkers.TORN_AT_START;
    HashChain.Sealed gap =
        chain.next(AuditMarkers.tornGap(clock.instant(), reason, torn.length(), torn.sha256()));
    byte[] bytes = new byte[gap.bytes().length + 1];
    bytes[0] = '\n';
    System.arraycopy(gap.bytes(), 0, bytes, 1, gap.bytes().length);
    writeFully(opened.channel(), ByteBuffer.wrap(bytes));
    chain.advanceTo(gap);
    wroteThisRun = true;
    if (reason.equals(AuditMarkers.TORN_AT_START)) {
      uncleanStopDue = false; // the gap already says the previous run stopped uncleanly
    }
  }

  /** The torn bytes as a line, if they are a whole line that continues the chain; else null. */
  private ChainedLine wholeContinuation(FileTail.Torn torn) {
    if (torn.bytes() == null) {
      return null;
    }
    try {
      ChainedLine line = ChainedLine.parse(torn.bytes());
      byte[] canonical = line.canonical();
      boolean continues =
          line.seq() == chain.seq() + 1
              && line.hash().equals(chain.hashOf(chain.hash(), canonical, canonical.length));
      return continues ? line : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private void writeGroup(FileChannel channel, LocalDate day, PendingLines squidOut)
      throws IOException {
    int count = 0;
    HashChain.Sealed prev = null;
    for (Entry entry : entries) {
      if (count == GATHER || !dayOf(entry).equals(day) || (entry.record() && !started)) {
        break;
      }
      prev = prev == null ? chain.next(entry.body()) : chain.after(prev, entry.body());
      sealed[count] = prev;
      group[count] = ByteBuffer.wrap(prev.bytes());
      count++;
    }
    files.written();
    try {
      int first = 0;
      while (first < count) {
        channel.write(group, first, count - first);
        while (first < count && !group[first].hasRemaining()) {
          first++;
        }
      }
    } finally {
      // Lines are written in order, so the completely written ones are a prefix of the group.
      for (int i = 0; i < count && !group[i].hasRemaining(); i++) {
        committed(entries.removeFirst(), sealed[i], day, squidOut);
      }
      Arrays.fill(group, 0, count, null);
      Arrays.fill(sealed, 0, count, null);
    }
  }

  private void committed(Entry entry, HashChain.Sealed line, LocalDate day, PendingLines squidOut) {
    chain.advanceTo(line);
    wroteThisRun = true;
    pendingBytes -= entry.body().length;
    if (entry.record()) {
      pendingRecords--;
      recordsWritten++;
      if (entry.squidLine() != null) {
        squidOut.add(day, entry.squidLine());
      }
    }
  }

  private LocalDate dayOf(Entry entry) {
    if (entry.day() == null) {
      return floor != null ? floor : JsonLinesAuditWriter.utcDateOf(clock.instant());
    }
    return floor == null || entry.day().isAfter(floor) ? entry.day() : floor;
  }

  /** Whether the torn bytes are {@code line} without its newline. */
  private static boolean isCutFrom(FileTail.Torn torn, HashChain.Sealed line) {
    byte[] expected = line.bytes();
    return expected.length == torn.length() + 1
        && Arrays.equals(expected, 0, expected.length - 1, torn.bytes(), 0, torn.bytes().length);
  }

  private static void writeFully(FileChannel channel, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      channel.write(bytes);
    }
  }
}
