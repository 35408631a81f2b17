package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and writes {@code .meta} files: one {@code name value} pair a line, ASCII, ending with the
 * line {@code end}, so an operator can read one with {@code cat} and a truncated file is never
 * taken for a complete one.
 *
 * <pre>
 * patchgate-mirror-meta 1
 * url http://download.windowsupdate.com:80/c/msdownload/..._0123…cab
 * status 200
 * length 257401999
 * sha256 9f86d0…
 * sha1 0123…            (only when the name announced one)
 * data &lt;key&gt;-&lt;generation&gt;.data
 * stored-at 2026-11-23T10:15:30.123Z
 * validated-at 2026-11-23T10:15:29.001Z
 * response-date 2026-11-23T10:15:29Z
 * initial-age 0
 * last-access 2026-11-24T08:00:00.500Z
 * hits 12
 * header Content-Type: application/vnd.ms-cab-compressed
 * header ETag: "80d1c2"
 * end
 * </pre>
 *
 * <p>Written to {@code tmp/}, forced to disk, then renamed over the old file: a reader sees the old
 * record or the new one, never a mix.
 */
final class MetaFile {
  static final String MAGIC = "patchgate-mirror-meta 1";
  private static final int MAX_BYTES = 64 * 1024;

  private MetaFile() {}

  static String format(MetaRecord record) {
    StoredMeta m = record.meta();
    StringBuilder sb = new StringBuilder(512);
    sb.append(MAGIC).append('\n');
    line(sb, "url", m.url());
    line(sb, "status", Integer.toString(m.status()));
    line(sb, "length", Long.toString(m.length()));
    line(sb, "sha256", m.sha256());
    m.sha1().ifPresent(s -> line(sb, "sha1", s));
    line(sb, "data", record.dataName());
    line(sb, "stored-at", m.storedAt().toString());
    line(sb, "validated-at", m.validatedAt().toString());
    line(sb, "response-date", m.responseDate().toString());
    line(sb, "initial-age", Long.toString(m.initialAgeSeconds()));
    line(sb, "last-access", record.lastAccess().toString());
    line(sb, "hits", Long.toString(record.hits()));
    for (HeaderField h : m.headers()) {
      line(sb, "header", h.name() + ": " + h.value());
    }
    sb.append("end\n");
    return sb.toString();
  }

  private static void line(StringBuilder sb, String name, String value) {
    sb.append(name).append(' ').append(value).append('\n');
  }

  /**
   * Writes {@code record} to {@code target} atomically, through a forced file in {@code tmpDir}.
   */
  static void write(Path target, Path tmpFile, MetaRecord record) throws IOException {
    byte[] bytes = format(record).getBytes(StandardCharsets.US_ASCII);
    try (FileChannel ch =
        FileChannel.open(tmpFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    } catch (IOException e) {
      Files.deleteIfExists(tmpFile);
      throw e;
    }
    try {
      Files.move(
          tmpFile, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (IOException e) {
      Files.deleteIfExists(tmpFile);
      throw e;
    }
  }

  /** The record in {@code file}; empty when it is missing, too large or not a complete record. */
  static Optional<MetaRecord> read(Path file) {
    // One open and read, no stat: start-up reads every meta file in the store.
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(4096);
      while (ch.read(buf) >= 0) {
        if (!buf.hasRemaining()) {
          if (buf.capacity() > MAX_BYTES) {
            return Optional.empty();
          }
          buf = ByteBuffer.allocate(buf.capacity() * 2).put(buf.flip());
        }
      }
      return parse(new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  static Optional<MetaRecord> parse(String text) {
    String[] lines = text.split("\n", -1);
    // A complete record: magic first, "end" last, then only the final newline.
    if (lines.length < 3
        || !lines[0].equals(MAGIC)
        || !lines[lines.length - 2].equals("end")
        || !lines[lines.length - 1].isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> fields = new HashMap<>();
    List<HeaderField> headers = new ArrayList<>();
    try {
      for (int i = 1; i < lines.length - 2; i++) {
        String line = lines[i];
        int space = line.indexOf(' ');
        if (space <= 0) {
          return Optional.empty();
        }
        String name = line.substring(0, space);
        String value = line.substring(space + 1);
        if (name.equals("header")) {
          int colon = value.indexOf(": ");
          if (colon <= 0) {
            return Optional.empty();
          }
          headers.add(new HeaderField(value.substring(0, colon), value.substring(colon + 2)));
        } else if (fields.putIfAbsent(name, value) != null) {
          return Optional.empty();
        }
      }
      StoredMeta meta =
          new StoredMeta(
              required(fields, "url"),
              Integer.parseInt(required(fields, "status")),
              Long.parseLong(required(fields, "length")),
              required(fields, "sha256"),
              Optional.ofNullable(fields.get("sha1")),
              headers,
              Instant.parse(required(fields, "stored-at")),
              Instant.parse(required(fields, "validated-at")),
              Instant.parse(required(fields, "response-date")),
              Long.parseLong(required(fields, "initial-age")));
      if (meta.status() != 200) {
        return Optional.empty();
      }
      return Optional.of(
          new MetaRecord(
              meta,
              required(fields, "data"),
              Instant.parse(required(fields, "last-access")),
              Long.parseLong(required(fields, "hits"))));
    } catch (IllegalArgumentException | DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static String required(Map<String, String> fields, String name) {
    String v = fields.get(name);
    if (v == null) {
      throw new IllegalArgumentException("missing " + name);
    }
    return v;
  }
}
