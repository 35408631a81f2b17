package dev.patchgate.audit;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipException;

/**
 * Checks the hash chain of an audit directory: reads every day file in date order (plain or
 * gzipped), recomputes each line's hash from the line before it, and reports the first line where
 * the chain does not hold.
 *
 * <p>What it tells apart, at the line where it shows: an edited line (hash mismatch), deleted lines
 * (seq jumps), an inserted or copied line (seq repeats or goes back, or hash mismatch), reordered
 * lines (seq jumps and the next line holds the missing seq), a day file missing between two others
 * (the next file's first line does not continue the chain), a cut file (no newline at its end), and
 * unreadable lines or gzip data.
 *
 * <p>What the writer itself marks is accepted: {@code start}, {@code stop} and {@code gap} markers
 * are links like any line, and exactly one unparsable line is accepted when the very next line is a
 * {@code gap} marker whose {@code torn_bytes} and {@code torn_sha256} match it (a line torn by a
 * crash). Gaps are listed in the result. A first line with a seq above 1 is accepted without its
 * hash being checked, because retention removes the oldest days; the result says where the chain
 * starts. Removing whole lines from the very end of the last day cannot be seen in the chain alone;
 * compare the last seq with one recorded elsewhere.
 *
 * <p>Each call reads with its own state; thread-safe.
 */
public final class AuditChainVerifier {
  private static final byte[] TORN_FIELD =
      ("\"" + AuditMarkers.TORN_SHA256 + "\":\"").getBytes(StandardCharsets.US_ASCII);

  private static final String INCOMPLETE_LAST_LINE =
      "the last line has no newline: the log was cut here, or the gateway stopped uncleanly and"
          + " has not been started since (or was writing this line: verify again)";

  private final HashChain hashes = HashChain.empty();
  private final List<String> files = new ArrayList<>();
  private final List<AuditChainGap> gaps = new ArrayList<>();
  private long records;
  private long markers;
  private long firstSeq;
  private long lastSeq;
  private String prevHash;
  private String prevFile;
  private long prevLine;
  private AuditChainBreak broken;
  private boolean tornBefore;

  private AuditChainVerifier() {}

  /**
   * Verifies every audit day file in {@code dir}; an empty directory gives an intact result with no
   * files.
   *
   * @throws java.nio.file.NoSuchFileException if {@code dir} does not exist
   * @throws IOException if a file cannot be read (damaged gzip data is reported as a break instead)
   */
  public static AuditVerification verify(Path dir) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return new AuditChainVerifier().verifyAll(dir);
      } catch (NoSuchFileException e) {
        // A running writer gzipped a day while it was being read: list again and start over.
        if (attempt == 3 || !Files.isDirectory(dir)) {
          throw e;
        }
      }
    }
  }

  private AuditVerification verifyAll(Path dir) throws IOException {
    List<AuditDayFile> days = AuditFiles.auditDays(dir);
    for (int i = 0; i < days.size() && broken == null; i++) {
      verifyFile(days.get(i), i == days.size() - 1);
    }
    return result();
  }

  private void verifyFile(AuditDayFile day, boolean lastFile) throws IOException {
    String name = day.fileName();
    files.add(name);
    try (InputStream in = AuditFiles.openDay(day)) {
      LookAhead lines = new LookAhead(new RawLines(in));
      long lineNo = 0;
      tornBefore = false;
      for (RawLines.Line current = lines.next(); current != null; current = lines.next()) {
        lineNo++;
        if (!accept(name, lineNo, current, lines.peek(), lastFile)) {
          return;
        }
      }
      if (lines.damage != null) {
        fail(
            name,
            lineNo + 1,
            0,
            "the gzip data cannot be read from here on (" + lines.damage + ")");
      }
    } catch (ZipException | EOFException e) {
      fail(name, 1, 0, "the gzip data cannot be read (" + e.getMessage() + ")");
    }
  }

  /** A verifier for one chain fed line by line, as {@link AuditCollectorVerifier} does. */
  static AuditChainVerifier forLines() {
    return new AuditChainVerifier();
  }

  /**
   * Checks one line of the chain.
   *
   * @param name the file it is in, as the result names it
   * @param lineNo its line number there
   * @param next the chain's next line, or {@code null} when it is the last one
   * @param lastFile whether a missing newline would be the end of the log rather than damage
   * @return false once the chain is broken; the caller then stops feeding lines
   */
  boolean accept(
      String name, long lineNo, RawLines.Line current, RawLines.Line next, boolean lastFile) {
    if (files.isEmpty() || !files.get(files.size() - 1).equals(name)) {
      files.add(name);
    }
    if (!current.terminated()) {
      return fail(name, lineNo, 0, lastFile ? INCOMPLETE_LAST_LINE : "the file ends inside a line");
    }
    if (next != null && next.terminated() && namesAsTorn(next.bytes(), current.bytes())) {
      tornBefore = true; // the writer's own repair after a crash: the gap marker follows
      return true;
    }
    boolean followsTorn = tornBefore;
    tornBefore = false;
    return check(name, lineNo, current.bytes(), next, followsTorn);
  }

  /** What the lines fed so far came to. */
  AuditVerification result() {
    return new AuditVerification(
        files, records, markers, firstSeq, lastSeq, gaps, Optional.ofNullable(broken));
  }

  /** Lines with one of look-ahead; damaged gzip data ends the lines and is remembered. */
  private static final class LookAhead {
    private final RawLines lines;
    private RawLines.Line peeked;
    private boolean hasPeeked;
    private String damage;

    LookAhead(RawLines lines) {
      this.lines = lines;
    }

    RawLines.Line next() throws IOException {
      RawLines.Line line = peek();
      hasPeeked = false;
      return line;
    }

    RawLines.Line peek() throws IOException {
      if (!hasPeeked) {
        peeked = read();
        hasPeeked = true;
      }
      return peeked;
    }

    private RawLines.Line read() throws IOException {
      if (damage != null) {
        return null;
      }
      try {
        return lines.next();
      } catch (ZipException | EOFException e) {
        damage = String.valueOf(e.getMessage());
        return null;
      }
    }
  }

  /** Checks one complete line against the chain so far; false (and the break noted) if it fails. */
  private boolean check(
      String name, long lineNo, byte[] bytes, RawLines.Line next, boolean followsTornLine) {
    ChainedLine line;
    try {
      line = ChainedLine.parse(bytes);
    } catch (IllegalArgumentException e) {
      return fail(name, lineNo, 0, "not a chained audit line (" + e.getMessage() + ")");
    }
    long seq = line.seq();
    byte[] canonical = line.canonical();
    if (lastSeq == 0) {
      if (seq == 1
          && !line.hash()
              .equals(hashes.hashOf(HashChain.START_HASH, canonical, canonical.length))) {
        return fail(name, lineNo, seq, "hash mismatch: the first line of the log was changed");
      }
    } else if (seq == lastSeq + 1) {
      if (!line.hash().equals(hashes.hashOf(prevHash, canonical, canonical.length))) {
        return fail(
            name,
            lineNo,
            seq,
            name.equals(prevFile)
                ? "hash mismatch: this line (or the one before it) was changed"
                : "hash mismatch: the first line of "
                    + name
                    + " does not continue the chain from "
                    + where()
                    + " (this line or that one was changed, or a file was replaced)");
      }
    } else if (seq > lastSeq + 1) {
      return fail(name, lineNo, seq, jump(name, seq, next));
    } else {
      return fail(name, lineNo, seq, goesBack(seq, line));
    }
    if (line.type() == null) {
      records++;
    } else {
      markers++;
      if (AuditMarkers.GAP.equals(line.type())) {
        if (line.string(AuditMarkers.TORN_SHA256) != null && !followsTornLine) {
          return fail(name, lineNo, seq, "a gap marker names a torn line that is not before it");
        }
        gaps.add(new AuditChainGap(name, lineNo, seq, describeGap(line)));
      }
    }
    if (firstSeq == 0) {
      firstSeq = seq;
    }
    lastSeq = seq;
    prevHash = line.hash();
    prevFile = name;
    prevLine = lineNo;
    return true;
  }

  private String jump(String name, long seq, RawLines.Line next) {
    long expected = lastSeq + 1;
    if (next != null && seqOf(next.bytes()) == expected) {
      return "lines out of order: seq " + seq + " comes before seq " + expected;
    }
    long missing = seq - expected;
    String lines = missing == 1 ? "1 line is" : missing + " lines are";
    if (!name.equals(prevFile)) {
      return "seq jumps from "
          + lastSeq
          + " ("
          + where()
          + ") to "
          + seq
          + " at the start of "
          + name
          + ": "
          + lines
          + " missing (a day file, or the end of one, was removed)";
    }
    return "seq jumps from " + lastSeq + " to " + seq + ": " + lines + " missing (deleted)";
  }

  private String goesBack(long seq, ChainedLine line) {
    String reason = line.string(AuditFields.REASON);
    if (AuditMarkers.GAP.equals(line.type())
        && reason != null
        && reason.startsWith(AuditMarkers.CHAIN_RESTARTED)) {
      return "the writer started a new chain here because " + reason;
    }
    if (seq == lastSeq) {
      return "seq " + seq + " repeats: a line was inserted or copied here";
    }
    return "seq goes back from " + lastSeq + " to " + seq + ": a line was inserted or moved here";
  }

  private String where() {
    return prevFile + ":" + prevLine;
  }

  private boolean namesAsTorn(byte[] next, byte[] torn) {
    if (!contains(next, TORN_FIELD)) {
      return false;
    }
    try {
      ChainedLine marker = ChainedLine.parse(next);
      return AuditMarkers.GAP.equals(marker.type())
          && marker.number(AuditMarkers.TORN_BYTES) == torn.length
          && hashes.sha256Hex(torn).equals(marker.string(AuditMarkers.TORN_SHA256));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static long seqOf(byte[] line) {
    try {
      return ChainedLine.parse(line).seq();
    } catch (IllegalArgumentException e) {
      return -1;
    }
  }

  private static String describeGap(ChainedLine gap) {
    String reason = gap.string(AuditFields.REASON);
    StringBuilder out = new StringBuilder(reason == null ? "no reason given" : reason);
    long tornBytes = gap.number(AuditMarkers.TORN_BYTES);
    if (tornBytes >= 0) {
      out.append(" (").append(tornBytes).append(tornBytes == 1 ? " byte)" : " bytes)");
    }
    long dropped = gap.number(AuditMarkers.DROPPED);
    if (dropped >= 0) {
      out.append(" (").append(dropped).append(dropped == 1 ? " record)" : " records)");
    }
    return out.toString();
  }

  private static boolean contains(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= haystack.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private boolean fail(String file, long line, long seq, String message) {
    broken = new AuditChainBreak(file, line, seq, message);
    return false;
  }
}
