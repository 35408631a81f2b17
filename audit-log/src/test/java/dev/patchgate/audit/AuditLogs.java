package dev.patchgate.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

/** Reads and edits audit directories in tests, as a reader or a tamperer would. */
final class AuditLogs {
  private AuditLogs() {}

  /** Every line of a day file (plain or gzipped), without newlines. */
  static List<String> lines(Path file) throws IOException {
    String text = new String(bytes(file), StandardCharsets.UTF_8);
    if (text.isEmpty()) {
      return List.of();
    }
    List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
    if (lines.get(lines.size() - 1).isEmpty()) {
      lines.remove(lines.size() - 1);
    }
    return lines;
  }

  /** Every line of the day {@code date}, whichever form the file has. */
  static List<String> lines(Path dir, LocalDate date) throws IOException {
    return lines(dayFile(dir, date));
  }

  /**
   * The parsed lines of every day, oldest first; a line that does not parse (a torn line) is {@code
   * {"type":"unparsable"}}, so that it is skipped like a marker.
   */
  static List<Map<String, Object>> allLines(Path dir) throws IOException {
    List<Map<String, Object>> all = new ArrayList<>();
    for (AuditDayFile day : AuditFiles.auditDays(dir)) {
      for (String line : lines(day.path())) {
        all.add(parse(line));
      }
    }
    return all;
  }

  /** The ids of the exchange records of one day, in file order; markers skipped. */
  static List<Object> ids(Path dir, LocalDate date) throws IOException {
    return lines(dir, date).stream()
        .map(AuditLogs::parse)
        .filter(line -> !line.containsKey(AuditFields.TYPE))
        .map(line -> line.get(AuditFields.ID))
        .toList();
  }

  /** The ids of every exchange record, oldest day first. */
  static List<Object> allIds(Path dir) throws IOException {
    return allLines(dir).stream()
        .filter(line -> !line.containsKey(AuditFields.TYPE))
        .map(line -> line.get(AuditFields.ID))
        .toList();
  }

  /** The {@code type} of every line, {@code record} for exchange records. */
  static List<Object> types(Path dir) throws IOException {
    return allLines(dir).stream()
        .map(line -> line.getOrDefault(AuditFields.TYPE, "record"))
        .toList();
  }

  private static Map<String, Object> parse(String line) {
    try {
      return AuditJsonReader.readObject(line);
    } catch (IllegalArgumentException e) {
      return Map.of(AuditFields.TYPE, "unparsable");
    }
  }

  /** The file of {@code date}: plain if present, else gzipped. */
  static Path dayFile(Path dir, LocalDate date) {
    Path plain = dir.resolve(AuditFiles.auditFileName(date));
    return Files.exists(plain) ? plain : dir.resolve(AuditFiles.auditFileName(date) + ".gz");
  }

  /** The names of all files in {@code dir}, sorted. */
  static List<String> fileNames(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Replaces the lines of a day file, keeping its form (gzipped or not); newline-terminated. */
  static void rewrite(Path file, List<String> lines) throws IOException {
    StringBuilder text = new StringBuilder();
    lines.forEach(line -> text.append(line).append('\n'));
    writeBytes(file, text.toString().getBytes(StandardCharsets.UTF_8));
  }

  static byte[] bytes(Path file) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      return Files.readAllBytes(file);
    }
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return in.readAllBytes();
    }
  }

  static void writeBytes(Path file, byte[] bytes) throws IOException {
    if (!file.getFileName().toString().endsWith(".gz")) {
      Files.write(file, bytes);
      return;
    }
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(bytes);
    }
    Files.write(file, gz.toByteArray());
  }

  static void deleteRecursively(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /**
   * Moves the audit directory aside and leaves a link to a file in its place: every write fails,
   * for root too, and the writer cannot recreate the directory behind the test's back.
   *
   * @return where the directory went, records and all
   */
  static Path blockDirectory(Path dir) throws IOException {
    Path away = dir.resolveSibling(dir.getFileName() + ".away");
    Files.move(dir, away);
    Path blocker = Files.writeString(dir.resolveSibling(dir.getFileName() + ".blocker"), "x");
    Files.createSymbolicLink(dir, blocker);
    return away;
  }

  /**
   * Puts the directory back in one rename, so that there is no moment without anything at its path,
   * when the writer's retry would create an empty directory there.
   */
  static void unblockDirectory(Path away, Path dir) throws IOException {
    Path link = Files.createSymbolicLink(dir.resolveSibling(dir.getFileName() + ".link"), away);
    Files.move(link, dir, StandardCopyOption.ATOMIC_MOVE);
  }
}
