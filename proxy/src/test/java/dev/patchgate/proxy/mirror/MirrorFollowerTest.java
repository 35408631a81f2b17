package dev.patchgate.proxy.mirror;

import static dev.patchgate.proxy.mirror.MirrorServeFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.patchgate.mirror.FillLease;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderLookup;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.proxy.RawHttp;
import dev.patchgate.proxy.exchange.GatewayResponses;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorFollowerTest {
  private static final String PATH = "/pkg/feature-update.esd";
  private static final int CHUNK = 1 << 20;
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path dir;
  private MirrorStore store;
  private MirrorServeHarness server;
  private final BlockingQueue<FillLease.Kind> leases = new LinkedBlockingQueue<>();
  private final BlockingQueue<MirrorFollower.Ending> endings = new LinkedBlockingQueue<>();
  private final BlockingQueue<MirrorFollower.Owed> owedSeen = new LinkedBlockingQueue<>();
  // The body as the upstream would send its rest, for a follower that gives up.
  private volatile byte[] elsewhere = new byte[0];
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void start() throws Exception {
    store = MirrorServeFixtures.openStore(dir);
    server = MirrorServeHarness.start(this::answer);
  }

  /**
   * What AdmissionStage will do for a fill under way: follow it, and answer a fallback itself (here
   * with a 502 naming the ending, so the client can tell it from a mirrored answer).
   */
  private void answer(ChannelHandlerContext ctx, HttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean head = "HEAD".equals(request.method().name());
    FillLease lease = store.fill(MirrorServeFixtures.key(request.uri()));
    if (lease.kind() != FillLease.Kind.FOLLOWER) {
      leases.add(lease.kind());
      if (lease.kind() == FillLease.Kind.FILLER) {
        lease.writer().abort(FillOutcome.UPSTREAM_ERROR);
      }
      ctx.writeAndFlush(
          GatewayResponses.refusal(
              HttpResponseStatus.INTERNAL_SERVER_ERROR, "no fill", head, true));
      return;
    }
    MirrorFollower follower =
        MirrorFollower.follow(ctx, lease.reader(), request, keepAlive, 16, Clock.systemUTC());
    follower
        .ending()
        .addListener(
            f -> {
              MirrorFollower.Ending ending = (MirrorFollower.Ending) f.getNow();
              endings.add(ending);
              if (ending == MirrorFollower.Ending.GIVEN_UP) {
                // What the mirror stage gets from the upstream: here, from the test's own copy.
                MirrorFollower.Owed owed = follower.owed();
                owedSeen.add(owed);
                int from = (int) owed.from();
                ctx.write(
                    new DefaultHttpContent(
                        Unpooled.wrappedBuffer(elsewhere, from, (int) owed.to() - from)));
                ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
              } else if (ending == MirrorFollower.Ending.FALLBACK
                  || ending == MirrorFollower.Ending.FORWARD) {
                ctx.writeAndFlush(
                    GatewayResponses.refusal(
                        HttpResponseStatus.BAD_GATEWAY, ending.name(), head, !keepAlive));
              } else if (ending == MirrorFollower.Ending.COMPLETE && !keepAlive) {
                ctx.channel().close();
              }
            });
    // Reported after follow() returns: the follower has done all it can before the fill moves.
    leases.add(lease.kind());
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    store.close();
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout((int) WAIT.toMillis());
    return socket;
  }

  private static String get(String path, String... extraLines) {
    StringBuilder b = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: vendor.example\r\n");
    for (String line : extraLines) {
      b.append(line).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  /** Sends {@code request} and waits until the handler has joined the fill as a follower. */
  private Socket follow(String request) throws Exception {
    Socket socket = connect();
    RawHttp.send(socket, request);
    assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FillLease.Kind.FOLLOWER);
    return socket;
  }

  private static HeaderLookup ok(long length, String... extra) {
    String[] all = Arrays.copyOf(extra, extra.length + 2);
    all[extra.length] = "Content-Length";
    all[extra.length + 1] = Long.toString(length);
    return HeaderLookup.of(all);
  }

  private static void write(FillWriter writer, byte[] body, int from, int to) {
    assertThat(writer.write(ByteBuffer.wrap(body, from, to - from))).isTrue();
  }

  private MirrorFollower.Ending ending() throws InterruptedException {
    return endings.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  @Test
  void aFollowerReceivesEachPieceAsTheFillWritesItAndTheWholeBodyAtTheEnd() throws Exception {
    byte[] body = body(3 * CHUNK + 777, 3);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow(get(PATH))) {
      InputStream in = socket.getInputStream();
      writer.start(
          200, ok(body.length, "Content-Type", "application/octet-stream", "ETag", "\"f\""));
      write(writer, body, 0, CHUNK);
      MirrorServeFixtures.Head head = MirrorServeFixtures.readHead(socket);
      // Each piece arrives before the next one is written: the client is served while it grows.
      assertThat(in.readNBytes(CHUNK)).isEqualTo(Arrays.copyOfRange(body, 0, CHUNK));
      write(writer, body, CHUNK, 2 * CHUNK);
      assertThat(in.readNBytes(CHUNK)).isEqualTo(Arrays.copyOfRange(body, CHUNK, 2 * CHUNK));
      write(writer, body, 2 * CHUNK, body.length);
      assertThat(in.readNBytes(body.length - 2 * CHUNK))
          .isEqualTo(Arrays.copyOfRange(body, 2 * CHUNK, body.length));
      assertThat(endings).isEmpty();
      writer.complete();

      assertThat(ending()).isEqualTo(MirrorFollower.Ending.COMPLETE);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(body.length));
      assertThat(head.header("Content-Type")).isEqualTo("application/octet-stream");
      assertThat(head.header("ETag")).isEqualTo("\"f\"");
      assertThat(head.header("X-Cache")).isEqualTo("MISS from patchgate");
      assertThat(head.header("Transfer-Encoding")).isNull();
      // Keep-alive: the connection answers its next request.
      RawHttp.send(socket, get("/other"));
      assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FillLease.Kind.FILLER);
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(500);
    }
    assertThat(writer.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
  }

  @Test
  void aFillOfUnknownLengthIsStreamedChunkedAndDecodesToTheWholeBody() throws Exception {
    byte[] body = body(2 * CHUNK + 12345, 4);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    Download download = Download.start(client, uri(PATH));
    assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FillLease.Kind.FOLLOWER);
    writer.start(200, HeaderLookup.of("Transfer-Encoding", "chunked"));
    write(writer, body, 0, CHUNK);
    await().atMost(WAIT).until(() -> download.received() >= CHUNK);
    write(writer, body, CHUNK, body.length);
    await().atMost(WAIT).until(() -> download.received() >= body.length);
    writer.complete();

    assertThat(download.body()).isEqualTo(body);
    assertThat(download.response().headers().firstValue("Transfer-Encoding")).hasValue("chunked");
    assertThat(ending()).isEqualTo(MirrorFollower.Ending.COMPLETE);
  }

  @Test
  void aFillAbortedAfterSomeBytesClosesTheConnectionBeforeTheDeclaredLength() throws Exception {
    byte[] body = body(4 * CHUNK, 5);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow(get(PATH))) {
      writer.start(200, ok(body.length));
      write(writer, body, 0, CHUNK);
      MirrorServeFixtures.Head head = MirrorServeFixtures.readHead(socket);
      byte[] first = socket.getInputStream().readNBytes(CHUNK);
      writer.abort(FillOutcome.UPSTREAM_ERROR);
      byte[] rest = RawHttp.readToEnd(socket);

      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(body.length));
      assertThat(first).isEqualTo(Arrays.copyOfRange(body, 0, CHUNK));
      assertThat(rest).isEmpty();
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.CUT);
    }
  }

  @Test
  void aFillAbortedWhileARegionIsOnTheWayCutsTheConnection() throws Exception {
    byte[] body = body(16 * CHUNK, 10);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = new Socket()) {
      // A small window: the client stops reading, so a region is still on its way at the abort.
      socket.setReceiveBufferSize(64 * 1024);
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      RawHttp.send(socket, get(PATH));
      assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(FillLease.Kind.FOLLOWER);
      writer.start(200, ok(body.length));
      write(writer, body, 0, body.length);
      MirrorServeFixtures.readHead(socket);
      byte[] first = socket.getInputStream().readNBytes(1000);
      writer.abort(FillOutcome.UPSTREAM_ERROR);
      byte[] rest = RawHttp.readToEnd(socket);

      assertThat(first).isEqualTo(Arrays.copyOfRange(body, 0, 1000));
      assertThat(1000 + rest.length).isLessThan(body.length);
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.CUT);
    }
  }

  @Test
  void aFillGivenUpForAFullDiskFinishesTheRegionOnTheWayAndLeavesTheRestOwedOnAnOpenConnection()
      throws Exception {
    byte[] body = body(16 * CHUNK, 11);
    elsewhere = body;
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = new Socket()) {
      // A small window: the client stops reading, so a region is still on its way at the abort.
      socket.setReceiveBufferSize(64 * 1024);
      socket.setSoTimeout((int) WAIT.toMillis());
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.port()));
      RawHttp.send(socket, get(PATH));
      assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(FillLease.Kind.FOLLOWER);
      writer.start(200, ok(body.length, "ETag", "\"e\""));
      write(writer, body, 0, 8 * CHUNK);
      InputStream in = socket.getInputStream();
      MirrorServeFixtures.Head head = MirrorServeFixtures.readHead(socket);
      byte[] first = in.readNBytes(1000);
      writer.abort(FillOutcome.DISK_FULL);
      byte[] rest = in.readNBytes(body.length - 1000);

      assertThat(head.header("Content-Length")).isEqualTo(Integer.toString(body.length));
      assertThat(first).isEqualTo(Arrays.copyOfRange(body, 0, 1000));
      assertThat(rest).isEqualTo(Arrays.copyOfRange(body, 1000, body.length));
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.GIVEN_UP);
      MirrorFollower.Owed owed = owedSeen.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
      // The region on its way went out whole: the rest starts where the file's bytes ended.
      assertThat(owed.from()).isBetween(1000L, 8L * CHUNK);
      assertThat(owed.from() % MirrorHitWriter.MAX_REGION_BYTES).isZero();
      assertThat(owed.to()).isEqualTo(body.length);
      assertThat(owed.head().headerLookup().first("ETag")).hasValue("\"e\"");
      // Keep-alive: the connection answers its next request.
      RawHttp.send(socket, get("/other"));
      assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FillLease.Kind.FILLER);
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(500);
    }
  }

  @Test
  void aFillGivenUpForAFullDiskAfterItsLastByteWentOutStillEndsTheResponse() throws Exception {
    byte[] body = body(CHUNK, 12);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow(get(PATH))) {
      writer.start(200, ok(body.length));
      write(writer, body, 0, body.length);
      RawHttp.Response response = RawHttp.read(socket, false);
      // The disk check after the last write gives the fill up: nothing is owed any more.
      writer.abort(FillOutcome.DISK_FULL);

      assertThat(response.body()).isEqualTo(body);
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.COMPLETE);
      RawHttp.send(socket, get("/other"));
      assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FillLease.Kind.FILLER);
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(500);
    }
  }

  @Test
  void aChunkedFillAbortedAfterSomeBytesNeverSendsTheLastChunk() throws Exception {
    byte[] body = body(2 * CHUNK, 6);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    Download download = Download.start(client, uri(PATH));
    assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FillLease.Kind.FOLLOWER);
    writer.start(200, HeaderLookup.of("Transfer-Encoding", "chunked"));
    write(writer, body, 0, CHUNK);
    await().atMost(WAIT).until(() -> download.received() >= CHUNK);
    writer.abort(FillOutcome.UPSTREAM_ERROR);

    assertThatThrownBy(download::body).hasCauseInstanceOf(IOException.class);
    assertThat(ending()).isEqualTo(MirrorFollower.Ending.CUT);
  }

  @Test
  void aFillAbortedBeforeItsHeadLeavesTheClientUntouchedForTheFallback() throws Exception {
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow(get(PATH))) {
      writer.abort(FillOutcome.UPSTREAM_ERROR);

      assertThat(ending()).isEqualTo(MirrorFollower.Ending.FALLBACK);
      RawHttp.Response response = RawHttp.read(socket, false);
      // The handler's fallback answer is the first thing on the wire.
      assertThat(response.status()).isEqualTo(502);
      assertThat(response.bodyText()).contains("FALLBACK");
    }
  }

  @Test
  void aFillAbortedAfterItsHeadButBeforeAnyByteStillFallsBack() throws Exception {
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    writer.start(200, ok(1000));
    try (Socket socket = follow(get(PATH))) {
      writer.abort(FillOutcome.UPSTREAM_ERROR);

      assertThat(ending()).isEqualTo(MirrorFollower.Ending.FALLBACK);
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(502);
    }
  }

  @Test
  void theFallbackIsReportedOnlyOnceTheFillsOutcomeIsFinal() throws Exception {
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    CompletableFuture<FillOutcome> seen = new CompletableFuture<>();
    try (MirrorServeHarness other =
            MirrorServeHarness.start(
                (ctx, request) -> {
                  FillLease lease = store.fill(MirrorServeFixtures.key(PATH));
                  leases.add(lease.kind());
                  MirrorFollower.follow(ctx, lease.reader(), request, true, 16, Clock.systemUTC())
                      .ending()
                      .addListener(f -> seen.complete(lease.reader().outcome().getNow(null)));
                });
        Socket socket = new Socket(InetAddress.getLoopbackAddress(), other.port())) {
      RawHttp.send(socket, get(PATH));
      assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS))
          .isEqualTo(FillLease.Kind.FOLLOWER);
      writer.abort(FillOutcome.NOT_STORABLE);

      assertThat(seen.get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.NOT_STORABLE);
    }
  }

  @Test
  void aRangeWithinTheWrittenBytesIsAnsweredFromTheGrowingFile() throws Exception {
    byte[] body = body(8 * CHUNK, 7);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    writer.start(200, ok(body.length, "ETag", "\"r\""));
    write(writer, body, 0, CHUNK);
    try (Socket socket = follow(get(PATH, "Range: bytes=1000-200999"))) {
      RawHttp.Response response = RawHttp.read(socket, false);

      assertThat(response.status()).isEqualTo(206);
      assertThat(response.headers())
          .containsEntry("content-range", "bytes 1000-200999/" + body.length);
      assertThat(response.body()).isEqualTo(Arrays.copyOfRange(body, 1000, 201_000));
      // Its bytes were all there: it ends without waiting for the rest of the fill.
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.COMPLETE);
    }
    writer.abort(FillOutcome.UPSTREAM_ERROR);
  }

  @Test
  void aRangeThatStartsFarBeyondTheFillIsForwarded() throws Exception {
    byte[] body = body(8 * CHUNK, 8);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    writer.start(200, ok(body.length));
    write(writer, body, 0, CHUNK);
    try (Socket socket = follow(get(PATH, "Range: bytes=7000000-"))) {
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.FORWARD);
      assertThat(RawHttp.read(socket, false).bodyText()).contains("FORWARD");
    }
    writer.abort(FillOutcome.UPSTREAM_ERROR);
  }

  @Test
  void aHeadSendsTheFillsHeadWithTheDeclaredLengthAndNoBody() throws Exception {
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow("HEAD " + PATH + " HTTP/1.1\r\nHost: vendor.example\r\n\r\n")) {
      writer.start(200, ok(5000, "ETag", "\"h\""));
      RawHttp.Response head = RawHttp.read(socket, true);
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.COMPLETE);
      // A body byte after the HEAD's head would corrupt this second response.
      RawHttp.send(socket, get("/other"));
      assertThat(leases.poll(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(FillLease.Kind.FILLER);
      RawHttp.Response next = RawHttp.read(socket, false);

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("content-length", "5000");
      assertThat(head.headers()).containsEntry("etag", "\"h\"");
      assertThat(next.status()).isEqualTo(500);
    }
    writer.abort(FillOutcome.UPSTREAM_ERROR);
  }

  @Test
  void theClientsIfNoneMatchOfTheFillsVersionIs304() throws Exception {
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow(get(PATH, "If-None-Match: \"n\""))) {
      writer.start(200, ok(5000, "ETag", "\"n\""));
      RawHttp.Response response = RawHttp.read(socket, true);

      assertThat(response.status()).isEqualTo(304);
      assertThat(response.headers()).containsEntry("etag", "\"n\"");
      assertThat(ending()).isEqualTo(MirrorFollower.Ending.COMPLETE);
    }
    writer.abort(FillOutcome.UPSTREAM_ERROR);
  }

  @Test
  void anHttp10ClientOfAFillOfUnknownLengthIsForwarded() throws Exception {
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow("GET " + PATH + " HTTP/1.0\r\nHost: vendor.example\r\n\r\n")) {
      writer.start(200, HeaderLookup.of("Transfer-Encoding", "chunked"));

      assertThat(ending()).isEqualTo(MirrorFollower.Ending.FORWARD);
      assertThat(RawHttp.read(socket, false).bodyText()).contains("FORWARD");
    }
    writer.abort(FillOutcome.UPSTREAM_ERROR);
  }

  @Test
  void aClientThatLeavesDoesNotStopTheFill() throws Exception {
    byte[] body = body(2 * CHUNK, 9);
    FillWriter writer = MirrorServeFixtures.filler(store, PATH);
    try (Socket socket = follow(get(PATH))) {
      writer.start(200, ok(body.length));
      write(writer, body, 0, CHUNK);
      MirrorServeFixtures.readHead(socket);
      socket.getInputStream().readNBytes(1000);
    }
    assertThat(ending()).isEqualTo(MirrorFollower.Ending.CLIENT_GONE);
    write(writer, body, CHUNK, body.length);
    writer.complete();

    assertThat(writer.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
    assertThat(store.lookup(MirrorServeFixtures.key(PATH))).isPresent();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  /** A JDK client download read on its own thread, counting body bytes as they arrive. */
  private static final class Download {
    private final AtomicLong received = new AtomicLong();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final CompletableFuture<HttpResponse<InputStream>> response = new CompletableFuture<>();
    private final CompletableFuture<byte[]> body = new CompletableFuture<>();

    static Download start(HttpClient client, URI uri) {
      Download d = new Download();
      Thread t = new Thread(() -> d.run(client, uri), "download");
      t.setDaemon(true);
      t.start();
      return d;
    }

    private void run(HttpClient client, URI uri) {
      try {
        HttpResponse<InputStream> r =
            client.send(
                java.net.http.HttpRequest.newBuilder(uri).GET().build(),
                BodyHandlers.ofInputStream());
        response.complete(r);
        try (InputStream in = r.body()) {
          byte[] buf = new byte[64 * 1024];
          int n;
          while ((n = in.read(buf)) > 0) {
            synchronized (bytes) {
              bytes.write(buf, 0, n);
            }
            received.addAndGet(n);
          }
        }
        synchronized (bytes) {
          body.complete(bytes.toByteArray());
        }
      } catch (IOException | InterruptedException | RuntimeException e) {
        response.completeExceptionally(e);
        body.completeExceptionally(e);
      }
    }

    long received() {
      return received.get();
    }

    HttpResponse<InputStream> response() throws Exception {
      return response.get(20, TimeUnit.SECONDS);
    }

    byte[] body() throws Exception {
      return body.get(20, TimeUnit.SECONDS);
    }
  }
}
