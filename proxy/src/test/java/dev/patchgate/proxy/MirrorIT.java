package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.proxy.exchange.Exchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The update mirror through the running gateway: a package crosses the upstream link once, later
 * clients get it from disk, ranges included, and nothing broken or forged is ever kept.
 */
class MirrorIT {
  private static final byte[] PAYLOAD = randomBytes(3 * 1024 * 1024 + 17);

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;

  @BeforeEach
  void startOrigin() throws Exception {
    origin = HttpOrigin.plain();
  }

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
    origin.close();
  }

  @Test
  void aSecondDownloadIsAHitWithIdenticalBytesAndNoUpstreamRequest() throws Exception {
    String name = hashNamed(PAYLOAD);
    origin.put(name, PAYLOAD);
    gateway = startMirroring();

    RawHttp.Response first = get("/files/" + name, "");
    awaitStoredObjects(1);
    RawHttp.Response second = get("/files/" + name, "");

    assertThat(first.status()).isEqualTo(200);
    assertThat(first.body()).isEqualTo(PAYLOAD);
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.body()).isEqualTo(PAYLOAD);
    assertThat(origin.seen()).hasSize(1);
    List<Map<String, Object>> records = awaitRecords(2);
    assertThat(records.get(0)).containsEntry("cache", "miss").containsEntry("status", 200L);
    assertThat(records.get(1))
        .containsEntry("cache", "hit")
        .containsEntry("status", 200L)
        .containsEntry("object_length", (long) PAYLOAD.length);
  }

  @Test
  void rangesAndHeadOnAHitAreExact() throws Exception {
    String name = hashNamed(PAYLOAD);
    origin.put(name, PAYLOAD);
    gateway = startMirroring();
    assertThat(get("/files/" + name, "").status()).isEqualTo(200);
    awaitStoredObjects(1);

    RawHttp.Response range = get("/files/" + name, "Range: bytes=1000-1999\r\n");
    RawHttp.Response suffix = get("/files/" + name, "Range: bytes=-10\r\n");
    RawHttp.Response beyond = get("/files/" + name, "Range: bytes=99999999-\r\n");

    assertThat(range.status()).isEqualTo(206);
    assertThat(range.body()).isEqualTo(Arrays.copyOfRange(PAYLOAD, 1000, 2000));
    assertThat(range.headers().get("content-range")).isEqualTo("bytes 1000-1999/" + PAYLOAD.length);
    assertThat(suffix.body())
        .isEqualTo(Arrays.copyOfRange(PAYLOAD, PAYLOAD.length - 10, PAYLOAD.length));
    assertThat(beyond.status()).isEqualTo(416);
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request("HEAD", "/files/" + name, ""));
      RawHttp.Response head = RawHttp.read(socket, true);
      assertThat(head.status()).isEqualTo(200);
      assertThat(head.headers().get("content-length")).isEqualTo(String.valueOf(PAYLOAD.length));
    }
    assertThat(origin.seen()).hasSize(1);
  }

  @Test
  void smallObjectsAreServedFromMemoryWithExactBytesAndRangesOnAKeptAliveConnection()
      throws Exception {
    byte[] signature = randomBytes(1024);
    String name = hashNamed(signature).replace(".cab", ".vdm");
    origin.put(name, signature);
    gateway = startMirroring();
    assertThat(get("/files/" + name, "").body()).isEqualTo(signature);
    awaitStoredObjects(1);

    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request("GET", "/files/" + name, ""));
      RawHttp.Response whole = RawHttp.read(socket, false);
      RawHttp.send(socket, request("GET", "/files/" + name, "Range: bytes=100-199\r\n"));
      RawHttp.Response range = RawHttp.read(socket, false);
      RawHttp.send(socket, request("GET", "/files/" + name, "Range: bytes=-24\r\n"));
      RawHttp.Response suffix = RawHttp.read(socket, false);

      assertThat(whole.status()).isEqualTo(200);
      assertThat(whole.body()).isEqualTo(signature);
      assertThat(range.status()).isEqualTo(206);
      assertThat(range.body()).isEqualTo(Arrays.copyOfRange(signature, 100, 200));
      assertThat(range.headers().get("content-range")).isEqualTo("bytes 100-199/1024");
      assertThat(suffix.body()).isEqualTo(Arrays.copyOfRange(signature, 1000, 1024));
    }
    assertThat(origin.seen()).hasSize(1);
    assertThat(gateway.registry.get("patchgate.mirror.memory.bytes").gauge().value())
        .isGreaterThanOrEqualTo(1024);
    List<Map<String, Object>> records = awaitRecords(4);
    assertThat(records.subList(1, 4)).allSatisfy(r -> assertThat(r).containsEntry("cache", "hit"));
  }

  @Test
  void aStaleObjectConfirmedBy304IsServedFromTheMirrorAndAChangedOneIsFetchedAgain()
      throws Exception {
    origin.put("catalog.xml", PAYLOAD);
    gateway = startMirroring();
    assertThat(get("/etag/catalog.xml", "").body()).isEqualTo(PAYLOAD);
    awaitStoredObjects(1);

    RawHttp.Response confirmed = get("/etag/catalog.xml", "");

    assertThat(confirmed.status()).isEqualTo(200);
    assertThat(confirmed.body()).isEqualTo(PAYLOAD);
    assertThat(origin.seen()).hasSize(2);
    String etag = "\"" + Integer.toHexString(Arrays.hashCode(PAYLOAD)) + "\"";
    assertThat(origin.seen().get(1).headers().get("If-none-match")).containsExactly(etag);
    assertThat(awaitRecords(2).get(1)).containsEntry("cache", "hit").containsEntry("status", 200L);

    byte[] changed = randomBytes(PAYLOAD.length / 2);
    origin.put("catalog.xml", changed);
    RawHttp.Response fetchedAgain = get("/etag/catalog.xml", "");

    assertThat(fetchedAgain.body()).isEqualTo(changed);
    assertThat(awaitRecords(3).get(2)).containsEntry("cache", "miss");
    assertThat(origin.seen()).hasSize(3);
  }

  @Test
  void anAnswerTheMirrorDoesNotKeepCrossesTheUpstreamLinkOnce() throws Exception {
    origin.put("private.cab", PAYLOAD);
    gateway = startMirroring();

    RawHttp.Response notFound = get("/files/missing.cab", "");
    RawHttp.Response noStore = get("/nostore/private.cab", "");

    assertThat(notFound.status()).isEqualTo(404);
    assertThat(noStore.status()).isEqualTo(200);
    assertThat(noStore.body()).isEqualTo(PAYLOAD);
    // One upstream request each: the mirror's own fetch answered the client too.
    assertThat(origin.seen())
        .extracting(HttpOrigin.Seen::target)
        .containsExactly("/files/missing.cab", "/nostore/private.cab");
    List<Map<String, Object>> records = awaitRecords(2);
    assertThat(records.get(0)).containsEntry("status", 404L).containsEntry("cache", "bypass");
    assertThat(records.get(1))
        .containsEntry("status", 200L)
        .containsEntry("cache", "bypass")
        .containsEntry("object_length", (long) PAYLOAD.length);

    assertThat(get("/nostore/private.cab", "").body()).isEqualTo(PAYLOAD);
    assertThat(origin.seen()).hasSize(3);
  }

  @Test
  void aServerErrorOnRevalidationIsAnsweredWithTheStoredCopy() throws Exception {
    origin.put("catalog.xml", PAYLOAD);
    gateway = startMirroring();
    assertThat(get("/etag/catalog.xml", "").body()).isEqualTo(PAYLOAD);
    awaitStoredObjects(1);
    origin.failWith(503);

    RawHttp.Response answer = get("/etag/catalog.xml", "");

    assertThat(answer.status()).isEqualTo(200);
    assertThat(answer.body()).isEqualTo(PAYLOAD);
    assertThat(origin.seen()).hasSize(2);
    assertThat(awaitRecords(2).get(1)).containsEntry("cache", "stale");
  }

  @Test
  void concurrentColdRequestsMakeOneUpstreamRequestAndAllGetTheWholeFile() throws Exception {
    byte[] big = randomBytes(24 * 1024 * 1024);
    String name = hashNamed(big);
    origin.put(name, big);
    gateway = startMirroring();

    List<CompletableFuture<RawHttp.Response>> clients = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      clients.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  return get("/files/" + name, "");
                } catch (IOException e) {
                  throw new IllegalStateException(e);
                }
              }));
    }

    for (CompletableFuture<RawHttp.Response> client : clients) {
      RawHttp.Response response = client.join();
      assertThat(response.status()).isEqualTo(200);
      assertThat(response.body()).isEqualTo(big);
    }
    assertThat(origin.seen()).hasSize(1);
  }

  @Test
  void aShortUpstreamBodyCutsTheClientAndIsNeverStored() throws Exception {
    try (ScriptedOrigin shortBody =
        new ScriptedOrigin(
            c -> {
              readHead(c);
              c.getOutputStream()
                  .write(
                      ("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\nCache-Control: max-age=3600\r\n\r\n"
                              + "x".repeat(500))
                          .getBytes(StandardCharsets.US_ASCII));
            })) {
      gateway = startMirroring(shortBody.port());

      assertThatThrownBy(() -> get(shortBody.port(), "/kb.cab", ""))
          .isInstanceOf(IOException.class);
      int afterFirst = shortBody.connections();
      assertThatThrownBy(() -> get(shortBody.port(), "/kb.cab", ""))
          .isInstanceOf(IOException.class);
      // Nothing was stored: the second client had to go upstream again.
      assertThat(shortBody.connections()).isGreaterThan(afterFirst);
    }
  }

  @Test
  void aHashNamedFileWithOtherContentIsDeliveredButNeverServedFromTheMirror() throws Exception {
    String name = hashNamed("what the name promises".getBytes(StandardCharsets.UTF_8));
    origin.put(name, PAYLOAD);
    gateway = startMirroring();

    RawHttp.Response first = get("/files/" + name, "");
    RawHttp.Response second = get("/files/" + name, "");

    // The client still gets what the upstream sent; the mirror keeps none of it.
    assertThat(first.body()).isEqualTo(PAYLOAD);
    assertThat(second.body()).isEqualTo(PAYLOAD);
    assertThat(origin.seen()).hasSize(2);
    assertThat(awaitRecords(2))
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsEntry("decision", "allow")
                    .containsEntry("reason", Exchange.INTEGRITY_MISMATCH));
    // Counted by the fill when it ends, which may be just after the client's record.
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () -> gateway.registry.get("patchgate.mirror.integrity.failures").counter().count(),
            n -> n == 2.0);
  }

  @Test
  void aRestartKeepsTheStore() throws Exception {
    String name = hashNamed(PAYLOAD);
    origin.put(name, PAYLOAD);
    gateway = startMirroring();
    assertThat(get("/files/" + name, "").body()).isEqualTo(PAYLOAD);
    awaitStoredObjects(1);
    gateway.close();

    gateway = startMirroring();
    assertThat(get("/files/" + name, "").body()).isEqualTo(PAYLOAD);
    assertThat(origin.seen()).hasSize(1);
  }

  @Test
  void whenTheUpstreamCannotBeReachedAStaleCopyIsServedAndSaidToBeStale() throws Exception {
    // No validators and no lifetime: the copy is stale at once, and would be fetched again.
    origin.put("index.txt", PAYLOAD);
    gateway = startMirroring();
    assertThat(get("/files/index.txt", "").body()).isEqualTo(PAYLOAD);
    awaitStoredObjects(1);
    int port = origin.port();
    origin.close();

    RawHttp.Response offline = get(port, "/files/index.txt", "");

    assertThat(offline.status()).isEqualTo(200);
    assertThat(offline.body()).isEqualTo(PAYLOAD);
    assertThat(awaitRecords(2).get(1)).containsEntry("cache", "stale");
  }

  @Test
  void whenTheUpstreamNameNoLongerResolvesAStoredCopyIsStillServed() throws Exception {
    origin.put("index.txt", PAYLOAD);
    FakeResolver resolver = new FakeResolver().answer("updates.example.test", "127.0.0.1");
    gateway =
        GatewayHarness.with(
                dir,
                """
                entries {
                  vendor { hosts = ["updates.example.test"], ports = [%d], addresses = ["127.0.0.0/8"] }
                }
                """
                    .formatted(origin.port()))
            .resolver(resolver)
            .mirror()
            .start();
    String request =
        "GET http://updates.example.test:%d/files/index.txt HTTP/1.1\r\n\r\n"
            .formatted(origin.port());
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request);
      assertThat(RawHttp.read(socket, false).body()).isEqualTo(PAYLOAD);
    }
    awaitStoredObjects(1);
    resolver.forget("updates.example.test");

    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request);
      RawHttp.Response offline = RawHttp.read(socket, false);
      assertThat(offline.status()).isEqualTo(200);
      assertThat(offline.body()).isEqualTo(PAYLOAD);
    }
    assertThat(awaitRecords(2).get(1))
        .containsEntry("cache", "stale")
        .containsEntry("decision", "allow");
    assertThat(origin.seen()).hasSize(1);
  }

  @Test
  void aGatewayKilledMidFillLeavesNothingServableAndRestartsClean() throws Exception {
    int length = 8 * 1024 * 1024;
    CountDownLatch killed = new CountDownLatch(1);
    AtomicInteger connection = new AtomicInteger();
    try (ScriptedOrigin upstream =
        new ScriptedOrigin(
            c -> {
              readHead(c);
              String head =
                  "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nCache-Control: max-age=3600\r\n\r\n"
                      .formatted(length);
              c.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
              if (connection.incrementAndGet() == 1) {
                // The first fill gets a quarter of the body, then the gateway is killed.
                c.getOutputStream().write(Arrays.copyOf(PAYLOAD, length / 4));
                c.getOutputStream().flush();
                awaitQuietly(killed);
              } else {
                c.getOutputStream().write(bodyOf(length));
              }
            })) {
      try (GatewayProcess first =
          GatewayProcess.runAllowingLoopbackPort(dir, upstream.port(), List.of(), "")) {
        int port = first.awaitPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
          client.setSoTimeout(10_000);
          RawHttp.send(client, request("GET", upstream.port(), "/kb.cab", ""));
          client.getInputStream().readNBytes(1024); // the fill is under way
          first.kill();
        }
      } finally {
        killed.countDown();
      }

      try (GatewayProcess second =
          GatewayProcess.runAllowingLoopbackPort(dir, upstream.port(), List.of(), "")) {
        int port = second.awaitPort();
        try (Socket client = new Socket("127.0.0.1", port)) {
          client.setSoTimeout(10_000);
          RawHttp.send(client, request("GET", upstream.port(), "/kb.cab", ""));
          RawHttp.Response response = RawHttp.read(client, false);
          assertThat(response.body()).isEqualTo(bodyOf(length));
        }
      }
      // The half-filled copy was not served: the restarted gateway fetched it again.
      assertThat(upstream.connections()).isEqualTo(2);
      try (var leftovers = java.nio.file.Files.list(dir.resolve("var/mirror/tmp"))) {
        assertThat(leftovers).isEmpty();
      }
    }
  }

  @Test
  void anEntryCanKeepItsDownloadsOutOfTheMirrorOrKeyThemWithoutTheQuery() throws Exception {
    String name = hashNamed(PAYLOAD);
    origin.put(name, PAYLOAD);
    try (HttpOrigin second = HttpOrigin.plainOn("127.0.0.2")) {
      second.put(name, PAYLOAD);
      gateway =
          GatewayHarness.with(
                  dir,
                  """
                  entries {
                    passed  { hosts = ["127.0.0.1"], ports = [%d], mirror = false }
                    tokened { hosts = ["127.0.0.2"], ports = [%d], mirror-drop-query = true }
                  }
                  """
                      .formatted(origin.port(), second.port()))
              .mirror()
              .start();

      get("/files/" + name, "");
      get("/files/" + name, "");
      assertThat(origin.seen()).as("mirror = false: every download goes upstream").hasSize(2);

      for (String token : List.of("?P1=a", "?P1=b", "?P1=c")) {
        try (Socket socket = gateway.socket()) {
          RawHttp.send(
              socket,
              "GET http://127.0.0.2:%d/files/%s%s HTTP/1.1\r\n\r\n"
                  .formatted(second.port(), name, token));
          assertThat(RawHttp.read(socket, false).body()).isEqualTo(PAYLOAD);
        }
        awaitStoredObjects(1);
      }
      assertThat(second.seen()).as("one object, whatever the token").hasSize(1);
    }
  }

  @Test
  void evictionKeepsTheStoreUnderItsLimitAndTheNewestObjectStays() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      byte[] content = randomBytes(2 * 1024 * 1024 + i);
      String name = hashNamed(content);
      origin.put(name, content);
      names.add(name);
    }
    gateway =
        GatewayHarness.with(
                dir,
                "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }"
                    .formatted(origin.port()))
            .mirror()
            .config("patchgate.mirror.max-size = 5m")
            .start();

    for (String name : names) {
      assertThat(get("/files/" + name, "").status()).isEqualTo(200);
    }
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () -> gateway.registry.get("patchgate.mirror.stored.bytes").gauge().value(),
            bytes -> bytes > 0 && bytes <= 5 * 1024 * 1024);
    int before = origin.seen().size();
    get("/files/" + names.get(3), "");
    assertThat(origin.seen()).as("the newest object is still a hit").hasSize(before);
  }

  // ---- issue 10: what the attack review found on the mirror path ----------------------------

  /**
   * Finding 8, fill amplification: a client asks for one byte of cold objects and leaves, and each
   * fill of the whole object goes on. Two such fills are allowed; its next range for an object not
   * stored is forwarded as the plain range it is, and another client still gets its fill.
   */
  @Test
  void aClientsAbandonedRangeFillsAreBoundedAndItsNextRangeIsForwardedPlain() throws Exception {
    long length = 1L << 30;
    CountDownLatch endOfTest = new CountDownLatch(1);
    List<String> heads = new CopyOnWriteArrayList<>();
    try (ScriptedOrigin slow =
        new ScriptedOrigin(
            c -> {
              String head = readHeadText(c);
              heads.add(head);
              OutputStream out = c.getOutputStream();
              if (head.toLowerCase(Locale.ROOT).contains("\r\nrange: bytes=0-0\r\n")) {
                out.write(
                    ("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes 0-0/%d\r\n"
                            + "Content-Length: 1\r\nConnection: close\r\n\r\nx")
                        .formatted(length)
                        .getBytes(StandardCharsets.US_ASCII));
                return;
              }
              // A whole 1 GiB object, of which the first 64 KiB come at once and the rest only
              // when the test is over: the fill stays under way, with nobody reading it.
              out.write(
                  ("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nCache-Control: max-age=3600\r\n\r\n")
                      .formatted(length)
                      .getBytes(StandardCharsets.US_ASCII));
              out.write(new byte[64 * 1024]);
              out.flush();
              awaitQuietly(endOfTest);
            })) {
      gateway = startMirroring(slow.port());
      try {
        for (int i = 1; i <= 2; i++) {
          RawHttp.Response oneByte = get(slow.port(), "/kb.cab?" + i, "Range: bytes=0-0\r\n");
          assertThat(oneByte.status()).isEqualTo(206);
          assertThat(oneByte.body()).hasSize(1);
          int abandoned = i;
          org.awaitility.Awaitility.await()
              .atMost(java.time.Duration.ofSeconds(10))
              .until(() -> gauge("patchgate.mirror.fills.unread") == abandoned);
        }
        assertThat(heads).allSatisfy(h -> assertThat(h).doesNotContainIgnoringCase("range:"));

        RawHttp.Response third = get(slow.port(), "/kb.cab?3", "Range: bytes=0-0\r\n");

        assertThat(third.status()).isEqualTo(206);
        assertThat(third.body()).containsExactly('x');
        assertThat(heads).hasSize(3);
        assertThat(heads.get(2)).containsIgnoringCase("\r\nRange: bytes=0-0\r\n");
        assertThat(gauge("patchgate.mirror.fills.active")).as("no fill for the third").isEqualTo(2);
        assertThat(
                gateway
                    .registry
                    .get("patchgate.mirror.fills")
                    .tag("result", "unread_limit")
                    .counter()
                    .count())
            .isEqualTo(1.0);
        assertThat(gateway.awaitRecordFor("http://127.0.0.1:%d/kb.cab?3".formatted(slow.port())))
            .containsEntry("cache", "bypass")
            .containsEntry("status", 206L);

        // Another client is not bounded by the first one's fills.
        try (Socket other =
            new Socket(
                gateway.address().getAddress(),
                gateway.port(),
                java.net.InetAddress.getByName("127.0.0.2"),
                0)) {
          other.setSoTimeout(15_000);
          RawHttp.send(other, request("GET", slow.port(), "/kb.cab?4", "Range: bytes=0-0\r\n"));
          assertThat(RawHttp.read(other, false).status()).isEqualTo(206);
        }
        assertThat(heads).hasSize(4);
        assertThat(heads.get(3)).doesNotContainIgnoringCase("range:");
        assertThat(gauge("patchgate.mirror.fills.active")).isEqualTo(3);
      } finally {
        endOfTest.countDown();
      }
    }
  }

  /**
   * Finding 9: the first client's headers decide what everyone gets. A fill never carries the
   * client's cookie, credentials or any field that could make the stored answer personal.
   */
  @Test
  void aFillNeverCarriesTheClientsCookieOrCredentialsUpstream() throws Exception {
    String name = hashNamed(PAYLOAD);
    origin.put(name, PAYLOAD);
    gateway = startMirroring();

    RawHttp.Response first =
        get(
            "/files/" + name,
            "Cookie: session=alice\r\nProxy-Authorization: Basic YWxpY2U6cHc=\r\n"
                + "X-Api-Key: alice\r\nUser-Agent: Windows-Update-Agent/10.0\r\n");
    awaitStoredObjects(1);
    RawHttp.Response second = get("/files/" + name, "");

    assertThat(first.body()).isEqualTo(PAYLOAD);
    assertThat(second.body()).isEqualTo(PAYLOAD);
    assertThat(origin.seen()).hasSize(1);
    Map<String, List<String>> seen = origin.seen().get(0).headers();
    assertThat(seen.keySet())
        .map(k -> k.toLowerCase(Locale.ROOT))
        .doesNotContain("cookie", "authorization", "proxy-authorization", "x-api-key")
        .contains("user-agent");
    assertThat(awaitRecords(2).get(1)).containsEntry("cache", "hit");
  }

  /**
   * Finding 5 on the mirror path: an origin that answers {@code 101} to a mirrorable GET ends the
   * exchange. The client gets a 502 and a closed connection, nothing is relayed raw, and the
   * request does not go upstream a second time.
   */
  @Test
  void anOriginSwitchingProtocolsOnAFillGets502AndOneUpstreamRequest() throws Exception {
    List<byte[]> afterAnswer = new CopyOnWriteArrayList<>();
    try (ScriptedOrigin switching =
        new ScriptedOrigin(
            c -> {
              readHead(c);
              c.getOutputStream()
                  .write(
                      ("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                              + "Connection: Upgrade\r\n\r\n")
                          .getBytes(StandardCharsets.US_ASCII));
              c.getOutputStream().flush();
              c.setSoTimeout(15_000);
              afterAnswer.add(c.getInputStream().readAllBytes());
            })) {
      gateway = startMirroring(switching.port());

      try (Socket socket = gateway.socket()) {
        // A second request waits behind the first: it must never be relayed as raw bytes.
        RawHttp.send(
            socket,
            request("GET", switching.port(), "/kb.cab", "")
                + "GET /anything HTTP/1.1\r\nHost: another.host\r\n\r\n");
        RawHttp.Response answer = RawHttp.read(socket, false);

        assertThat(answer.status()).isEqualTo(502);
        assertThat(answer.bodyText()).contains(Exchange.UPSTREAM_SWITCHED_PROTOCOLS);
        assertThat(socket.getInputStream().read()).as("the connection is closed").isEqualTo(-1);
      }
      Map<String, Object> record =
          gateway.awaitRecordFor("http://127.0.0.1:%d/kb.cab".formatted(switching.port()));
      assertThat(record)
          .containsEntry("decision", "error")
          .containsEntry("reason", Exchange.UPSTREAM_SWITCHED_PROTOCOLS)
          .containsEntry("status", 502L);
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(10))
          .until(() -> afterAnswer.size() == switching.connections());
      assertThat(switching.connections()).as("one upstream request").isEqualTo(1);
      assertThat(afterAnswer.get(0)).as("nothing relayed after the 101").isEmpty();
    }
  }

  // ---- helpers -------------------------------------------------------------------------------

  private GatewayHarness startMirroring() throws Exception {
    return startMirroring(origin.port());
  }

  private GatewayHarness startMirroring(int port) throws Exception {
    return GatewayHarness.with(
            dir, "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }".formatted(port))
        .mirror()
        .start();
  }

  /** Waits until the mirror has committed {@code n} objects (a commit follows the last byte). */
  private void awaitStoredObjects(int n) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(() -> gateway.registry.get("patchgate.mirror.objects").gauge().value() == n);
  }

  private List<Map<String, Object>> awaitRecords(int n) {
    return org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(gateway::records, r -> r.size() == n);
  }

  private RawHttp.Response get(String path, String headers) throws IOException {
    return get(origin.port(), path, headers);
  }

  private RawHttp.Response get(int port, String path, String headers) throws IOException {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request("GET", port, path, headers));
      return RawHttp.read(socket, false);
    }
  }

  private String request(String method, String path, String headers) {
    return request(method, origin.port(), path, headers);
  }

  private static String request(String method, int port, String path, String headers) {
    return "%s http://127.0.0.1:%d%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n%s\r\n"
        .formatted(method, port, path, port, headers);
  }

  /** A Windows Update style name: the file's SHA-1 before the extension. */
  private static String hashNamed(byte[] content) throws Exception {
    byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(content);
    return "windows10.0-kb5034441-x64_" + HexFormat.of().formatHex(sha1) + ".cab";
  }

  /** A mirror gauge's value now. */
  private double gauge(String name) {
    return gateway.registry.get(name).gauge().value();
  }

  /** Reads a request head from an origin's connection, up to and including the blank line. */
  private static String readHeadText(Socket connection) throws IOException {
    return RawHttp.readHead(connection.getInputStream());
  }

  private static void readHead(Socket connection) throws IOException {
    RawHttp.readHead(connection.getInputStream());
  }

  /** The same bytes every time, unlike what the killed fill got: a mix-up would show. */
  private static byte[] bodyOf(int length) {
    byte[] body = new byte[length];
    for (int i = 0; i < length; i++) {
      body[i] = (byte) (i * 7);
    }
    return body;
  }

  static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static byte[] randomBytes(int n) {
    byte[] bytes = new byte[n];
    new Random(n).nextBytes(bytes);
    return bytes;
  }
}
