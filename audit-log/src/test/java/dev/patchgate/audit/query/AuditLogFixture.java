package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditJson;
import dev.patchgate.audit.AuditRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.zip.GZIPOutputStream;

/**
 * Writes an audit directory in the contract's format: one file per UTC day of each line's ts, lines
 * chained with seq and hash, chosen days gzipped. Lines are added in chain order.
 */
public final class AuditLogFixture {
  private final Path dir;
  private final ChainedLines chain = new ChainedLines();
  private final Map<LocalDate, List<String>> days = new TreeMap<>();

  public AuditLogFixture(Path dir) {
    this.dir = dir;
  }

  /** Adds an exchange record; returns its line as written. */
  public String record(AuditRecord record) {
    return add(day(record.ts()), chain.next(AuditJson.toJson(record)));
  }

  /** Adds a marker line ({@code "type"} field) such as the writer's gap marker. */
  public String marker(Instant ts, String type, String reason) {
    String object =
        "{\"ts\":\"" + ts + "\",\"type\":\"" + type + "\",\"reason\":\"" + reason + "\"}";
    return add(day(ts), chain.next(object));
  }

  /** Adds a line as it is, outside the chain (a damaged line). */
  public String raw(LocalDate day, String line) {
    return add(day, line);
  }

  /**
   * Writes the files: {@code audit-DAY.jsonl}, or {@code .jsonl.gz} for the days in {@code
   * gzipped}.
   */
  public void write(Set<LocalDate> gzipped) {
    try {
      Files.createDirectories(dir);
      for (Map.Entry<LocalDate, List<String>> day : days.entrySet()) {
        boolean gz = gzipped.contains(day.getKey());
        Path file = dir.resolve("audit-" + day.getKey() + ".jsonl" + (gz ? ".gz" : ""));
        try (OutputStream out =
            gz ? new GZIPOutputStream(Files.newOutputStream(file)) : Files.newOutputStream(file)) {
          for (String line : day.getValue()) {
            out.write((line + "\n").getBytes(StandardCharsets.UTF_8));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every line of {@code day} in file order. */
  public List<String> lines(LocalDate day) {
    return List.copyOf(days.getOrDefault(day, List.of()));
  }

  private String add(LocalDate day, String line) {
    days.computeIfAbsent(day, d -> new ArrayList<>()).add(line);
    return line;
  }

  private static LocalDate day(Instant ts) {
    return LocalDate.ofInstant(ts, ZoneOffset.UTC);
  }
}
