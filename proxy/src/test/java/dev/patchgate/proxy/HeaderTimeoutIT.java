package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.proxy.exchange.GatewayMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The request header timeout on the running gateway (1 s here; the idle timeout is 30 s): a head
 * trickled in byte by byte is cut at the timeout although bytes keep coming, a silent connection is
 * closed, and a kept-alive client that pauses between requests is never cut.
 */
class HeaderTimeoutIT {
  private static final long TIMEOUT_MILLIS = 1_000;

  @TempDir Path dir;
  private HttpOrigin origin;
  private GatewayHarness gateway;
  private final ScheduledExecutorService pacer = Executors.newSingleThreadScheduledExecutor();

  @BeforeEach
  void start() throws Exception {
    origin = HttpOrigin.plain();
    origin.put("kb.cab", "the patch".getBytes(StandardCharsets.US_ASCII));
    gateway =
        GatewayHarness.with(
                dir,
                "entries { lab { hosts = [\"127.0.0.1\"], ports = [%d] } }"
                    .formatted(origin.port()))
            .config("patchgate.timeouts.request-header = %dms".formatted(TIMEOUT_MILLIS))
            .start();
  }

  @AfterEach
  void stop() {
    pacer.shutdownNow();
    gateway.close();
    origin.close();
  }

  @Test
  void aHeadTrickledByteByByteIsAnswered408AtTheTimeoutAlthoughBytesKeepComing() throws Exception {
    try (Socket socket = gateway.socket()) {
      assertTrickleIsCutAtTheTimeout(socket);
    }
    Map<String, Object> record =
        gateway.awaitRecord(r -> "request header timeout".equals(r.get("reason")));
    assertThat(record)
        .containsEntry("decision", "error")
        .containsEntry("status", 408L)
        .containsEntry("client", "127.0.0.1")
        .containsEntry("method", "GET");
    assertThat((Long) record.get("bytes_from_client")).isGreaterThanOrEqualTo(4L);
    assertThat((Long) record.get("bytes_to_client")).isPositive();
    assertThat(headerTimeouts()).isEqualTo(1);
  }

  @Test
  void aLaterRequestOnAKeptAliveConnectionIsTimedFromItsFirstByte() throws Exception {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, request());
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(200);
      socket.setSoTimeout((int) (TIMEOUT_MILLIS * 3 / 2));
      assertThatThrownBy(() -> socket.getInputStream().read())
          .isInstanceOf(SocketTimeoutException.class);

      assertTrickleIsCutAtTheTimeout(socket);
    }
    assertThat(gateway.awaitRecords(2))
        .extracting(r -> r.get("status"))
        .containsExactly(200L, 408L);
  }

  /**
   * Sends the request one byte every 200 ms (the whole head would take over 10 s, every gap far
   * below the idle timeout) and expects a 408 one header timeout after the first byte, the
   * connection then closed.
   */
  private void assertTrickleIsCutAtTheTimeout(Socket socket) throws Exception {
    byte[] request = request().getBytes(StandardCharsets.ISO_8859_1);
    socket.setSoTimeout(10_000);
    OutputStream out = socket.getOutputStream();
    AtomicInteger sent = new AtomicInteger();
    long start = System.nanoTime();
    ScheduledFuture<?> trickle =
        pacer.scheduleAtFixedRate(
            () -> {
              int i = sent.get();
              if (i < request.length) {
                try {
                  out.write(request[i]);
                  out.flush();
                  sent.incrementAndGet();
                } catch (IOException closed) {
                  throw new IllegalStateException(closed); // ends the trickle
                }
              }
            },
            0,
            200,
            TimeUnit.MILLISECONDS);

    RawHttp.Response response = RawHttp.read(socket, false);
    long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    trickle.cancel(false);

    assertThat(response.status()).isEqualTo(408);
    assertThat(response.headers()).containsEntry("connection", "close");
    assertThat(response.bodyText()).contains("request header timeout");
    assertThat(elapsedMillis).isBetween(TIMEOUT_MILLIS - 100, TIMEOUT_MILLIS + 4_000);
    assertThat(sent.get()).isGreaterThanOrEqualTo(4).isLessThan(request.length);
    assertClosed(socket);
  }

  @Test
  void aConnectionThatSendsNothingIsClosedAtTheTimeoutWithoutARecord() throws Exception {
    try (Socket socket = gateway.socket()) {
      socket.setSoTimeout(10_000);
      long start = System.nanoTime();

      assertClosed(socket);

      long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
      assertThat(elapsedMillis).isBetween(TIMEOUT_MILLIS - 100, TIMEOUT_MILLIS + 4_000);
    }
    assertThat(headerTimeouts()).isEqualTo(1);
    assertThat(gateway.records()).isEmpty();
  }

  @Test
  void aKeptAliveClientPausingLongerThanTheTimeoutBetweenRequestsIsNeverCut() throws Exception {
    try (Socket socket = gateway.socket()) {
      for (int i = 0; i < 3; i++) {
        socket.setSoTimeout(10_000);
        RawHttp.send(socket, request());
        assertThat(RawHttp.read(socket, false).status()).isEqualTo(200);
        // Longer than the header timeout, far below the idle timeout: the connection stays.
        socket.setSoTimeout((int) (TIMEOUT_MILLIS * 3 / 2));
        assertThatThrownBy(() -> socket.getInputStream().read())
            .isInstanceOf(SocketTimeoutException.class);
      }
      // A head in three pieces, all within the timeout of its first byte.
      socket.setSoTimeout(10_000);
      String request = request();
      int third = request.length() / 3;
      sendLater(socket, request.substring(0, third), 0);
      sendLater(socket, request.substring(third, 2 * third), TIMEOUT_MILLIS / 3);
      sendLater(socket, request.substring(2 * third), TIMEOUT_MILLIS * 2 / 3);
      assertThat(RawHttp.read(socket, false).status()).isEqualTo(200);
    }
    assertThat(gateway.awaitRecords(4))
        .hasSize(4)
        .allSatisfy(r -> assertThat(r).containsEntry("status", 200L));
    assertThat(headerTimeouts()).isZero();
  }

  private String request() {
    return "GET "
        + origin.base()
        + "/files/kb.cab HTTP/1.1\r\nHost: 127.0.0.1:"
        + origin.port()
        + "\r\nUser-Agent: Windows-Update-Agent\r\n\r\n";
  }

  private void sendLater(Socket socket, String piece, long delayMillis) {
    pacer.schedule(
        () -> {
          RawHttp.send(socket, piece);
          return null;
        },
        delayMillis,
        TimeUnit.MILLISECONDS);
  }

  /** The gateway has closed the connection: end of stream (or a reset, after unread bytes). */
  private static void assertClosed(Socket socket) throws IOException {
    try {
      assertThat(socket.getInputStream().read()).isEqualTo(-1);
    } catch (SocketException reset) {
      assertThat(reset).hasMessageContaining("reset");
    }
  }

  private double headerTimeouts() {
    return gateway
        .registry
        .get(GatewayMetrics.CONNECTIONS_TIMED_OUT)
        .tag("phase", "header")
        .counter()
        .count();
  }
}
