package dev.patchgate.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.mirror.FillLease;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderLookup;
import dev.patchgate.mirror.MirrorKey;
import dev.patchgate.mirror.MirrorSettings;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.mirror.StoredObject;
import dev.patchgate.proxy.RawHttp;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** A real store in a temporary directory, filled the way the gateway fills it, for mirror tests. */
public final class MirrorServeFixtures {
  public static final String ORIGIN = "http://vendor.example";

  private MirrorServeFixtures() {}

  /** A store in {@code dir} with room for the tests and no free-space floor. */
  public static MirrorStore openStore(Path dir) throws IOException {
    MirrorSettings settings =
        MirrorSettings.defaults(dir).withSizes(1L << 30, 1L << 28).withMinFree(0);
    return MirrorStore.open(settings, Clock.systemUTC(), new SimpleMeterRegistry());
  }

  /** The key of a request target such as {@code /pkg/a.cab}. */
  static MirrorKey key(String path) {
    return MirrorKey.of(ORIGIN + path, false);
  }

  /** Reproducible bytes that differ from position to position. */
  public static byte[] body(int length, int seed) {
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

  /** The filler's lease on {@code path}; the test then plays the upstream. */
  static FillWriter filler(MirrorStore store, String path) {
    FillLease lease = store.fill(key(path));
    assertThat(lease.kind()).isEqualTo(FillLease.Kind.FILLER);
    return lease.writer();
  }

  /** Stores {@code body} under {@code path} through a whole fill and returns the object. */
  public static StoredObject store(MirrorStore store, String path, byte[] body, String... headers)
      throws Exception {
    FillWriter w = filler(store, path);
    String[] all = Arrays.copyOf(headers, headers.length + 2);
    all[headers.length] = "Content-Length";
    all[headers.length + 1] = Integer.toString(body.length);
    assertThat(w.start(200, HeaderLookup.of(all))).isTrue();
    for (int off = 0; off < body.length; off += 64 * 1024) {
      assertThat(w.write(ByteBuffer.wrap(body, off, Math.min(64 * 1024, body.length - off))))
          .isTrue();
    }
    w.complete();
    assertThat(w.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
    return store.lookup(key(path)).orElseThrow();
  }

  /** A response head read off a raw socket, the body left in the stream. */
  record Head(int status, Map<String, String> headers) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** Reads one response head from {@code socket}. */
  static Head readHead(Socket socket) throws IOException {
    String head = RawHttp.completeHead(socket.getInputStream(), "response");
    String[] lines = head.split("\r\n", -1);
    Map<String, String> headers = new LinkedHashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(
            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
            lines[i].substring(colon + 1).trim());
      }
    }
    return new Head(Integer.parseInt(lines[0].split(" ", 3)[1]), headers);
  }
}
