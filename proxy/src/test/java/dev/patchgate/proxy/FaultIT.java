package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.audit.AuditChainVerifier;
import dev.patchgate.proxy.exchange.Exchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a client and an administrator see when something under the gateway fails: an upstream that
 * stalls or resets, a mirror disk that fills, an audit disk that turns read-only or runs low. Each
 * against the real gateway, with real origins on loopback and, for the disks, real small file
 * systems ({@link SmallFileSystem}: skipped without root, unless CI requires them).
 */
class FaultIT {
  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final String MIB = "m";
  private static final String ETAG = "\"kb-1\"";
  private static final Pattern RANGE = Pattern.compile("(?im)^range:\\s*bytes=(\\d+)-(\\d+)\\s*$");
  private static final Pattern IF_RANGE = Pattern.compile("(?im)^if-range:\\s*(.*?)\\s*$");

  @TempDir Path dir;
  private final List<AutoCloseable> cleanup = new ArrayList<>();
  private GatewayHarness gateway;

  @AfterEach
  void stop() throws Exception {
    if (gateway != null) {
      gateway.close();
    }
    // Origins and receivers first, file systems last: the gateway has let go of their files.
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  // ---- upstream faults ----

  @Test
  void anUpstreamStallingMidBodyCutsTheClientAtTheTimeoutAndNothingIsKept() throws Exception {
    CountDownLatch halfSent = new CountDownLatch(1);
    ScriptedOrigin stalling =
        own(
            new ScriptedOrigin(
                c -> {
                  RawHttp.readHead(c.getInputStream());
                  c.getOutputStream().write(cacheableHead(100_000));
                  c.getOutputStream().write(new byte[40_000]);
                  c.getOutputStream().flush();
                  halfSent.countDown();
                  // Then nothing, until the gateway gives up and closes the connection.
                  c.getInputStream().read();
                }));
    gateway = start(stalling.port(), "patchgate.timeouts.idle = 2s\n", true);

    long started = System.nanoTime();
    Cut cut = getCut(stalling.port(), "/stalled.cab");

    assertThat(halfSent.await(0, TimeUnit.SECONDS)).isTrue();
    assertThat(cut.status()).isEqualTo(200);
    assertThat(cut.bodyBytes()).isBetween(1L, 99_999L);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isBetween(Duration.ofMillis(1500), Duration.ofSeconds(12));
    Map<String, Object> record = gateway.awaitRecordFor(url(stalling.port(), "/stalled.cab"));
    assertThat(record).containsEntry("reason", Exchange.UPSTREAM_TIMEOUT);
    assertThat((Long) record.get("bytes_to_client")).isLessThan(100_000L);
    assertNothingKept();
  }

  @Test
  void anUpstreamResetDuringATunnelClosesTheClientsTunnelAndTheRecordHasTheBytes()
      throws Exception {
    ScriptedOrigin resetting =
        own(
            new ScriptedOrigin(
                c -> {
                  c.getInputStream().readNBytes(100);
                  c.getOutputStream().write(new byte[300]);
                  c.getOutputStream().flush();
                  // The client's next byte says the 300 have crossed; then a reset, as a crashed
                  // server's, which would otherwise race them.
                  c.getInputStream().readNBytes(1);
                  c.setSoLinger(true, 0);
                  c.close();
                }));
    gateway =
        GatewayHarness.with(
                dir,
                "entries { raw { hosts = [\"127.0.0.1\"], ports = [%d], sni-check = false } }"
                    .formatted(resetting.port()))
            .start();

    try (Socket socket = gateway.socket()) {
      int connect =
          RawHttp.send(socket, "CONNECT 127.0.0.1:%d HTTP/1.1\r\n\r\n".formatted(resetting.port()));
      RawHttp.Response established = RawHttp.read(socket, true);
      assertThat(established.status()).isEqualTo(200);
      socket.getOutputStream().write(new byte[100]);
      socket.getOutputStream().flush();
      assertThat(socket.getInputStream().readNBytes(300)).hasSize(300);
      socket.getOutputStream().write(1);
      socket.getOutputStream().flush();

      assertThat(readUntilClosed(socket.getInputStream())).isZero();
      Map<String, Object> record = gateway.awaitRecordFor("127.0.0.1:" + resetting.port());
      assertThat(record)
          .containsEntry("method", "CONNECT")
          .containsEntry("decision", "allow")
          .containsEntry("status", 200L)
          .containsEntry("bytes_from_client", connect + 101L)
          .containsEntry("bytes_to_client", established.wireBytes() + 300);
    }
  }

  // ---- the mirror's disk ----

  /**
   * A fill that runs out of disk is given up and nothing partial is kept; its client, who already
   * has part of the body from the fill's file, gets the rest from the upstream by a range request
   * of its own (from the byte it is at, {@code If-Range} with the answer's {@code ETag}), relayed
   * as the rest of the response it is receiving. What the user sees: the whole file, byte for byte;
   * the record says the rest passed through, and an alert tells the administrator about the disk. A
   * later download of the file passes through, unstored, while the disk stays full.
   */
  @Test
  void aMirrorDiskFillingMidDownloadStillDeliversTheWholeFileKeepsNothingAndAlerts()
      throws Exception {
    SmallFileSystem disk = own(SmallFileSystem.mount(dir.resolve("gw/mirror"), "8" + MIB));
    byte[] body = MirrorIT.randomBytes(3 * 1024 * 1024);
    HalfWayOrigin origin =
        new HalfWayOrigin(
            body,
            (out, first, last) -> {
              out.write(
                  ("HTTP/1.1 206 Partial Content\r\nContent-Range: bytes %d-%d/%d\r\n"
                          + "Content-Length: %d\r\nETag: %s\r\n\r\n")
                      .formatted(first, last, body.length, last - first + 1, ETAG)
                      .getBytes(StandardCharsets.US_ASCII));
              out.write(body, (int) first, (int) (last - first + 1));
            });
    AlertHook alerts = own(new AlertHook());
    gateway = startOnSmallMirror(origin.port(), alerts);

    RawHttp.Response got;
    String secondHead;
    byte[] secondBody;
    try (Socket first = gateway.socket();
        Socket second = gateway.socket()) {
      startDownload(first, disk, origin, body.length);
      // A second client joins the fill under way, and is sent its head from it.
      RawHttp.send(second, request(origin.port(), "/big.cab"));
      secondHead = RawHttp.completeHead(second.getInputStream(), "response");
      fillTheDisk(disk, origin);
      got = RawHttp.read(first, false);
      secondBody = second.getInputStream().readNBytes(body.length);
    }

    assertThat(got.status()).isEqualTo(200);
    assertThat(got.body()).isEqualTo(body);
    assertThat(secondHead).startsWith("HTTP/1.1 200 ").contains("X-Cache: MISS from patchgate");
    assertThat(secondBody).isEqualTo(body);
    // Each client asked for its own rest.
    assertThat(origin.rangesAsked).hasSize(2).allSatisfy(r -> assertRestOf(r, body.length));
    List<Map<String, Object>> records =
        await()
            .atMost(WAIT)
            .until(
                () ->
                    gateway.records().stream()
                        .filter(r -> url(origin.port(), "/big.cab").equals(r.get("url")))
                        .toList(),
                l -> l.size() == 2);
    assertThat(records)
        .allSatisfy(
            r ->
                assertThat(r)
                    .containsEntry("decision", "allow")
                    .containsEntry("status", 200L)
                    .containsEntry("reason", Exchange.MIRROR_DISK_FULL_PASSED));
    assertThat(records)
        .extracting(r -> r.get("bytes_to_client"))
        .containsExactlyInAnyOrder(got.wireBytes(), secondHead.length() + (long) body.length);
    assertThat(alerts.await("mirror_disk")).contains("min-free");
    assertNothingKept("ballast");
    assertThat(alerts.ofKind("mirror_disk")).hasSize(1);
    // A later download: passed through whole while the disk is full, and not kept.
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request(origin.port(), "/big.cab"));
      RawHttp.Response again = RawHttp.read(socket, false);
      assertThat(again.status()).isEqualTo(200);
      assertThat(again.body()).isEqualTo(body);
    }
    assertNothingKept("ballast");
  }

  /**
   * As above, but the origin ignores the range and answers {@code 200} with the whole file: those
   * bytes cannot continue the response the client is receiving, so the client is cut (a cut
   * download never looks complete, and its retry passes through), and the record says why.
   */
  @Test
  void aMirrorDiskFillingMidDownloadCutsTheClientWhenTheUpstreamWillNotSendTheRest()
      throws Exception {
    SmallFileSystem disk = own(SmallFileSystem.mount(dir.resolve("gw/mirror"), "8" + MIB));
    byte[] body = MirrorIT.randomBytes(3 * 1024 * 1024);
    HalfWayOrigin origin =
        new HalfWayOrigin(
            body,
            (out, first, last) -> {
              out.write(cacheableHead(body.length, ETAG));
              out.write(body);
            });
    AlertHook alerts = own(new AlertHook());
    gateway = startOnSmallMirror(origin.port(), alerts);

    Cut cut;
    try (Socket socket = gateway.socket()) {
      startDownload(socket, disk, origin, body.length);
      fillTheDisk(disk, origin);
      cut = readCut(socket);
    }

    assertThat(cut.status()).isEqualTo(200);
    assertThat(cut.bodyBytes()).isLessThan(body.length);
    assertThat(origin.rangesAsked).singleElement().satisfies(r -> assertRestOf(r, body.length));
    assertThat(gateway.awaitRecordFor(url(origin.port(), "/big.cab")))
        .containsEntry("decision", "error")
        .containsEntry("reason", Exchange.MIRROR_DISK_FULL_RANGE_REFUSED);
    assertThat(alerts.await("mirror_disk")).contains("min-free");
    assertNothingKept("ballast");
  }

  // ---- the audit disk ----

  @Test
  void anAuditDiskTurningReadOnlyAnswers503MeanwhileThenRecoversWithNothingLost() throws Exception {
    SmallFileSystem disk = own(SmallFileSystem.mount(dir.resolve("gw/audit"), "8" + MIB));
    HttpOrigin origin = own(HttpOrigin.plain());
    origin.put("kb.cab", "a cabinet".getBytes(StandardCharsets.US_ASCII));
    gateway = GatewayHarness.with(dir.resolve("gw"), allowlist(origin.port())).start();
    HttpClient client = gateway.client();
    List<String> sent = new ArrayList<>();

    assertThat(get(client, origin, sent)).isEqualTo(200);
    // A full disk first: the writer's files fail, so it closes them, and the file system can be
    // turned read-only under it (a mount with files open for writing cannot).
    disk.fillLeaving("ballast", 0);
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get(client, origin, sent) == 503);
    disk.readOnly();
    for (int i = 0; i < 3; i++) {
      assertThat(get(client, origin, sent)).isEqualTo(503);
    }
    disk.writable();
    Files.delete(disk.dir().resolve("ballast"));
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> get(client, origin, sent) == 200);

    // The last exchange's record is written just after its response.
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(gateway.records().stream().map(r -> (String) r.get("url")).toList())
                    .containsAll(sent));
    assertThat(AuditChainVerifier.verify(disk.dir()).intact()).isTrue();
  }

  @Test
  void aLowAuditDiskEvictsTheMirrorFirstThenAlertsAndTurnsReadyzBeforeWritesFail()
      throws Exception {
    // The audit log and the mirror share one small disk, as on a one-disk gateway.
    SmallFileSystem disk = own(SmallFileSystem.mount(dir.resolve("gw"), "16" + MIB));
    HttpOrigin origin = own(HttpOrigin.plain());
    byte[] older = MirrorIT.randomBytes(2 * 1024 * 1024);
    byte[] newer = MirrorIT.randomBytes(2 * 1024 * 1024 + 1);
    origin.put("older.cab", older);
    origin.put("newer.cab", newer);
    AlertHook alerts = own(new AlertHook());
    gateway =
        GatewayHarness.with(disk.dir(), allowlist(origin.port()))
            .mirror()
            .admin()
            .config(
                "patchgate.audit.min-free = 6m\npatchgate.mirror.min-free = 1m\n" + alerts.config())
            .start();
    HttpClient client = gateway.client();
    assertThat(fetch(client, origin, "older.cab")).isEqualTo(older);
    awaitGauge("patchgate.mirror.objects", 1);
    assertThat(fetch(client, origin, "newer.cab")).isEqualTo(newer);
    awaitGauge("patchgate.mirror.objects", 2);
    assertThat(readyz().statusCode()).isEqualTo(200);

    // Below the floor by less than the mirror holds: the least recently used object goes, and
    // nobody is bothered.
    disk.fillLeaving("ballast-1", 5 * 1024 * 1024);
    awaitGauge("patchgate.mirror.objects", 1);
    // The store removes the object, then counts it (one after the other on its I/O thread).
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () ->
                assertThat(
                        gateway
                            .registry
                            .get("patchgate.mirror.evictions")
                            .tag("cause", "audit")
                            .counter()
                            .count())
                    .isEqualTo(1));
    assertThat(readyz().statusCode()).isEqualTo(200);
    assertThat(alerts.ofKind("audit_disk")).isEmpty();

    // Further below than the mirror can give back: it empties, then the administrator hears.
    disk.fillLeaving("ballast-2", 2 * 1024 * 1024);
    awaitGauge("patchgate.mirror.objects", 0);
    HttpResponse<String> notReady = awaitReadyz(503);
    assertThat(notReady.body().lines())
        .singleElement()
        .asString()
        .startsWith("audit disk " + disk.dir().resolve("audit").toAbsolutePath() + ": ")
        .contains("free, below patchgate.audit.min-free (6.0 MiB)");
    assertThat(alerts.await("audit_disk")).contains("below patchgate.audit.min-free");
    assertThat(gateway.registry.get(AuditDiskGuard.FREE_BYTES).gauge().value())
        .isLessThan(6 * 1024 * 1024);
    // The warning comes before the failure: requests are still answered and audited.
    assertThat(fetch(client, origin, "newer.cab")).isEqualTo(newer);
    await()
        .atMost(WAIT)
        .until(
            () ->
                gateway.records().stream().filter(r -> "/files/newer.cab".equals(path(r))).count(),
            n -> n == 2);

    Files.delete(disk.dir().resolve("ballast-2"));
    Files.delete(disk.dir().resolve("ballast-1"));
    assertThat(awaitReadyz(200).body()).isEqualTo("ready\n");
    assertThat(alerts.ofKind("audit_disk")).hasSize(1);
  }

  // ---- helpers ----

  private <T extends AutoCloseable> T own(T resource) {
    cleanup.add(resource);
    return resource;
  }

  private GatewayHarness start(int port, String config, boolean mirror) throws Exception {
    GatewayHarness.Options options = GatewayHarness.with(dir, allowlist(port)).config(config);
    return (mirror ? options.mirror() : options).start();
  }

  private static String allowlist(int port) {
    return "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }".formatted(port);
  }

  /** A 200's head the mirror keeps: a length and a lifetime. */
  private static byte[] cacheableHead(long length) {
    return "HTTP/1.1 200 OK\r\nContent-Length: %d\r\nCache-Control: max-age=3600\r\n\r\n"
        .formatted(length)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** The same with an {@code ETag}, by which the rest of a download can be asked for. */
  private static byte[] cacheableHead(long length, String etag) {
    return ("HTTP/1.1 200 OK\r\nContent-Length: %d\r\nCache-Control: max-age=3600\r\n"
            + "ETag: %s\r\n\r\n")
        .formatted(length, etag)
        .getBytes(StandardCharsets.US_ASCII);
  }

  /** What an origin sends for a range request asking for bytes {@code first} to {@code last}. */
  @FunctionalInterface
  private interface RangeAnswer {
    void send(OutputStream out, long first, long last) throws IOException;
  }

  /**
   * An origin serving {@code /big.cab} (a 200 the mirror keeps, with an {@code ETag}): its first
   * download sends half the body, then the rest once {@code diskFull} is counted down; a range
   * request gets the test's answer, its {@code Range} and {@code If-Range} noted in {@code
   * rangesAsked}; any other request gets the whole body.
   */
  private final class HalfWayOrigin {
    final CountDownLatch firstHalfSent = new CountDownLatch(1);
    final CountDownLatch diskFull = new CountDownLatch(1);
    final List<String> rangesAsked = new CopyOnWriteArrayList<>();
    private final ScriptedOrigin origin;

    HalfWayOrigin(byte[] body, RangeAnswer rest) throws IOException {
      origin =
          own(
              new ScriptedOrigin(
                  c -> {
                    String head = RawHttp.readHead(c.getInputStream());
                    OutputStream out = c.getOutputStream();
                    Matcher range = RANGE.matcher(head);
                    if (range.find()) {
                      Matcher ifRange = IF_RANGE.matcher(head);
                      rangesAsked.add(
                          range.group(1)
                              + "-"
                              + range.group(2)
                              + " if "
                              + (ifRange.find() ? ifRange.group(1) : "-"));
                      rest.send(
                          out, Long.parseLong(range.group(1)), Long.parseLong(range.group(2)));
                      out.flush();
                      return;
                    }
                    out.write(cacheableHead(body.length, ETAG));
                    boolean first = firstHalfSent.getCount() > 0;
                    out.write(body, 0, first ? body.length / 2 : body.length);
                    out.flush();
                    if (first) {
                      firstHalfSent.countDown();
                      MirrorIT.awaitQuietly(diskFull);
                      // The fill gives up on its first write after this, and closes the
                      // connection: a write may fail here.
                      out.write(body, body.length / 2, body.length - body.length / 2);
                      out.flush();
                    }
                  }));
    }

    int port() {
      return origin.port();
    }
  }

  /** A gateway with its mirror on the test's small file system; {@code min-free} of 1 MiB. */
  private GatewayHarness startOnSmallMirror(int port, AlertHook alerts) throws Exception {
    return GatewayHarness.with(dir.resolve("gw"), allowlist(port))
        .mirror()
        .config("patchgate.mirror.min-free = 1m\n" + alerts.config())
        .start();
  }

  /**
   * Asks for {@code /big.cab} on {@code socket} without reading the answer yet, and waits until the
   * fill has part of the body in its file.
   */
  private static void startDownload(
      Socket socket, SmallFileSystem disk, HalfWayOrigin origin, int length) throws Exception {
    RawHttp.send(socket, request(origin.port(), "/big.cab"));
    assertThat(origin.firstHalfSent.await(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    await().atMost(WAIT).until(() -> partFileBytes(disk.dir()) >= length / 4);
  }

  /**
   * Something else takes the mirror's disk; then the origin sends the rest of the body, under which
   * the fill runs out of space.
   */
  private static void fillTheDisk(SmallFileSystem disk, HalfWayOrigin origin) throws IOException {
    disk.fillLeaving("ballast", 128 * 1024);
    origin.diskFull.countDown();
  }

  /** A range asked for the rest: from a byte past the start to the last, if the tag matches. */
  private static void assertRestOf(String asked, int length) {
    Matcher m = Pattern.compile("(\\d+)-(\\d+) if (.*)").matcher(asked);
    assertThat(m.matches()).as(asked).isTrue();
    assertThat(Long.parseLong(m.group(1))).isBetween(1L, length - 1L);
    assertThat(Long.parseLong(m.group(2))).isEqualTo(length - 1L);
    assertThat(m.group(3)).isEqualTo(ETAG);
  }

  private static String url(int port, String path) {
    return "http://127.0.0.1:%d%s".formatted(port, path);
  }

  private static String request(int port, String path) {
    return "GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n".formatted(url(port, path), port);
  }

  private static String path(Map<String, Object> record) {
    return URI.create((String) record.get("url")).getPath();
  }

  /** What a client got from an answer whose body broke off. */
  private record Cut(int status, long bodyBytes) {}

  /** Sends a GET and reads the head and then whatever body comes until the connection closes. */
  private Cut getCut(int port, String path) throws IOException {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request(port, path));
      return readCut(socket);
    }
  }

  private static Cut readCut(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    String head = RawHttp.readHead(in);
    int status = Integer.parseInt(head.substring(9, 12));
    return new Cut(status, readUntilClosed(in));
  }

  /**
   * Reads until the gateway closes the connection (an end of stream or a reset both count); returns
   * the bytes read. A read that times out fails the test: the connection was left open.
   */
  private static long readUntilClosed(InputStream in) throws IOException {
    byte[] buffer = new byte[16 * 1024];
    long total = 0;
    try {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        total += n;
      }
    } catch (SocketTimeoutException e) {
      throw new AssertionError("the connection was left open after " + total + " bytes", e);
    } catch (SocketException e) {
      // Reset by the gateway: closed as well.
    }
    return total;
  }

  /** A GET of {@code /files/kb.cab?n=<i>} (a new URL each time), remembered in {@code sent}. */
  private static int get(HttpClient client, HttpOrigin origin, List<String> sent)
      throws IOException, InterruptedException {
    String url = origin.base() + "/files/kb.cab?n=" + sent.size();
    sent.add(url);
    return client
        .send(
            HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static byte[] fetch(HttpClient client, HttpOrigin origin, String name)
      throws IOException, InterruptedException {
    HttpResponse<byte[]> response =
        client.send(
            HttpRequest.newBuilder(URI.create(origin.base() + "/files/" + name)).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    return response.body();
  }

  /** The size of the mirror's fill file under way, 0 if none. */
  private static long partFileBytes(Path mirror) throws IOException {
    try (Stream<Path> files = Files.list(mirror.resolve("tmp"))) {
      List<Path> parts = files.filter(f -> f.toString().endsWith(".part")).toList();
      return parts.isEmpty() ? 0 : Files.size(parts.get(0));
    }
  }

  /**
   * No committed object, and no file left in the mirror's directories once fills settle, but the
   * test's own {@code ballast}.
   */
  private void assertNothingKept(String... ballast) throws IOException {
    awaitGauge("patchgate.mirror.fills.active", 0);
    assertThat(gateway.registry.get("patchgate.mirror.objects").gauge().value()).isZero();
    Path mirror = gateway.dir.resolve("mirror");
    try (Stream<Path> files = Files.walk(mirror)) {
      assertThat(
              files
                  .filter(Files::isRegularFile)
                  .map(f -> mirror.relativize(f).toString())
                  .filter(f -> !f.equals("lock") && !List.of(ballast).contains(f)))
          .isEmpty();
    }
  }

  private void awaitGauge(String name, double value) {
    await().atMost(WAIT).until(() -> gateway.registry.get(name).gauge().value() == value);
  }

  private HttpResponse<String> readyz() throws IOException, InterruptedException {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + gateway.adminAddress().getPort() + "/readyz"))
                .timeout(WAIT)
                .build(),
            HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> awaitReadyz(int status) {
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(this::readyz, r -> r.statusCode() == status);
  }
}
