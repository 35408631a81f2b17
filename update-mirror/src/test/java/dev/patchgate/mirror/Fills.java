package dev.patchgate.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Drives fills the way the proxy does, for the store tests. */
final class Fills {
  private Fills() {}

  static byte[] body(int length, int seed) {
    byte[] b = new byte[length];
    long x = seed * 0x9E3779B97F4A7C15L + 1;
    for (int i = 0; i < length; i++) {
      x ^= x << 13;
      x ^= x >>> 7;
      x ^= x << 17;
      b[i] = (byte) x;
    }
    return b;
  }

  static FillWriter filler(MirrorStore store, MirrorKey key) {
    FillLease lease = store.fill(key);
    assertThat(lease.kind()).isEqualTo(FillLease.Kind.FILLER);
    return lease.writer();
  }

  /** Header fields of a 200 with a Content-Length and the given extra fields. */
  static HeaderLookup ok(long length, String... extra) {
    String[] all = new String[extra.length + 2];
    all[0] = "Content-Length";
    all[1] = Long.toString(length);
    System.arraycopy(extra, 0, all, 2, extra.length);
    return HeaderLookup.of(all);
  }

  /** Writes {@code body} in chunks of {@code chunk} bytes. */
  static void writeAll(FillWriter w, byte[] body, int chunk) {
    for (int off = 0; off < body.length; off += chunk) {
      w.write(ByteBuffer.wrap(body, off, Math.min(chunk, body.length - off)));
    }
  }

  /** A whole fill of {@code url}: head, body, complete; returns the final outcome. */
  static FillOutcome store(MirrorStore store, String url, byte[] body, String... extraHeaders)
      throws Exception {
    FillWriter w = filler(store, MirrorKey.of(url, false));
    assertThat(w.start(200, ok(body.length, extraHeaders))).isTrue();
    writeAll(w, body, 8192);
    w.complete();
    return w.outcome().get(10, TimeUnit.SECONDS);
  }

  static byte[] read(StoredObject o) throws IOException {
    try (FileChannel ch = o.open()) {
      ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // keep reading
      }
      return buf.array();
    }
  }

  /** Every regular file under {@code dir}, relative, sorted. */
  static List<String> files(Path dir) throws IOException {
    List<String> out = new ArrayList<>();
    try (Stream<Path> s = Files.walk(dir)) {
      s.filter(Files::isRegularFile).forEach(p -> out.add(dir.relativize(p).toString()));
    }
    out.sort(null);
    return out;
  }

  /** The files under objects/ and tmp/. */
  static List<String> storeFiles(Path dir) throws IOException {
    List<String> out = new ArrayList<>(files(dir.resolve("objects")));
    for (String f : files(dir.resolve("tmp"))) {
      out.add("tmp/" + f);
    }
    return out;
  }
}
