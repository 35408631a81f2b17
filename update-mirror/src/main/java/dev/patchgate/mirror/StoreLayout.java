package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * Where the store's files are.
 *
 * <pre>
 * dir/lock                                    held (flock) by the process that owns the store
 * dir/objects/ab/&lt;key&gt;.meta                  the commit record: names the data file, human-readable
 * dir/objects/ab/&lt;key&gt;-&lt;generation&gt;.data    the content; a new generation per commit
 * dir/tmp/                                    fills and meta files being written; emptied at start-up
 * dir/quarantine/                             objects {@code verify} found damaged
 * </pre>
 *
 * <p>{@code <key>} is the 64-hex SHA-256 of the URL, {@code ab} its first two characters, {@code
 * <generation>} 16 random hex digits.
 */
final class StoreLayout {
  static final Pattern META_NAME = Pattern.compile("[0-9a-f]{64}\\.meta");
  static final Pattern DATA_NAME = Pattern.compile("([0-9a-f]{64})-[0-9a-f]{16}\\.data");

  final Path dir;
  final Path objects;
  final Path tmp;
  final Path quarantine;
  final Path lockFile;

  StoreLayout(Path dir) {
    this.dir = dir;
    this.objects = dir.resolve("objects");
    this.tmp = dir.resolve("tmp");
    this.quarantine = dir.resolve("quarantine");
    this.lockFile = dir.resolve("lock");
  }

  void createDirectories() throws IOException {
    Files.createDirectories(objects);
    Files.createDirectories(tmp);
    Files.createDirectories(quarantine);
  }

  Path shard(String hex) {
    return objects.resolve(hex.substring(0, 2));
  }

  Path meta(String hex) {
    return shard(hex).resolve(hex + ".meta");
  }

  static String dataName(String hex, String generation) {
    return hex + "-" + generation + ".data";
  }

  static String newGeneration() {
    return HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
  }

  Path tmpData(String hex, String generation) {
    return tmp.resolve(hex + "-" + generation + ".part");
  }

  Path tmpMeta(String hex) {
    return tmp.resolve(hex + "-" + newGeneration() + ".meta");
  }
}
