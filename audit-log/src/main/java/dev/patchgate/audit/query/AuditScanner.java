package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditDayFile;
import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.AuditFiles;
import dev.patchgate.audit.text.DisplayText;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Streams the exchange records of an audit directory that a query selects, oldest day first, in
 * file order within a day.
 *
 * <p>Day files are picked by the date in their name ({@code .jsonl} or {@code .jsonl.gz}), then
 * each line is tested cheaply on its raw bytes, and only lines that may match are parsed strictly
 * (by {@link LineParser}, straight from the bytes) and confirmed against the query. Marker lines
 * (those with a {@code "type"} field) are skipped. A malformed line is skipped with a warning
 * naming {@code file:line}; a file that cannot be read to its end gets a warning and is counted in
 * the summary; the scan goes on either way. Warnings about lines the pre-filter rules out are not
 * given: they are never parsed. Stateless.
 */
public final class AuditScanner {

  // More than this per file is a damaged file, not a few bad lines; say so once.
  private static final int MAX_WARNINGS_PER_FILE = 20;

  private AuditScanner() {}

  /**
   * Scans the day files of {@code dir} that the query's period covers.
   *
   * @param warnings where warnings go, one line each
   * @return what was read
   * @throws IOException if {@code dir} cannot be listed, or the handler throws
   */
  public static ScanSummary scan(
      Path dir, AuditQuery query, AuditLineHandler handler, PrintStream warnings)
      throws IOException {
    List<AuditDayFile> files = days(dir).stream().filter(f -> query.coversDay(f.date())).toList();
    return scan(files, query, handler, warnings);
  }

  /**
   * True when {@code dir} holds at least one audit day file; false also when it does not exist.
   *
   * @throws IOException if {@code dir} exists but cannot be listed
   */
  public static boolean hasAuditFiles(Path dir) throws IOException {
    return !days(dir).isEmpty();
  }

  /** The day files as the writer names them; none when {@code dir} does not exist. */
  private static List<AuditDayFile> days(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    return AuditFiles.auditDays(dir);
  }

  /**
   * Scans {@code files} in the order given.
   *
   * @throws IOException if the handler throws
   */
  static ScanSummary scan(
      List<AuditDayFile> files, AuditQuery query, AuditLineHandler handler, PrintStream warnings)
      throws IOException {
    Run run = new Run(query, handler, warnings);
    for (AuditDayFile file : files) {
      if (!run.scanFile(file)) {
        break;
      }
    }
    return new ScanSummary(
        run.files, run.lines, run.matched, run.malformed, run.unreadable, run.stopped);
  }

  /** The state of one scan. */
  private static final class Run {
    private final AuditQuery query;
    private final LinePrefilter prefilter;
    private final AuditLineHandler handler;
    private final PrintStream warnings;
    private final AuditLine line = new AuditLine();
    private int files;
    private long lines;
    private long matched;
    private long malformed;
    private int unreadable;
    private boolean stopped;
    private int warningsInFile;

    Run(AuditQuery query, AuditLineHandler handler, PrintStream warnings) {
      this.query = query;
      this.prefilter = query.prefilter();
      this.handler = handler;
      this.warnings = warnings;
    }

    /** Returns false when the handler ended the scan. */
    boolean scanFile(AuditDayFile file) throws IOException {
      files++;
      warningsInFile = 0;
      InputStream in;
      try {
        in = AuditFiles.openDay(file);
      } catch (NoSuchFileException e) {
        // The writer gzipped the day (or retention removed it) after we listed the directory.
        Optional<AuditDayFile> now = relisted(file);
        if (now.isPresent()) {
          files--;
          return scanFile(now.get());
        }
        unreadable++;
        warn(file, 0, "is gone: removed after the directory was listed");
        return true;
      } catch (IOException e) {
        unreadable++;
        warn(file, 0, "cannot be read: " + e);
        return true;
      }
      try (in) {
        ByteLineReader reader = new ByteLineReader(in);
        while (true) {
          boolean more;
          try {
            more = reader.next();
          } catch (IOException e) {
            unreadable++;
            warn(file, reader.lineNumber() + 1, "cannot be read from here on: " + e);
            return true;
          }
          if (!more) {
            return true;
          }
          lines++;
          if (!onLine(file, reader)) {
            stopped = true;
            return false;
          }
        }
      }
    }

    private Optional<AuditDayFile> relisted(AuditDayFile gone) throws IOException {
      Path dir = gone.path().getParent();
      if (dir == null) {
        return Optional.empty();
      }
      return days(dir).stream()
          .filter(d -> d.date().equals(gone.date()) && !d.path().equals(gone.path()))
          .findFirst();
    }

    private boolean onLine(AuditDayFile file, ByteLineReader reader) throws IOException {
      long number = reader.lineNumber();
      if (reader.tooLong()) {
        malformed(file, number, "longer than " + ByteLineReader.MAX_LINE + " bytes");
        return true;
      }
      byte[] bytes = reader.buffer();
      int start = reader.start();
      int end = reader.end();
      if (start == end || !prefilter.mayMatch(bytes, start, end)) {
        return true;
      }
      Map<String, Object> fields;
      try {
        fields = LineParser.parse(bytes, start, end);
      } catch (IllegalArgumentException e) {
        String what = reader.terminated() ? "malformed line" : "incomplete last line";
        malformed(file, number, what + " (" + e.getMessage() + ")");
        return true;
      }
      if (fields.containsKey(AuditFields.TYPE)) {
        return true;
      }
      if (!(fields.get(AuditFields.TS) instanceof String)) {
        malformed(file, number, "record without a ts");
        return true;
      }
      if (!query.matches(fields)) {
        return true;
      }
      matched++;
      line.set(file, number, bytes, start, end, fields);
      return handler.accept(line);
    }

    private void malformed(AuditDayFile file, long number, String what) {
      malformed++;
      warn(file, number, what + ", skipped");
    }

    private void warn(AuditDayFile file, long number, String what) {
      warningsInFile++;
      if (warningsInFile > MAX_WARNINGS_PER_FILE) {
        return;
      }
      String where = file.path() + (number > 0 ? ":" + number : "");
      if (warningsInFile == MAX_WARNINGS_PER_FILE) {
        what += " (further warnings for this file are not shown)";
      }
      warnings.println(DisplayText.clean("warning: " + where + ": " + what));
    }
  }
}
