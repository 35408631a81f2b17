package dev.patchgate.proxy.mirror.fetch;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.mirror.FillLease;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillReader;
import dev.patchgate.mirror.FillState;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.MirrorKey;
import dev.patchgate.mirror.MirrorSettings;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.mirror.StoredObject;
import dev.patchgate.proxy.FakeClock;
import dev.patchgate.proxy.HttpOrigin;
import dev.patchgate.proxy.ScriptedOrigin;
import dev.patchgate.proxy.mirror.fetch.MirrorFetchOutcome.Failure;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The mirror fetcher against real origins on loopback (the JDK's HTTP server, and raw TCP scripts
 * for upstreams that misbehave), filling a real store in a temporary directory.
 */
class MirrorFetcherTest {
  private static final long HIGH_MARK = 1L << 20;
  // After the queue passes the high mark, what one read already decoded still arrives.
  private static final long READ_SLACK = 256L << 10;
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path dir;
  private final FakeClock clock = new FakeClock(Instant.parse("2024-06-01T00:00:00Z"));
  private final List<AutoCloseable> closeLast = new ArrayList<>();
  private EventLoopGroup group;
  private FakeSlowDisk disk;
  private MirrorStore store;
  private MirrorFetcher fetcher;
  private HttpOrigin origin;

  @BeforeEach
  void start() throws IOException {
    group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    disk = new FakeSlowDisk();
    store = openStore(MirrorSettings.defaults(dir.resolve("mirror")).withMinFree(0));
    fetcher =
        new MirrorFetcher(group, Duration.ofSeconds(5), Duration.ofSeconds(30), disk, HIGH_MARK);
    origin = HttpOrigin.plain();
  }

  @AfterEach
  void stop() throws Exception {
    disk.release();
    origin.close();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    for (AutoCloseable c : closeLast) {
      c.close();
    }
    disk.close();
  }

  // ---- storing ----

  @Test
  void fetchOfAFewMegabytesIsCommittedWithIdenticalBytesAndTheirSha256() throws Exception {
    byte[] body = randomBytes(3 << 20, 1);
    origin.put("kb.bin", body);
    MirrorKey key = key(origin.base() + "/files/kb.bin");

    MirrorFetchOutcome outcome = fetch(key, "/files/kb.bin", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.STORED, Failure.NONE, 200, body.length));
    StoredObject stored = store.lookup(key).orElseThrow();
    assertThat(read(stored)).isEqualTo(body);
    assertThat(stored.meta().sha256()).isEqualTo(sha("SHA-256", body));
  }

  @Test
  void upstreamSeesAPlainGetOfTheWholeObjectWithoutTheClientsRangeOrValidators() throws Exception {
    origin.put("kb.bin", randomBytes(1000, 2));
    MirrorKey key = key(origin.base() + "/files/kb.bin");
    HttpHeaders client =
        new DefaultHttpHeaders()
            .add("User-Agent", "Windows-Update-Agent")
            .add("Range", "bytes=0-99")
            .add("If-None-Match", "\"client\"")
            .add("Proxy-Authorization", "Basic Zm9vOmJhcg==")
            .add("Accept-Encoding", "gzip");

    MirrorFetch fetch =
        fetcher.fetch(
            pinned(origin.port()),
            "updates.example.test",
            "/files/kb.bin",
            client,
            List.of(),
            filler(key),
            MirrorFetchPassThrough.NOBODY);
    fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(origin.seen()).hasSize(1);
    HttpOrigin.Seen seen = origin.seen().get(0);
    assertThat(seen.method()).isEqualTo("GET");
    assertThat(seen.target()).isEqualTo("/files/kb.bin");
    assertThat(seen.host()).isEqualTo("updates.example.test");
    assertThat(field(seen.headers(), "User-Agent")).containsExactly("Windows-Update-Agent");
    assertThat(field(seen.headers(), "Accept-Encoding")).containsExactly("identity");
    assertThat(field(seen.headers(), "Connection")).containsExactly("close");
    assertThat(field(seen.headers(), "Range")).isEmpty();
    assertThat(field(seen.headers(), "If-None-Match")).isEmpty();
    assertThat(field(seen.headers(), "Proxy-Authorization")).isEmpty();
  }

  @Test
  void followersSeeTheBytesWhileTheyArrive() throws Exception {
    int length = 8 << 20;
    MirrorKey key = key(origin.base() + "/generated/" + length);
    FillWriter writer = filler(key);
    FillLease follow = store.fill(key);
    assertThat(follow.kind()).isEqualTo(FillLease.Kind.FOLLOWER);
    // start(), then two turns of writes; then the disk stops until released.
    disk.holdAfter(3);

    try (FillReader reader = follow.reader()) {
      MirrorFetch fetch = startGenerated(length, writer, MirrorFetchPassThrough.NOBODY);
      await().atMost(WAIT).until(() -> disk.held() > 0);

      long available = reader.available();
      assertThat(reader.state()).isEqualTo(FillState.STREAMING);
      assertThat(reader.head().orElseThrow().declaredLength()).isEqualTo(length);
      assertThat(available).isPositive().isLessThan(length);
      assertThat(fetch.outcome()).isNotDone();
      assertGenerated(readFrom(reader, 0, available), 0);

      disk.release();
      assertThat(fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS).fill())
          .isEqualTo(FillOutcome.STORED);
      assertThat(reader.state()).isEqualTo(FillState.COMPLETE);
      assertGenerated(readFrom(reader, 0, length), 0);
    }
  }

  @Test
  void completeChunkedBodyIsStored() throws Exception {
    byte[] body = randomBytes(300_000, 3);
    ScriptedOrigin chunked =
        scripted(
            c -> {
              readHead(c);
              OutputStream out = c.getOutputStream();
              out.write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".getBytes(ISO_8859_1));
              for (int off = 0; off < body.length; off += 100_000) {
                int n = Math.min(100_000, body.length - off);
                out.write((Integer.toHexString(n) + "\r\n").getBytes(ISO_8859_1));
                out.write(body, off, n);
                out.write("\r\n".getBytes(ISO_8859_1));
              }
              out.write("0\r\n\r\n".getBytes(ISO_8859_1));
              out.flush();
              c.getInputStream().read(); // until the fetcher closes
            });
    MirrorKey key = key("http://updates.example.test/chunked.bin");

    MirrorFetchOutcome outcome =
        fetch(key, chunked.port(), "/chunked.bin", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome.fill()).isEqualTo(FillOutcome.STORED);
    assertThat(read(store.lookup(key).orElseThrow())).isEqualTo(body);
  }

  @Test
  void continueBeforeTheAnswerIsSkipped() throws Exception {
    ScriptedOrigin continuing =
        scripted(
            c -> {
              readHead(c);
              OutputStream out = c.getOutputStream();
              out.write(
                  ("HTTP/1.1 100 Continue\r\n\r\n"
                          + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello")
                      .getBytes(ISO_8859_1));
              out.flush();
              c.getInputStream().read();
            });
    MirrorKey key = key("http://updates.example.test/continued.txt");

    MirrorFetchOutcome outcome =
        fetch(key, continuing.port(), "/continued.txt", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome).isEqualTo(new MirrorFetchOutcome(FillOutcome.STORED, Failure.NONE, 200, 5));
    assertThat(read(store.lookup(key).orElseThrow())).isEqualTo("hello".getBytes(ISO_8859_1));
  }

  /**
   * Issue 10, finding 5: an origin that answers {@code 101} (or any {@code 1xx} but {@code 100})
   * ends the fetch: nothing stored, nothing handed to the pass-through, and the outcome says so, so
   * that the client is answered 502 instead of being forwarded upstream a second time.
   */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        "HTTP/1.1 101 Switching Protocols\r\nUpgrade: h2c\r\nConnection: Upgrade\r\n\r\n",
        "HTTP/1.1 103 Early Hints\r\nLink: </a.css>; rel=preload\r\n\r\n"
            + "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello",
        "HTTP/1.1 102 Processing\r\n\r\n",
      })
  void anInformationalAnswerOtherThanContinueEndsTheFetchWithoutAFill(String answer)
      throws Exception {
    CompletableFuture<byte[]> afterAnswer = new CompletableFuture<>();
    ScriptedOrigin switching =
        scripted(
            c -> {
              readHead(c);
              OutputStream out = c.getOutputStream();
              out.write(answer.getBytes(ISO_8859_1));
              out.flush();
              // Whatever reaches the origin after its answer: the gateway must close, not relay.
              afterAnswer.complete(c.getInputStream().readAllBytes());
            });
    MirrorKey key = key("http://updates.example.test/kb.cab");
    RecordingPassThrough client = new RecordingPassThrough(true);

    MirrorFetchOutcome outcome = fetch(key, switching.port(), "/kb.cab", client);

    assertThat(outcome.fill()).isEqualTo(FillOutcome.SWITCHED_PROTOCOLS);
    assertThat(outcome.failure()).isEqualTo(Failure.SWITCHED_PROTOCOLS);
    assertThat(outcome.status()).isBetween(101, 199);
    assertThat(afterAnswer.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEmpty();
    assertThat(switching.connections()).isEqualTo(1);
    assertThat(client.head).isNotDone();
    assertNothingStored(key);
  }

  @Test
  void contentMatchingItsHashNameIsStoredWithItsSha1() throws Exception {
    byte[] body = randomBytes(200_000, 4);
    String name = "windows10.0-kb5034441-x64_" + sha("SHA-1", body) + ".cab";
    origin.put(name, body);
    MirrorKey key = key(origin.base() + "/files/" + name);

    MirrorFetchOutcome outcome = fetch(key, "/files/" + name, MirrorFetchPassThrough.NOBODY);

    assertThat(outcome.fill()).isEqualTo(FillOutcome.STORED);
    assertThat(store.lookup(key).orElseThrow().meta().sha1()).contains(sha("SHA-1", body));
  }

  @Test
  void contentNotMatchingItsHashNameIsNotStored() throws Exception {
    String name = "windows10.0-kb5034441-x64_" + "0123456789".repeat(4) + ".cab";
    origin.put(name, randomBytes(200_000, 5));
    MirrorKey key = key(origin.base() + "/files/" + name);

    MirrorFetchOutcome outcome = fetch(key, "/files/" + name, MirrorFetchPassThrough.NOBODY);

    assertThat(outcome)
        .isEqualTo(
            new MirrorFetchOutcome(FillOutcome.INTEGRITY_MISMATCH, Failure.NONE, 200, 200_000));
    assertNothingStored(key);
  }

  // ---- not storable: the pass-through ----

  @Test
  void notFoundGoesToThePassThroughAndNothingIsStored() throws Exception {
    MirrorKey key = key(origin.base() + "/files/missing.cab");
    FillWriter writer = filler(key);
    FillReader follower = store.fill(key).reader();
    RecordingPassThrough client = new RecordingPassThrough(true);

    MirrorFetchOutcome outcome = fetch(key, writer, origin.port(), "/files/missing.cab", client);

    assertThat(outcome.fill()).isEqualTo(FillOutcome.NOT_STORABLE);
    assertThat(outcome.failure()).isEqualTo(Failure.NONE);
    assertThat(outcome.status()).isEqualTo(404);
    assertThat(client.head.get().status().code()).isEqualTo(404);
    assertThat(client.ended).isCompleted();
    assertThat(client.error).isNotDone();
    assertThat(follower.state()).isEqualTo(FillState.ABORTED);
    follower.close();
    assertNothingStored(key);
  }

  @Test
  void passThroughHeadHasNoHopByHopFieldsButKeepsItsFraming() throws Exception {
    ScriptedOrigin teapot =
        scripted(
            c -> {
              readHead(c);
              c.getOutputStream()
                  .write(
                      ("HTTP/1.1 418 I'm a teapot\r\nContent-Length: 5\r\n"
                              + "Connection: close, X-Hop\r\nX-Hop: 1\r\n"
                              + "Keep-Alive: timeout=5\r\nX-Kept: 2\r\n\r\nshort")
                          .getBytes(ISO_8859_1));
            });
    RecordingPassThrough client = new RecordingPassThrough(true);

    fetch(key("http://updates.example.test/tea"), teapot.port(), "/tea", client);

    HttpHeaders head = client.head.get().headers();
    assertThat(head.get("Content-Length")).isEqualTo("5");
    assertThat(head.get("X-Kept")).isEqualTo("2");
    assertThat(head.contains("Connection")).isFalse();
    assertThat(head.contains("X-Hop")).isFalse();
    assertThat(head.contains("Keep-Alive")).isFalse();
    assertThat(client.body()).isEqualTo("short".getBytes(ISO_8859_1));
  }

  @Test
  void passThroughStopsReadingUntilItsConsumerResumes() throws Exception {
    MirrorStore small =
        openStore(
            MirrorSettings.defaults(dir.resolve("small"))
                .withMinFree(0)
                .withSizes(64L << 20, 1L << 20));
    int length = 8 << 20;
    MirrorKey key = key(origin.base() + "/generated/" + length);
    RecordingPassThrough client = new RecordingPassThrough(false);

    MirrorFetch fetch =
        fetcher.fetch(
            pinned(origin.port()),
            "127.0.0.1",
            "/generated/" + length,
            EmptyHttpHeaders.INSTANCE,
            List.of(),
            filler(small, key),
            client);
    await().atMost(WAIT).until(() -> client.received() > 0 && fetch.readingPaused());

    assertThat(client.received()).isLessThan(length);
    assertThat(client.ended).isNotDone();
    client.accepting = true;
    fetch.resume();

    MirrorFetchOutcome outcome = fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.TOO_LARGE, Failure.NONE, 200, length));
    assertThat(client.ended).isCompleted();
    assertGenerated(client.body(), 0);
    assertThat(client.body()).hasSize(length);
  }

  @Test
  void passThroughIsToldWhenTheBodyIsCutShort() throws Exception {
    ScriptedOrigin cut =
        scripted(
            c -> {
              readHead(c);
              c.getOutputStream()
                  .write(
                      "HTTP/1.1 404 Not Found\r\nContent-Length: 1000\r\n\r\nten bytes!"
                          .getBytes(ISO_8859_1));
            });
    RecordingPassThrough client = new RecordingPassThrough(true);

    MirrorFetchOutcome outcome =
        fetch(key("http://updates.example.test/gone"), cut.port(), "/gone", client);

    assertThat(outcome.failure()).isEqualTo(Failure.BROKEN);
    assertThat(client.head.get().status().code()).isEqualTo(404);
    assertThat(client.error).isCompleted();
    assertThat(client.ended).isNotDone();
  }

  // ---- the rest of a download ----

  @Test
  void aRangeFetchSendsItsRangeAndIfRangeAndPassesThe206OnStoringNothing() throws Exception {
    CompletableFuture<String> asked = new CompletableFuture<>();
    ScriptedOrigin ranged =
        scripted(
            c -> {
              asked.complete(readHead(c));
              c.getOutputStream()
                  .write(
                      ("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 4-9/10\r\n"
                              + "Content-Length: 6\r\nETag: \"v\"\r\n\r\n456789")
                          .getBytes(ISO_8859_1));
            });
    RecordingPassThrough client = new RecordingPassThrough(true);
    HttpHeaders clientHeaders =
        new DefaultHttpHeaders()
            .add("User-Agent", "Microsoft BITS/7.8")
            .add("Range", "bytes=0-1")
            .add("Cookie", "session=1");

    MirrorFetch fetch =
        fetcher.fetchRange(
            pinned(ranged.port()),
            "updates.example.test",
            "/kb.cab",
            clientHeaders,
            List.of(new HeaderField("Range", "bytes=4-9"), new HeaderField("If-Range", "\"v\"")),
            client);
    MirrorFetchOutcome outcome = fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.NOT_STORABLE, Failure.NONE, 206, 6));
    String request = asked.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(request)
        .startsWith("GET /kb.cab HTTP/1.1\r\n")
        .containsIgnoringCase("\r\nrange: bytes=4-9\r\n")
        .containsIgnoringCase("\r\nif-range: \"v\"\r\n")
        .containsIgnoringCase("\r\nuser-agent: Microsoft BITS/7.8\r\n")
        .doesNotContain("bytes=0-1")
        .doesNotContainIgnoringCase("cookie");
    assertThat(client.head.get().status().code()).isEqualTo(206);
    assertThat(client.head.get().headers().get("Content-Range")).isEqualTo("bytes 4-9/10");
    assertThat(client.body()).isEqualTo("456789".getBytes(ISO_8859_1));
    assertThat(client.ended).isCompleted();
    assertNothingStored(key("http://updates.example.test/kb.cab"));
  }

  @Test
  void aRangeFetchThatCannotConnectSaysSoWithoutCallingItsConsumer() throws Exception {
    int closed;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    RecordingPassThrough client = new RecordingPassThrough(true);

    MirrorFetchOutcome outcome =
        fetcher
            .fetchRange(
                pinned(closed),
                "updates.example.test",
                "/kb.cab",
                EmptyHttpHeaders.INSTANCE,
                List.of(new HeaderField("Range", "bytes=4-9")),
                client)
            .outcome()
            .get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome.failure()).isEqualTo(Failure.UNREACHABLE);
    assertThat(outcome.fill()).isEqualTo(FillOutcome.UPSTREAM_ERROR);
    assertThat(client.head).isNotDone();
    assertThat(client.error).isNotDone();
  }

  // ---- upstream failures ----

  @Test
  void shortBodyAbortsStoresNothingAndSaysSo() throws Exception {
    ScriptedOrigin shortBody =
        scripted(
            c -> {
              readHead(c);
              OutputStream out = c.getOutputStream();
              out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n".getBytes(ISO_8859_1));
              out.write(new byte[500]);
            });
    MirrorKey key = key("http://updates.example.test/short.cab");
    FillWriter writer = filler(key);
    FillReader follower = store.fill(key).reader();

    MirrorFetchOutcome outcome =
        fetch(key, writer, shortBody.port(), "/short.cab", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.SHORT_BODY, Failure.BROKEN, 200, 500));
    assertThat(follower.state()).isEqualTo(FillState.ABORTED);
    follower.close();
    assertNothingStored(key);
  }

  @Test
  void resetMidBodyAbortsAndStoresNothing() throws Exception {
    ScriptedOrigin reset =
        scripted(
            c -> {
              readHead(c);
              OutputStream out = c.getOutputStream();
              out.write("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\n\r\n".getBytes(ISO_8859_1));
              out.write(new byte[256 << 10]);
              out.flush();
              c.setSoLinger(true, 0); // close sends a reset
            });
    MirrorKey key = key("http://updates.example.test/reset.cab");

    MirrorFetchOutcome outcome =
        fetch(key, reset.port(), "/reset.cab", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome.failure()).isEqualTo(Failure.BROKEN);
    assertThat(outcome.fill()).isIn(FillOutcome.UPSTREAM_ERROR, FillOutcome.SHORT_BODY);
    assertNothingStored(key);
  }

  @Test
  void chunkedBodyCutShortIsNotStored() throws Exception {
    ScriptedOrigin cut =
        scripted(
            c -> {
              readHead(c);
              OutputStream out = c.getOutputStream();
              out.write(
                  "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1000\r\n"
                      .getBytes(ISO_8859_1));
              out.write(new byte[4096]);
              out.write("\r\n".getBytes(ISO_8859_1)); // and never the last chunk
            });
    MirrorKey key = key("http://updates.example.test/cut.cab");

    MirrorFetchOutcome outcome = fetch(key, cut.port(), "/cut.cab", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.UPSTREAM_ERROR, Failure.BROKEN, 200, 4096));
    assertNothingStored(key);
  }

  @Test
  void malformedResponseAbortsAsBroken() throws Exception {
    ScriptedOrigin garbage =
        scripted(
            c -> {
              readHead(c);
              c.getOutputStream().write("SSH-2.0-OpenSSH_9.6\r\n\r\n".getBytes(ISO_8859_1));
              c.getInputStream().read();
            });
    MirrorKey key = key("http://updates.example.test/odd.cab");

    MirrorFetchOutcome outcome =
        fetch(key, garbage.port(), "/odd.cab", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.UPSTREAM_ERROR, Failure.BROKEN, 0, 0));
    assertNothingStored(key);
  }

  @Test
  void responseHeadOverTheLimitAbortsAsBroken() throws Exception {
    ScriptedOrigin bloated =
        scripted(
            c -> {
              readHead(c);
              OutputStream out = c.getOutputStream();
              out.write("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n".getBytes(ISO_8859_1));
              String filler = "X-Filler: " + "a".repeat(1000) + "\r\n";
              for (int i = 0; i < 20; i++) {
                out.write(filler.getBytes(ISO_8859_1));
              }
              out.write("\r\nx".getBytes(ISO_8859_1));
              out.flush();
              c.getInputStream().read();
            });
    MirrorKey key = key("http://updates.example.test/bloated.cab");

    MirrorFetchOutcome outcome =
        fetch(key, bloated.port(), "/bloated.cab", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome.failure()).isEqualTo(Failure.BROKEN);
    assertThat(outcome.fill()).isEqualTo(FillOutcome.UPSTREAM_ERROR);
    assertNothingStored(key);
  }

  @Test
  void refusedConnectionAbortsAsUnreachable() throws Exception {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    MirrorKey key = key("http://updates.example.test/kb.cab");

    MirrorFetchOutcome outcome = fetch(key, closedPort, "/kb.cab", MirrorFetchPassThrough.NOBODY);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.UPSTREAM_ERROR, Failure.UNREACHABLE, 0, 0));
    assertThat(outcome.upstreamUnreachable()).isTrue();
    assertNothingStored(key);
  }

  @Test
  void silentUpstreamTimesOut() throws Exception {
    MirrorFetcher impatient =
        new MirrorFetcher(group, Duration.ofSeconds(5), Duration.ofMillis(300), disk, HIGH_MARK);
    ScriptedOrigin silent = scripted(MirrorFetcherTest::headThenSilence);
    MirrorKey key = key("http://updates.example.test/slow.cab");

    MirrorFetch fetch =
        impatient.fetch(
            pinned(silent.port()),
            "updates.example.test",
            "/slow.cab",
            EmptyHttpHeaders.INSTANCE,
            List.of(),
            filler(key),
            MirrorFetchPassThrough.NOBODY);
    MirrorFetchOutcome outcome = fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.STALLED, Failure.TIMED_OUT, 200, 10));
    assertNothingStored(key);
  }

  @Test
  void theIdleTimeoutIsMeasuredWithTheGivenTicker() throws Exception {
    AtomicLong nanos = new AtomicLong();
    Duration idle = Duration.ofMillis(100);
    MirrorFetcher ticking =
        new MirrorFetcher(group, Duration.ofSeconds(5), idle, disk, HIGH_MARK, nanos::get);
    ScriptedOrigin silent = scripted(MirrorFetcherTest::headThenSilence);
    MirrorKey key = key("http://updates.example.test/still.cab");

    CompletableFuture<MirrorFetchOutcome> outcome =
        ticking
            .fetch(
                pinned(silent.port()),
                "updates.example.test",
                "/still.cab",
                EmptyHttpHeaders.INSTANCE,
                List.of(),
                filler(key),
                MirrorFetchPassThrough.NOBODY)
            .outcome();

    // Several idle periods of real time go by while the ticker stands still: no timeout.
    await().during(idle.multipliedBy(5)).atMost(WAIT).until(() -> !outcome.isDone());
    nanos.addAndGet(idle.toNanos());

    assertThat(outcome.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.STALLED, Failure.TIMED_OUT, 200, 10));
  }

  @Test
  void cancelAbortsTheFillAndClosesTheConnection() throws Exception {
    CompletableFuture<Void> originSawClose = new CompletableFuture<>();
    ScriptedOrigin silent =
        scripted(
            c -> {
              headThenSilence(c);
              originSawClose.complete(null);
            });
    MirrorKey key = key("http://updates.example.test/slow.cab");
    FillWriter writer = filler(key);
    MirrorFetch fetch =
        fetcher.fetch(
            pinned(silent.port()),
            "updates.example.test",
            "/slow.cab",
            EmptyHttpHeaders.INSTANCE,
            List.of(),
            writer,
            MirrorFetchPassThrough.NOBODY);
    await().atMost(WAIT).until(() -> writer.written() == 10);

    fetch.cancel();

    assertThat(fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.CLOSED, Failure.CANCELLED, 200, 10));
    originSawClose.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertNothingStored(key);
  }

  // ---- backpressure ----

  @Test
  void slowDiskStopsTheFetchReadingUpstreamUntilItCatchesUp() throws Exception {
    int length = 32 << 20;
    MirrorKey key = key(origin.base() + "/generated/" + length);
    disk.holdAfter(2); // start(), one turn of writes, then the disk stalls

    MirrorFetch fetch = startGenerated(length, filler(key), MirrorFetchPassThrough.NOBODY);
    awaitDiskBehind(fetch);

    assertThat(fetch.queuedBytes()).isBetween(HIGH_MARK / 4, HIGH_MARK + READ_SLACK);
    assertThat(disk.held()).isEqualTo(1);
    assertThat(fetch.outcome()).isNotDone();

    disk.release();

    MirrorFetchOutcome outcome = fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(outcome.fill()).isEqualTo(FillOutcome.STORED);
    assertThat(fetch.peakQueuedBytes()).isLessThanOrEqualTo(HIGH_MARK + READ_SLACK);
    assertThat(fetch.queuedBytes()).isZero();
    StoredObject stored = store.lookup(key).orElseThrow();
    assertThat(stored.length()).isEqualTo(length);
    try (FileChannel ch = stored.open()) {
      ByteBuffer all = ByteBuffer.allocate(length);
      while (all.hasRemaining() && ch.read(all) > 0) {
        // keep reading
      }
      assertGenerated(all.array(), 0);
    }
  }

  @Test
  void cancelWhileTheDiskIsBehindReleasesEverythingQueued() throws Exception {
    int length = 32 << 20;
    MirrorKey key = key(origin.base() + "/generated/" + length);
    disk.holdAfter(2);
    MirrorFetch fetch = startGenerated(length, filler(key), MirrorFetchPassThrough.NOBODY);
    awaitDiskBehind(fetch);

    fetch.cancel();

    MirrorFetchOutcome outcome = fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(outcome.fill()).isEqualTo(FillOutcome.CLOSED);
    assertThat(outcome.failure()).isEqualTo(Failure.CANCELLED);
    assertThat(fetch.queuedBytes()).isZero();
    disk.release(); // the held turn finds nothing left to write
    assertNothingStored(key);
  }

  @Test
  void closingTheStoreEndsAFetchInProgress() throws Exception {
    int length = 32 << 20;
    MirrorKey key = key(origin.base() + "/generated/" + length);
    disk.holdAfter(2);
    MirrorFetch fetch = startGenerated(length, filler(key), MirrorFetchPassThrough.NOBODY);
    awaitDiskBehind(fetch);

    store.close();
    disk.release();

    MirrorFetchOutcome outcome = fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(outcome.fill()).isEqualTo(FillOutcome.CLOSED);
    assertThat(outcome.bodyBytes()).isLessThan(length);
    await().atMost(WAIT).until(() -> fetch.queuedBytes() == 0);
  }

  // ---- revalidation ----

  @Test
  void revalidationAnswered304RevalidatesTheStoredCopy() throws Exception {
    byte[] body = randomBytes(50_000, 6);
    List<String> heads = new CopyOnWriteArrayList<>();
    ScriptedOrigin validating =
        scripted(
            c -> {
              String head = readHead(c);
              heads.add(head);
              OutputStream out = c.getOutputStream();
              if (head.contains("If-None-Match")) {
                out.write(
                    ("HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\n"
                            + "Cache-Control: max-age=600\r\n\r\n")
                        .getBytes(ISO_8859_1));
              } else {
                out.write(
                    ("HTTP/1.1 200 OK\r\nContent-Length: "
                            + body.length
                            + "\r\nETag: \"v1\"\r\nCache-Control: max-age=0\r\n\r\n")
                        .getBytes(ISO_8859_1));
                out.write(body);
              }
              out.flush();
              c.getInputStream().read();
            });
    MirrorKey key = key("http://updates.example.test/wsusscn2.cab");
    assertThat(fetch(key, validating.port(), "/wsusscn2.cab", MirrorFetchPassThrough.NOBODY).fill())
        .isEqualTo(FillOutcome.STORED);
    HttpHeaders client =
        new DefaultHttpHeaders().add("Range", "bytes=0-9").add("If-None-Match", "\"client\"");
    RecordingPassThrough passThrough = new RecordingPassThrough(true);

    MirrorFetch revalidation =
        fetcher.fetch(
            pinned(validating.port()),
            "updates.example.test",
            "/wsusscn2.cab",
            client,
            List.of(new HeaderField("If-None-Match", "\"v1\"")),
            filler(key),
            passThrough);
    MirrorFetchOutcome outcome = revalidation.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);

    assertThat(outcome)
        .isEqualTo(new MirrorFetchOutcome(FillOutcome.NOT_MODIFIED, Failure.NONE, 304, 0));
    assertThat(heads).hasSize(2);
    assertThat(heads.get(1)).contains("If-None-Match: \"v1\"\r\n");
    assertThat(heads.get(1)).doesNotContain("client").doesNotContain("Range");
    StoredObject stored = store.lookup(key).orElseThrow();
    assertThat(stored.meta().headerLookup().all("Cache-Control")).containsExactly("max-age=600");
    assertThat(read(stored)).isEqualTo(body);
    assertThat(passThrough.head).isNotDone();
  }

  // ---- helpers ----

  private MirrorStore openStore(MirrorSettings settings) throws IOException {
    MirrorStore s = MirrorStore.open(settings, clock, new SimpleMeterRegistry());
    closeLast.add(s);
    return s;
  }

  private ScriptedOrigin scripted(ScriptedOrigin.Script script) throws IOException {
    ScriptedOrigin o = new ScriptedOrigin(script);
    closeLast.add(0, o);
    return o;
  }

  private static MirrorKey key(String url) {
    return MirrorKey.of(url, false);
  }

  private FillWriter filler(MirrorKey key) {
    return filler(store, key);
  }

  private static FillWriter filler(MirrorStore in, MirrorKey key) {
    FillLease lease = in.fill(key);
    assertThat(lease.kind()).isEqualTo(FillLease.Kind.FILLER);
    return lease.writer();
  }

  private static InetSocketAddress pinned(int port) {
    return new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
  }

  /**
   * Starts the fetch of a generated body of {@code length} bytes from the origin into {@code
   * writer}.
   */
  private MirrorFetch startGenerated(
      int length, FillWriter writer, MirrorFetchPassThrough passThrough) {
    return fetcher.fetch(
        pinned(origin.port()),
        "127.0.0.1",
        "/generated/" + length,
        EmptyHttpHeaders.INSTANCE,
        List.of(),
        writer,
        passThrough);
  }

  private MirrorFetchOutcome fetch(MirrorKey key, String path, MirrorFetchPassThrough passThrough)
      throws Exception {
    return fetch(key, origin.port(), path, passThrough);
  }

  private MirrorFetchOutcome fetch(
      MirrorKey key, int port, String path, MirrorFetchPassThrough passThrough) throws Exception {
    return fetch(key, filler(key), port, path, passThrough);
  }

  private MirrorFetchOutcome fetch(
      MirrorKey key, FillWriter writer, int port, String path, MirrorFetchPassThrough passThrough)
      throws Exception {
    assertThat(writer.key()).isEqualTo(key);
    MirrorFetch fetch =
        fetcher.fetch(
            pinned(port),
            "updates.example.test",
            path,
            EmptyHttpHeaders.INSTANCE,
            List.of(),
            writer,
            passThrough);
    return fetch.outcome().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /**
   * Waits until the disk holds the fill's next turn and the fetch has stopped reading: more than
   * the high mark was queued, and the queue has not drained to the low mark since.
   */
  private void awaitDiskBehind(MirrorFetch fetch) {
    await().atMost(WAIT).until(() -> disk.held() > 0 && fetch.readingPaused());
    assertThat(fetch.peakQueuedBytes()).isBetween(HIGH_MARK, HIGH_MARK + READ_SLACK);
  }

  private void assertNothingStored(MirrorKey key) throws IOException {
    assertThat(store.lookup(key)).isEmpty();
    Path root = dir.resolve("mirror");
    try (Stream<Path> files = Files.walk(root)) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .map(p -> root.relativize(p).toString())
                  .filter(p -> !p.equals("lock")))
          .as("files left in the store")
          .isEmpty();
    }
  }

  /** The origin's script: a head promising 1000 bytes, 10 of them, then nothing until closed. */
  private static void headThenSilence(Socket c) throws IOException {
    readHead(c);
    OutputStream out = c.getOutputStream();
    out.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n0123456789".getBytes(ISO_8859_1));
    out.flush();
    InputStream in = c.getInputStream();
    while (in.read() >= 0) {
      // wait for the fetcher to go
    }
  }

  /** Reads a request head from the socket, up to and including the blank line. */
  private static String readHead(Socket c) throws IOException {
    InputStream in = c.getInputStream();
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    byte[] end = "\r\n\r\n".getBytes(ISO_8859_1);
    int matched = 0;
    while (matched < end.length) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("request head cut short: " + head.toString(ISO_8859_1));
      }
      head.write(b);
      matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    return head.toString(ISO_8859_1);
  }

  private static List<String> field(Map<String, List<String>> headers, String name) {
    List<String> values = new ArrayList<>();
    headers.forEach(
        (k, v) -> {
          if (k.equalsIgnoreCase(name)) {
            values.addAll(v);
          }
        });
    return values;
  }

  private static byte[] readFrom(FillReader reader, long from, long to) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate((int) (to - from));
    while (buf.hasRemaining()) {
      int n = reader.read(buf, from + buf.position());
      if (n <= 0) {
        break;
      }
    }
    assertThat(buf.position()).isEqualTo((int) (to - from));
    return buf.array();
  }

  private static byte[] read(StoredObject o) throws IOException {
    try (FileChannel ch = o.open()) {
      ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
      while (buf.hasRemaining() && ch.read(buf) > 0) {
        // keep reading
      }
      return buf.array();
    }
  }

  private static void assertGenerated(byte[] bytes, long from) {
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] != HttpOrigin.generatedByte(from + i)) {
        throw new AssertionError("byte " + (from + i) + " differs from the origin's");
      }
    }
  }

  private static byte[] randomBytes(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  private static String sha(String algorithm, byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(bytes));
  }

  /**
   * A pass-through consumer that keeps what it gets (copied, the buffers released) and takes more
   * only while {@link #accepting}.
   */
  private static final class RecordingPassThrough implements MirrorFetchPassThrough {
    final CompletableFuture<HttpResponse> head = new CompletableFuture<>();
    final CompletableFuture<Void> ended = new CompletableFuture<>();
    final CompletableFuture<Throwable> error = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    volatile boolean accepting;

    RecordingPassThrough(boolean accepting) {
      this.accepting = accepting;
    }

    @Override
    public void onHead(HttpResponse response) {
      head.complete(response);
    }

    @Override
    public boolean onContent(ByteBuf content) {
      try {
        byte[] copy = new byte[content.readableBytes()];
        content.readBytes(copy);
        synchronized (bytes) {
          bytes.writeBytes(copy);
        }
      } finally {
        content.release();
      }
      return accepting;
    }

    @Override
    public void onEnd() {
      ended.complete(null);
    }

    @Override
    public void onError(Throwable cause) {
      error.complete(cause);
    }

    int received() {
      synchronized (bytes) {
        return bytes.size();
      }
    }

    byte[] body() {
      synchronized (bytes) {
        return bytes.toByteArray();
      }
    }
  }

  /**
   * A disk pool that lets a number of tasks through and then holds every later one until {@link
   * #release()}: a disk that stalls, deterministically.
   */
  private static final class FakeSlowDisk implements Executor, AutoCloseable {
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final List<Runnable> held = new ArrayList<>();
    private int passes = Integer.MAX_VALUE;

    synchronized void holdAfter(int tasks) {
      passes = tasks;
    }

    synchronized int held() {
      return held.size();
    }

    void release() {
      List<Runnable> go;
      synchronized (this) {
        passes = Integer.MAX_VALUE;
        go = new ArrayList<>(held);
        held.clear();
      }
      go.forEach(threads::execute);
    }

    @Override
    public void execute(Runnable task) {
      synchronized (this) {
        if (passes <= 0) {
          held.add(task);
          return;
        }
        passes--;
      }
      threads.execute(task);
    }

    @Override
    public void close() throws InterruptedException {
      release();
      threads.shutdown();
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
  }
}
