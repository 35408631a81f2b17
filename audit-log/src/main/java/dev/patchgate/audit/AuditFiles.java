package dev.patchgate.audit;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * The names of the files in an audit directory and how to find and read the day files, as the
 * format contract defines them.
 *
 * <p>Stateless and thread-safe. Files can be compressed or removed by the writer while they are
 * read; a reader that needs a consistent view lists again after a {@link
 * java.nio.file.NoSuchFileException}.
 */
public final class AuditFiles {
  private static final int READ_BUFFER = 64 * 1024;

  private AuditFiles() {}

  /**
   * The name of the audit file of a UTC date, e.g. {@code audit-2026-11-23.jsonl}; after rotation
   * the same name with {@code .gz} appended.
   */
  public static String auditFileName(LocalDate utcDate) {
    return DayFileName.Kind.AUDIT.plainName(utcDate);
  }

  /**
   * The name of the Squid-format access log of a UTC date, e.g. {@code access-2026-11-23.log};
   * after rotation the same name with {@code .gz} appended.
   */
  public static String accessLogFileName(LocalDate utcDate) {
    return DayFileName.Kind.ACCESS.plainName(utcDate);
  }

  /**
   * Lists the audit day files of {@code dir}, one per UTC day, oldest first. A day present both
   * plain and gzipped is an interrupted compression, and the plain file is the one listed. Other
   * files are ignored.
   *
   * @throws java.nio.file.NoSuchFileException if {@code dir} does not exist
   * @throws IOException if {@code dir} cannot be listed
   */
  public static List<AuditDayFile> auditDays(Path dir) throws IOException {
    TreeMap<LocalDate, AuditDayFile> days = new TreeMap<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path path : (Iterable<Path>) entries::iterator) {
        Optional<DayFileName> name = DayFileName.parse(path.getFileName().toString());
        if (name.isEmpty()
            || name.get().kind() != DayFileName.Kind.AUDIT
            || name.get().temporary()) {
          continue;
        }
        AuditDayFile day = new AuditDayFile(name.get().date(), path, name.get().gzipped());
        days.merge(day.date(), day, (a, b) -> a.gzipped() ? b : a);
      }
    }
    return new ArrayList<>(days.values());
  }

  /**
   * Opens a day file for reading its lines as written, decompressing a gzipped one. The caller
   * closes the stream.
   *
   * @throws IOException if the file cannot be opened or its gzip header is damaged
   */
  public static InputStream openDay(AuditDayFile day) throws IOException {
    InputStream in = Files.newInputStream(day.path());
    try {
      return day.gzipped()
          ? new BufferedInputStream(new GZIPInputStream(in, READ_BUFFER), READ_BUFFER)
          : new BufferedInputStream(in, READ_BUFFER);
    } catch (IOException | RuntimeException e) {
      in.close();
      throw e;
    }
  }
}
