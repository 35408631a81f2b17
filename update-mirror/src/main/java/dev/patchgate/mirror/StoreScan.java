package dev.patchgate.mirror;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;

/**
 * Reads the committed objects from disk at start-up, touching only the small {@code .meta} files
 * and one {@code stat} per data file.
 *
 * <p>An object is committed when its {@code .meta} is complete, names a data file of the same key,
 * its URL hashes to its key, and that data file exists with the recorded length. In repair mode
 * (the owning process at start-up) everything else is removed: every file in {@code tmp/} (fills
 * and meta writes cut short by a crash), invalid meta files, and data files no valid meta names (a
 * crash between the data rename and the meta rename, or after a replacement's meta rename and
 * before the old data's deletion). So nothing half-committed is ever served.
 */
final class StoreScan {
  record Found(String hex, MetaRecord record, Path data) {}

  record Result(List<Found> objects, int removed) {}

  private StoreScan() {}

  static Result rebuild(StoreLayout layout) throws IOException {
    int removed = 0;
    try (DirectoryStream<Path> tmp = Files.newDirectoryStream(layout.tmp)) {
      for (Path p : tmp) {
        if (Files.isRegularFile(p) && Files.deleteIfExists(p)) {
          removed++;
        }
      }
    }
    Result r = scan(layout, true);
    return new Result(r.objects(), r.removed() + removed);
  }

  static List<Found> readOnly(StoreLayout layout) throws IOException {
    return scan(layout, false).objects();
  }

  private static Result scan(StoreLayout layout, boolean repair) throws IOException {
    List<Path> shards = new ArrayList<>();
    if (!Files.isDirectory(layout.objects)) {
      return new Result(List.of(), 0);
    }
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(layout.objects)) {
      for (Path p : dirs) {
        String name = p.getFileName().toString();
        if (name.length() == 2 && Hex.isLowerHex(name, 2) && Files.isDirectory(p)) {
          shards.add(p);
        }
      }
    }
    try {
      // Shards are independent; reading them in parallel keeps start-up short on big stores.
      List<Result> parts = shards.parallelStream().map(shard -> scanShard(shard, repair)).toList();
      List<Found> all = new ArrayList<>();
      int removed = 0;
      for (Result part : parts) {
        all.addAll(part.objects());
        removed += part.removed();
      }
      return new Result(all, removed);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private static Result scanShard(Path shard, boolean repair) {
    List<Path> metas = new ArrayList<>();
    List<Path> datas = new ArrayList<>();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(shard)) {
      for (Path p : files) {
        String name = p.getFileName().toString();
        if (StoreLayout.META_NAME.matcher(name).matches()) {
          metas.add(p);
        } else if (StoreLayout.DATA_NAME.matcher(name).matches()) {
          datas.add(p);
        }
      }
    } catch (NoSuchFileException e) {
      return new Result(List.of(), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Found> found = new ArrayList<>();
    Set<String> referenced = new HashSet<>();
    int removed = 0;
    for (Path metaPath : metas) {
      String file = metaPath.getFileName().toString();
      String hex = file.substring(0, 64);
      Optional<Found> valid = validate(shard, hex, metaPath);
      if (valid.isPresent()) {
        found.add(valid.get());
        referenced.add(valid.get().record().dataName());
      } else if (repair && delete(metaPath)) {
        removed++;
      }
    }
    if (repair) {
      for (Path data : datas) {
        if (!referenced.contains(data.getFileName().toString()) && delete(data)) {
          removed++;
        }
      }
    }
    return new Result(found, removed);
  }

  private static Optional<Found> validate(Path shard, String hex, Path metaPath) {
    Optional<MetaRecord> read = MetaFile.read(metaPath);
    if (read.isEmpty()) {
      return Optional.empty();
    }
    MetaRecord record = read.get();
    Matcher m = StoreLayout.DATA_NAME.matcher(record.dataName());
    if (!m.matches() || !m.group(1).equals(hex) || !Hex.sha256(record.meta().url()).equals(hex)) {
      return Optional.empty();
    }
    Path data = shard.resolve(record.dataName());
    try {
      BasicFileAttributes attributes = Files.readAttributes(data, BasicFileAttributes.class);
      if (!attributes.isRegularFile() || attributes.size() != record.meta().length()) {
        return Optional.empty();
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    return Optional.of(new Found(hex, record, data));
  }

  private static boolean delete(Path p) {
    try {
      return Files.deleteIfExists(p);
    } catch (IOException e) {
      return false;
    }
  }
}
