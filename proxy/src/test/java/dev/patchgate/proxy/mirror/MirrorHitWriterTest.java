package dev.patchgate.proxy.mirror;

import static dev.patchgate.proxy.mirror.MirrorServeFixtures.body;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.mirror.StoredObject;
import dev.patchgate.proxy.RawHttp;
import dev.patchgate.proxy.exchange.GatewayResponses;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MirrorHitWriterTest {
  private static final String PATH = "/pkg/kb5031356.cab";
  private static final String ETAG = "\"v1\"";
  private static final String LAST_MODIFIED = "Tue, 07 Nov 2026 10:00:00 GMT";
  // An odd size, a little over 5 MiB.
  private static final byte[] BODY = body((5 << 20) + 4321, 7);

  @TempDir Path dir;
  private MirrorStore store;
  private MirrorServeHarness server;
  private StoredObject object;
  private final AtomicReference<StoredObject> pinned = new AtomicReference<>();
  private final BlockingQueue<ChannelFuture> lastWrites = new LinkedBlockingQueue<>();
  private final HttpClient client =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();

  @BeforeEach
  void start() throws Exception {
    store = MirrorServeFixtures.openStore(dir);
    object =
        MirrorServeFixtures.store(
            store,
            PATH,
            BODY,
            "Content-Type",
            "application/vnd.ms-cab-compressed",
            "ETag",
            ETAG,
            "Last-Modified",
            LAST_MODIFIED,
            "Cache-Control",
            "max-age=86400");
    MirrorHitWriter writer = new MirrorHitWriter(16, Clock.systemUTC());
    server = MirrorServeHarness.start((ctx, request) -> answer(writer, ctx, request));
  }

  /** What AdmissionStage will do for a hit: serve, or treat a vanished file as a miss. */
  private void answer(MirrorHitWriter writer, ChannelHandlerContext ctx, HttpRequest request) {
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    StoredObject hit = pinned.get();
    if (hit == null) {
      hit = store.lookup(MirrorServeFixtures.key(request.uri())).orElse(null);
    }
    Optional<ChannelFuture> served =
        hit == null ? Optional.empty() : writer.serve(ctx, hit, request, keepAlive);
    if (served.isEmpty()) {
      ctx.writeAndFlush(
          GatewayResponses.refusal(
              HttpResponseStatus.NOT_FOUND, "miss", "HEAD".equals(request.method().name()), false));
      return;
    }
    lastWrites.add(served.get());
    if (!keepAlive) {
      served.get().addListener(ChannelFutureListener.CLOSE);
    }
  }

  @AfterEach
  void stop() throws Exception {
    server.close();
    store.close();
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  private HttpResponse<byte[]> get(String... headers) throws Exception {
    java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(uri(PATH));
    if (headers.length > 0) {
      b.headers(headers);
    }
    return client.send(b.GET().build(), BodyHandlers.ofByteArray());
  }

  private Socket connect() throws IOException {
    Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
    socket.setSoTimeout(20_000);
    return socket;
  }

  @Test
  void getOfAStoredObjectReturnsItsExactBytesAndRepresentationFields() throws Exception {
    HttpResponse<byte[]> response = get();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BODY);
    assertThat(response.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(BODY.length));
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("application/vnd.ms-cab-compressed");
    assertThat(response.headers().firstValue("ETag")).hasValue(ETAG);
    assertThat(response.headers().firstValue("Last-Modified")).hasValue(LAST_MODIFIED);
    assertThat(response.headers().firstValue("Accept-Ranges")).hasValue("bytes");
    assertThat(response.headers().firstValue("X-Cache")).hasValue("HIT from patchgate");
    assertThat(response.headers().firstValue("Age")).isPresent();
    assertThat(response.headers().firstValue("Date")).isPresent();
    assertThat(response.headers().firstValue("Transfer-Encoding")).isEmpty();
    assertThat(lastWrites.poll(20, TimeUnit.SECONDS).await().isSuccess()).isTrue();
    assertThat(object.hits()).isEqualTo(1);
  }

  @Test
  void headSendsTheHeadOfTheGetAndNoBodyBytes() throws Exception {
    try (Socket socket = connect()) {
      RawHttp.send(socket, "HEAD " + PATH + " HTTP/1.1\r\nHost: vendor.example\r\n\r\n");
      RawHttp.Response head = RawHttp.read(socket, true);
      // A body byte after the HEAD's head would corrupt this second response.
      RawHttp.send(
          socket, "GET " + PATH + " HTTP/1.1\r\nHost: vendor.example\r\nRange: bytes=0-9\r\n\r\n");
      RawHttp.Response next = RawHttp.read(socket, false);

      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers()).containsEntry("content-length", Integer.toString(BODY.length));
      assertThat(head.headers()).containsEntry("etag", ETAG);
      assertThat(next.status()).isEqualTo(206);
      assertThat(next.body()).isEqualTo(Arrays.copyOfRange(BODY, 0, 10));
    }
  }

  @Test
  void aSingleRangeReturnsExactlyThoseBytes() throws Exception {
    HttpResponse<byte[]> middle = get("Range", "bytes=1000000-1999999");
    HttpResponse<byte[]> suffix = get("Range", "bytes=-500");

    assertThat(middle.statusCode()).isEqualTo(206);
    assertThat(middle.headers().firstValue("Content-Range"))
        .hasValue("bytes 1000000-1999999/" + BODY.length);
    assertThat(middle.body()).isEqualTo(Arrays.copyOfRange(BODY, 1_000_000, 2_000_000));
    assertThat(suffix.statusCode()).isEqualTo(206);
    assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(BODY, BODY.length - 500, BODY.length));
  }

  @Test
  void severalRangesComeAsAMultipartBodyWhosePartsHoldExactlyThoseBytes() throws Exception {
    HttpResponse<byte[]> response = get("Range", "bytes=5000000-,0-99,1000-1099");

    assertThat(response.statusCode()).isEqualTo(206);
    String type = response.headers().firstValue("Content-Type").orElseThrow();
    assertThat(type).startsWith("multipart/byteranges; boundary=");
    assertThat(response.headers().firstValue("Content-Length"))
        .hasValue(Integer.toString(response.body().length));
    List<Part> parts = parseMultipart(response.body(), type.substring(type.indexOf('=') + 1));
    assertThat(parts)
        .extracting(Part::contentRange)
        .containsExactly(
            "bytes 0-99/" + BODY.length,
            "bytes 1000-1099/" + BODY.length,
            "bytes 5000000-" + (BODY.length - 1) + "/" + BODY.length);
    assertThat(parts.get(0).data()).isEqualTo(Arrays.copyOfRange(BODY, 0, 100));
    assertThat(parts.get(1).data()).isEqualTo(Arrays.copyOfRange(BODY, 1000, 1100));
    assertThat(parts.get(2).data()).isEqualTo(Arrays.copyOfRange(BODY, 5_000_000, BODY.length));
    assertThat(parts)
        .allSatisfy(
            p -> assertThat(p.contentType()).isEqualTo("application/vnd.ms-cab-compressed"));
  }

  @Test
  void aRangeBeyondTheEndIs416NamingTheLength() throws Exception {
    HttpResponse<byte[]> response = get("Range", "bytes=99999999-");

    assertThat(response.statusCode()).isEqualTo(416);
    assertThat(response.headers().firstValue("Content-Range")).hasValue("bytes */" + BODY.length);
    assertThat(response.body()).isEmpty();
  }

  @Test
  void anIfRangeForAnotherVersionGetsTheWholeObject() throws Exception {
    HttpResponse<byte[]> response = get("Range", "bytes=0-99", "If-Range", "\"v0\"");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BODY);
  }

  @Test
  void anIfRangeForThisVersionGetsTheRange() throws Exception {
    HttpResponse<byte[]> response = get("Range", "bytes=0-99", "If-Range", ETAG);

    assertThat(response.statusCode()).isEqualTo(206);
    assertThat(response.body()).isEqualTo(Arrays.copyOfRange(BODY, 0, 100));
  }

  @Test
  void theClientsOwnIfNoneMatchOfTheStoredVersionIs304WithoutABody() throws Exception {
    HttpResponse<byte[]> response = get("If-None-Match", ETAG);

    assertThat(response.statusCode()).isEqualTo(304);
    assertThat(response.headers().firstValue("ETag")).hasValue(ETAG);
    assertThat(response.body()).isEmpty();
    assertThat(object.hits()).isEqualTo(1);
  }

  @Test
  void twoHitsShareOneKeepAliveConnection() throws Exception {
    try (Socket socket = connect()) {
      String request = "GET " + PATH + " HTTP/1.1\r\nHost: vendor.example\r\n\r\n";
      RawHttp.send(socket, request);
      RawHttp.Response first = RawHttp.read(socket, false);
      RawHttp.send(socket, request);
      RawHttp.Response second = RawHttp.read(socket, false);

      assertThat(first.status()).isEqualTo(200);
      assertThat(first.headers()).doesNotContainKey("connection");
      assertThat(first.body()).isEqualTo(BODY);
      assertThat(second.status()).isEqualTo(200);
      assertThat(second.body()).isEqualTo(BODY);
    }
    assertThat(object.hits()).isEqualTo(2);
  }

  @Test
  void aClientAskingToCloseGetsConnectionCloseAndTheWholeBodyBeforeTheClose() throws Exception {
    try (Socket socket = connect()) {
      RawHttp.send(
          socket, "GET " + PATH + " HTTP/1.1\r\nHost: vendor.example\r\nConnection: close\r\n\r\n");
      RawHttp.Response response = RawHttp.read(socket, false);

      assertThat(response.headers()).containsEntry("connection", "close");
      assertThat(response.body()).isEqualTo(BODY);
      assertThat(RawHttp.readToEnd(socket)).isEmpty();
    }
  }

  @Test
  void anObjectWhoseFileWasPurgedSinceTheLookupIsAMissAndNothingIsWritten() throws Exception {
    StoredObject looked = store.lookup(MirrorServeFixtures.key(PATH)).orElseThrow();
    store.purge(MirrorServeFixtures.ORIGIN);
    pinned.set(looked);

    HttpResponse<byte[]> response = get();

    // The handler's own answer to a miss is the first and only thing on the wire.
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("miss");
    assertThat(looked.hits()).isZero();
  }

  @Test
  void anEmptyObjectIsServedWithLengthZero() throws Exception {
    MirrorServeFixtures.store(store, "/pkg/empty.txt", new byte[0], "ETag", "\"e\"");

    HttpResponse<byte[]> response =
        client.send(
            java.net.http.HttpRequest.newBuilder(uri("/pkg/empty.txt"))
                .method("GET", BodyPublishers.noBody())
                .build(),
            BodyHandlers.ofByteArray());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Length")).hasValue("0");
    assertThat(response.body()).isEmpty();
  }

  @Test
  void aClientThatLeavesMidBodyFailsTheAnswerAndTheFileIsClosed() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
    try (Socket socket = connect()) {
      socket.setReceiveBufferSize(64 * 1024);
      RawHttp.send(socket, "GET " + PATH + " HTTP/1.1\r\nHost: vendor.example\r\n\r\n");
      MirrorServeFixtures.readHead(socket);
      socket.getInputStream().readNBytes(1000);
      assertThat(openDescriptorsOf(object.dataPath())).isPositive();
    }
    ChannelFuture answer = lastWrites.poll(20, TimeUnit.SECONDS);

    assertThat(answer.await(20, TimeUnit.SECONDS)).isTrue();
    assertThat(answer.isSuccess()).isFalse();
    await().atMost(Duration.ofSeconds(20)).until(() -> openDescriptorsOf(object.dataPath()) == 0);
  }

  @Test
  void aCompleteAnswerClosesItsFile() throws Exception {
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs /proc/self/fd");
    get("Range", "bytes=0-9,100-109");
    get();

    assertThat(lastWrites.poll(20, TimeUnit.SECONDS).await().isSuccess()).isTrue();
    assertThat(lastWrites.poll(20, TimeUnit.SECONDS).await().isSuccess()).isTrue();
    await().atMost(Duration.ofSeconds(20)).until(() -> openDescriptorsOf(object.dataPath()) == 0);
  }

  /** How many of this process's file descriptors are open on {@code file} (Linux). */
  private static long openDescriptorsOf(Path file) throws IOException {
    Path target = file.toRealPath();
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.filter(
              fd -> {
                try {
                  return Files.readSymbolicLink(fd).equals(target);
                } catch (IOException e) {
                  return false; // closed meanwhile
                }
              })
          .count();
    }
  }

  private record Part(String contentType, String contentRange, byte[] data) {}

  /** An independent reading of RFC 9110 section 14.6, to check the body as a client would. */
  private static List<Part> parseMultipart(byte[] body, String boundary) {
    String text = new String(body, StandardCharsets.ISO_8859_1);
    String delimiter = "--" + boundary;
    assertThat(text).startsWith(delimiter + "\r\n");
    assertThat(text).endsWith("\r\n" + delimiter + "--\r\n");
    List<Part> parts = new ArrayList<>();
    int pos = delimiter.length() + 2;
    while (true) {
      int headEnd = text.indexOf("\r\n\r\n", pos);
      String contentType = null;
      String contentRange = null;
      for (String line : text.substring(pos, headEnd).split("\r\n", -1)) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Content-Type")) {
          contentType = value;
        } else if (name.equalsIgnoreCase("Content-Range")) {
          contentRange = value;
        }
      }
      String span = contentRange.substring("bytes ".length(), contentRange.indexOf('/'));
      long first = Long.parseLong(span.substring(0, span.indexOf('-')));
      long last = Long.parseLong(span.substring(span.indexOf('-') + 1));
      int dataStart = headEnd + 4;
      int dataEnd = dataStart + (int) (last - first + 1);
      parts.add(new Part(contentType, contentRange, Arrays.copyOfRange(body, dataStart, dataEnd)));
      String after = text.substring(dataEnd, dataEnd + 2 + delimiter.length() + 2);
      if (after.equals("\r\n" + delimiter + "--")) {
        assertThat(dataEnd + after.length() + 2).isEqualTo(body.length);
        return parts;
      }
      assertThat(after).isEqualTo("\r\n" + delimiter + "\r\n");
      pos = dataEnd + after.length();
    }
  }
}
