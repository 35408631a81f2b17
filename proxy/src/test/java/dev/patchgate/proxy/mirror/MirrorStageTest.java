package dev.patchgate.proxy.mirror;

import static dev.patchgate.proxy.mirror.MirrorServeFixtures.body;
import static dev.patchgate.proxy.mirror.MirrorServeFixtures.key;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.allowlist.AccessRequest;
import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Scheme;
import dev.patchgate.allowlist.Target;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.mirror.FillLease;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.mirror.fetch.FetchRoute;
import dev.patchgate.proxy.mirror.fetch.MirrorFetch;
import dev.patchgate.proxy.mirror.fetch.MirrorFetchPassThrough;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mirror stage's decisions on one request, on an {@link EmbeddedChannel} with a real store:
 * which requests it takes part in, serve or forward, and the two races fixed without a test (issue
 * 11): a fetch that fails at once, a fetch that cannot even be started.
 */
class MirrorStageTest {
  private static final String HOST = "vendor.example";
  private static final String PATH = "/pkg/a.cab";
  private static final Instant STORED_AT = Instant.now();
  private static final Clock DAY_LATER =
      Clock.fixed(STORED_AT.plus(Duration.ofDays(1)), ZoneOffset.UTC);
  private static final Allowlist POLICY = policy();

  @TempDir Path dir;
  private MirrorStore store;
  private final EmbeddedChannel channel = new EmbeddedChannel(new ChannelInboundHandlerAdapter());
  private final AtomicInteger fetches = new AtomicInteger();

  @BeforeEach
  void openStore() throws Exception {
    store = MirrorServeFixtures.openStore(dir);
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
    store.close();
  }

  @Test
  void theDisabledStageTakesPartInNoRequest() {
    assertThat(MirrorStage.disabled().applies(pinned("GET"), get(HttpVersion.HTTP_1_1))).isFalse();
  }

  @Test
  void itTakesPartInPinnedGetAndHeadOnly() {
    MirrorStage stage = stage(MirrorStageTest::refuseToFetch);
    assertThat(stage.applies(pinned("GET"), get(HttpVersion.HTTP_1_1))).isTrue();
    assertThat(stage.applies(pinned("HEAD"), request(HttpMethod.HEAD, HttpVersion.HTTP_1_1)))
        .isTrue();
    assertThat(stage.applies(pinned("POST"), request(HttpMethod.POST, HttpVersion.HTTP_1_1)))
        .isFalse();
    assertThat(stage.applies(decidedOnly(), get(HttpVersion.HTTP_1_1)))
        .as("an allowed request whose address is not pinned yet")
        .isFalse();
  }

  @Test
  void aFreshStoredCopyIsServedWithoutAFetch() throws Exception {
    MirrorServeFixtures.store(store, PATH, body(300, 1), "Cache-Control", "max-age=604800");
    Exchange exchange = pinned("GET");

    MirrorResult result = run(stage(MirrorStageTest::refuseToFetch), exchange);

    assertThat(result).isEqualTo(MirrorResult.SERVED);
    assertThat(fetches).hasValue(0);
    assertThat(firstResponse().headers().get(MirrorReplies.X_CACHE)).isEqualTo(MirrorReplies.HIT);
    assertThat(cacheOutcome(exchange)).isEqualTo(CacheOutcome.HIT);
  }

  @Test
  void offlineWithNothingStoredTheRequestIsForwardedToGetItsBadGateway() {
    Exchange exchange = offline();

    MirrorResult result = run(stage(MirrorStageTest::refuseToFetch), exchange);

    assertThat(result).isEqualTo(MirrorResult.FORWARD);
    assertThat(exchange.refusal()).isNotNull();
  }

  @Test
  void offlineAStoredCopyIsServedStaleInsteadOfTheBadGateway() throws Exception {
    MirrorServeFixtures.store(store, PATH, body(300, 2), "Cache-Control", "max-age=60");
    Exchange exchange = offline();

    MirrorResult result = run(stage(MirrorStageTest::refuseToFetch), exchange);

    assertThat(result).isEqualTo(MirrorResult.SERVED);
    assertThat(exchange.refusal()).as("the 502 is taken back").isNull();
    assertThat(cacheOutcome(exchange)).isEqualTo(CacheOutcome.STALE);
  }

  /**
   * Regression (git show d00c4c3): the client that starts a fill joins it before the fetch starts.
   * A fetch that failed at once used to settle the fill before the stage's second lookup, which
   * then found no fill to follow and forwarded the request, though a stale copy could stand in.
   */
  @Test
  void aFetchThatFailsAtOnceStillLetsItsOwnClientHaveTheStaleCopy() throws Exception {
    MirrorServeFixtures.store(
        store, PATH, body(300, 3), "Cache-Control", "max-age=60", "ETag", "\"v1\"");
    Exchange exchange = pinned("GET");

    // HTTP/1.0: no hand-over, the client follows the fill only.
    MirrorResult result =
        run(stage(MirrorStageTest::refuseToFetch), exchange, get(HttpVersion.HTTP_1_0));

    assertThat(fetches).hasValue(1);
    assertThat(result).isEqualTo(MirrorResult.SERVED);
    assertThat(cacheOutcome(exchange)).isEqualTo(CacheOutcome.STALE);
    FillLease next = store.fill(key(PATH), "127.0.0.1", false);
    assertThat(next.kind())
        .as("no fill left behind that nobody feeds")
        .isEqualTo(FillLease.Kind.FILLER);
    next.writer().abort(FillOutcome.UPSTREAM_ERROR);
  }

  /**
   * Regression (git show e3e7b6d): a fetch that cannot even be started lets the client's fallback
   * go on at once; the hand-over used to wait for the end of a fetch that never began, and the
   * request hung.
   */
  @Test
  void aFetchThatCannotStartLetsTheFallbackGoOnAtOnce() {
    Exchange exchange = pinned("GET");

    // HTTP/1.1: the fetch's answer would be handed over to this client.
    MirrorResult result =
        run(stage(MirrorStageTest::refuseToFetch), exchange, get(HttpVersion.HTTP_1_1));

    assertThat(fetches).hasValue(1);
    assertThat(result).isEqualTo(MirrorResult.FORWARD);
    assertThat(cacheOutcome(exchange)).isEqualTo(CacheOutcome.BYPASS);
  }

  // ---- helpers ----

  private MirrorStage stage(MirrorStage.FetchStarter fetcher) {
    return new MirrorStage(
        store,
        (route, host, path, headers, conditional, writer, passThrough) -> {
          fetches.incrementAndGet();
          return fetcher.fetch(route, host, path, headers, conditional, writer, passThrough);
        },
        (route, host, path, headers, range, passThrough) -> {
          throw new IllegalArgumentException("no range fetches in these tests");
        },
        AlertSink.disabled(),
        16,
        DAY_LATER);
  }

  /** A fetch that cannot be started, as for a malformed target: the stage aborts the fill. */
  private static MirrorFetch refuseToFetch(
      FetchRoute route,
      String host,
      String path,
      HttpHeaders headers,
      List<HeaderField> conditional,
      FillWriter writer,
      MirrorFetchPassThrough passThrough) {
    throw new IllegalArgumentException("cannot start");
  }

  private MirrorResult run(MirrorStage stage, Exchange exchange) {
    return run(stage, exchange, get(HttpVersion.HTTP_1_1));
  }

  /** Hands the request to the stage on the channel's loop and waits for its result. */
  private MirrorResult run(MirrorStage stage, Exchange exchange, FullHttpRequest request) {
    ChannelHandlerContext ctx = channel.pipeline().firstContext();
    try {
      Future<MirrorResult> result = stage.handle(ctx, exchange, request);
      await()
          .pollInSameThread()
          .atMost(Duration.ofSeconds(10))
          .until(
              () -> {
                channel.runPendingTasks();
                return result.isDone();
              });
      return result.getNow();
    } finally {
      request.release();
    }
  }

  private HttpResponse firstResponse() {
    Object first = channel.readOutbound();
    assertThat(first).isInstanceOf(HttpResponse.class);
    return (HttpResponse) first;
  }

  private static CacheOutcome cacheOutcome(Exchange exchange) {
    return exchange.toRecord(0, 0, 0).cache();
  }

  private static FullHttpRequest get(HttpVersion version) {
    return request(HttpMethod.GET, version);
  }

  private static FullHttpRequest request(HttpMethod method, HttpVersion version) {
    FullHttpRequest request = new DefaultFullHttpRequest(version, method, "http://" + HOST + PATH);
    request.headers().set(HttpHeaderNames.HOST, HOST);
    return request;
  }

  /** Allowed by the policy, address not pinned yet. */
  private static Exchange decidedOnly() {
    return decided("GET");
  }

  /** Allowed, address checked and pinned. */
  private static Exchange pinned(String method) {
    Exchange exchange = decided(method);
    exchange.pin(InetAddress.getLoopbackAddress());
    return exchange;
  }

  /** Allowed, but the host has no address: the gateway is about to answer 502. */
  private static Exchange offline() {
    Exchange exchange = decided("GET");
    exchange.notFound();
    return exchange;
  }

  private static Exchange decided(String method) {
    Target target = new Target(Scheme.HTTP, HOST, 80, PATH);
    Exchange exchange = new Exchange("t-1", STORED_AT, 0, "127.0.0.1", method, target.url(), false);
    exchange.admitted(target);
    AccessRequest access =
        new AccessRequest(InetAddress.getLoopbackAddress(), method, target, STORED_AT);
    exchange.decided(access, POLICY.decide(access));
    return exchange;
  }

  private static Allowlist policy() {
    try {
      return Allowlist.parse(
          "entries { vendor { hosts = [\"" + HOST + "\"], addresses = [\"127.0.0.0/8\"] } }",
          "test.conf");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
