package dev.patchgate.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.RequestRate;
import dev.patchgate.audit.AuditSink;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.proxy.RecordingAuditSink;
import dev.patchgate.proxy.config.ParentProxy;
import dev.patchgate.proxy.config.UpstreamSettings;
import dev.patchgate.proxy.exchange.ClientSession;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.ExchangeLog;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import dev.patchgate.proxy.exchange.OpenTunnels;
import dev.patchgate.proxy.mirror.MirrorStage;
import dev.patchgate.proxy.parent.Parents;
import dev.patchgate.proxy.tunnel.SniGate;
import dev.patchgate.proxy.upstream.SelfAddress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admission steps' decisions on an {@link EmbeddedChannel}: what {@link AdmissionStage#decide}
 * concludes for each kind of request, and what the stage then hands on, in order, to LittleProxy.
 */
class AdmissionStageTest {
  private static final Allowlist POLICY = policy();

  private final Map<String, CompletableFuture<List<InetAddress>>> lookups = new HashMap<>();
  private boolean auditWritable = true;
  private final EmbeddedChannel channel = new EmbeddedChannel();
  private final ClientSession session =
      new ClientSession(channel, InetAddress.getLoopbackAddress(), log(), new OpenTunnels());
  private final AdmissionStage stage = stage(POLICY, RequestRateLimit.OFF);
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

  @AfterEach
  void finish() {
    channel.finishAndReleaseAll();
  }

  @Test
  void decide_unlistedHost_isRefusedWith403() {
    assertThat(decide(get("http://elsewhere.example/a.cab")))
        .isInstanceOf(AdmissionResult.Refused.class)
        .extracting(r -> ((AdmissionResult.Refused) r).status())
        .isEqualTo(403);
  }

  @Test
  void decide_allowedIpLiteral_isPinnedWithoutALookup() throws Exception {
    assertThat(decide(get("http://127.0.0.1/a.cab")))
        .isEqualTo(new AdmissionResult.Pinned(InetAddress.getByName("127.0.0.1")));
    assertThat(lookups).isEmpty();
  }

  @Test
  void decide_allowedName_needsALookupFirst() {
    assertThat(decide(get("http://vendor.example/a.cab")))
        .isEqualTo(new AdmissionResult.NeedsLookup("vendor.example"));
  }

  @Test
  void decide_resolveParent_sendsTheNameToTheParentWithoutALookup() {
    AdmissionStage viaParent = stage(POLICY, RequestRateLimit.OFF, parents(false));

    assertThat(decide(viaParent, get("http://vendor.example/a.cab")))
        .isEqualTo(new AdmissionResult.ToParent());
    assertThat(lookups).isEmpty();
    assertThat(session.current().viaParent()).isTrue();
  }

  @Test
  void decide_resolveLocal_looksTheNameUpBeforeItGoesToTheParent() {
    AdmissionStage viaParent = stage(POLICY, RequestRateLimit.OFF, parents(true));

    assertThat(decide(viaParent, get("http://vendor.example/a.cab")))
        .isEqualTo(new AdmissionResult.NeedsLookup("vendor.example"));
    assertThat(session.current().viaParent()).isTrue();
  }

  @Test
  void decide_entryWithUpstreamDirect_bypassesTheParentAndIsLookedUpHere() {
    AdmissionStage viaParent = stage(POLICY, RequestRateLimit.OFF, parents(false));

    assertThat(decide(viaParent, get("http://wsus.example/a.cab")))
        .isEqualTo(new AdmissionResult.NeedsLookup("wsus.example"));
    assertThat(session.current().viaParent()).isFalse();
  }

  private Parents parents(boolean resolveLocally) {
    return Parents.of(
        new UpstreamSettings(
            List.of(ParentProxy.of("127.0.0.1", 3128)),
            3,
            Duration.ofSeconds(30),
            false,
            resolveLocally),
        true,
        nanos::get,
        new SimpleMeterRegistry());
  }

  @Test
  void decide_auditLogDownInFailClosedMode_isRefusedWith503BeforeThePolicy() {
    auditWritable = false;
    assertThat(decide(get("http://vendor.example/a.cab")))
        .isEqualTo(new AdmissionResult.Refused(503, Exchange.AUDIT_UNAVAILABLE));
  }

  @Test
  void decide_requestWithABody_isRefusedWith400ForItsForm() {
    HttpRequest request = get("http://vendor.example/a.cab");
    request.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
    assertThat(decide(request))
        .isEqualTo(new AdmissionResult.Refused(400, RequestGate.TRANSFER_ENCODING));
  }

  @Test
  void aLookedUpAddressIsPinnedAndTheRequestAndItsBodyGoOnInOrder() throws Exception {
    HttpRequest request = get("http://vendor.example/a.cab");
    channel.pipeline().addFirst(stage);

    channel.writeInbound(request, LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat((Object) channel.readInbound()).as("held while the name is looked up").isNull();

    lookups.get("vendor.example").complete(List.of(InetAddress.getByName("127.0.0.2")));
    channel.runPendingTasks();

    assertThat((Object) channel.readInbound()).isSameAs(request);
    assertThat((Object) channel.readInbound()).isSameAs(LastHttpContent.EMPTY_LAST_CONTENT);
    assertThat(session.current().pinned()).isEqualTo(InetAddress.getByName("127.0.0.2"));
    assertThat(session.current().refusal()).isNull();
  }

  @Test
  void anAddressTheEntryDoesNotCoverIsRefusedWith403() throws Exception {
    channel.pipeline().addFirst(stage);

    channel.writeInbound(get("http://vendor.example/a.cab"));
    lookups.get("vendor.example").complete(List.of(InetAddress.getByName("10.1.2.3")));
    channel.runPendingTasks();

    assertThat((Object) channel.readInbound()).isInstanceOf(HttpRequest.class);
    assertThat(session.current().pinned()).isNull();
    assertThat(session.current().refusal().status().code()).isEqualTo(403);
  }

  @Test
  void aNameWithoutAddressIsAnsweredWith502() {
    channel.pipeline().addFirst(stage);

    channel.writeInbound(get("http://vendor.example/a.cab"));
    lookups.get("vendor.example").complete(List.of());
    channel.runPendingTasks();

    assertThat((Object) channel.readInbound()).isInstanceOf(HttpRequest.class);
    assertThat(session.current().refusal().reason()).isEqualTo(Exchange.UPSTREAM_NOT_FOUND);
    assertThat(session.current().refusal().status().code()).isEqualTo(502);
  }

  @Test
  void anAllowedConnectGetsTheSniGateInFrontOfItsTunnel() {
    channel.pipeline().addFirst(stage);

    channel.writeInbound(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, "127.0.0.1:443"));

    assertThat((Object) channel.readInbound()).isInstanceOf(HttpRequest.class);
    assertThat(channel.pipeline().get(SniGate.NAME)).isNotNull();
  }

  @Test
  void aRefusedConnectGetsNoGate() {
    channel.pipeline().addFirst(stage);

    channel.writeInbound(
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, "elsewhere.example:443"));

    assertThat((Object) channel.readInbound()).isInstanceOf(HttpRequest.class);
    assertThat(channel.pipeline().get(SniGate.NAME)).isNull();
    assertThat(session.current().refusal().status().code()).isEqualTo(403);
  }

  @Test
  void decide_overTheRate_isRefusedWith429AndRetryAfterWhateverItAsks() {
    AdmissionStage limited = stage(POLICY, rateLimit(1, 2));

    assertThat(decide(limited, get("http://127.0.0.1/a.cab")))
        .isInstanceOf(AdmissionResult.Pinned.class);
    assertThat(decide(limited, get("http://elsewhere.example/a.cab")))
        .as("a refused request takes a token too")
        .extracting(r -> ((AdmissionResult.Refused) r).status())
        .isEqualTo(403);
    assertThat(decide(limited, get("http://127.0.0.1/a.cab")))
        .isEqualTo(new AdmissionResult.Refused(429, Exchange.RATE_LIMIT));
    assertThat(session.current().refusal().retryAfterSeconds()).isEqualTo(1);
    assertThat(session.current().target().host())
        .as("the record names what was asked")
        .isEqualTo("127.0.0.1");

    HttpRequest connectRequest =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.CONNECT, "127.0.0.1:443");
    Exchange connect = session.requestArrived(connectRequest);
    assertThat(limited.decide(connect, connectRequest))
        .isEqualTo(new AdmissionResult.Refused(429, Exchange.RATE_LIMIT));
    assertThat(connect.refusal().close()).as("a refused CONNECT's connection closes").isTrue();

    nanos.addAndGet(1_000_000_000L);
    assertThat(decide(limited, get("http://127.0.0.1/a.cab")))
        .as("a second later, one token is back")
        .isInstanceOf(AdmissionResult.Pinned.class);
  }

  @Test
  void decide_aGroupWithRateZeroInTheLimitsBlock_isNotLimited() throws Exception {
    Allowlist unlimitedLab =
        Allowlist.parse(
            """
            clients { lab = ["127.0.0.0/8"] }
            limits { lab { requests-per-client { rate = 0 } } }
            entries { lab { hosts = ["127.0.0.1"], ports = [80, 443] } }
            """,
            "test.conf");
    AdmissionStage limited = stage(unlimitedLab, rateLimit(1, 1));

    for (int i = 0; i < 50; i++) {
      assertThat(decide(limited, get("http://127.0.0.1/a.cab")))
          .isInstanceOf(AdmissionResult.Pinned.class);
    }
  }

  private RequestRateLimit rateLimit(int perSecond, int burst) {
    return new RequestRateLimit(
        new RequestRate(perSecond, burst), new ClientRateLimiter(nanos::get, 10));
  }

  private AdmissionStage stage(Allowlist policy, RequestRateLimit rateLimit) {
    return stage(policy, rateLimit, Parents.none());
  }

  private AdmissionStage stage(Allowlist policy, RequestRateLimit rateLimit, Parents parents) {
    return new AdmissionStage(
        session,
        () -> policy,
        host -> lookups.computeIfAbsent(host, h -> new CompletableFuture<>()),
        new SelfAddress(),
        () -> auditWritable,
        MirrorStage.disabled(),
        rateLimit,
        ForwardedFor.NONE,
        parents);
  }

  private AdmissionResult decide(HttpRequest request) {
    return decide(stage, request);
  }

  private AdmissionResult decide(AdmissionStage on, HttpRequest request) {
    Exchange exchange = session.requestArrived(request);
    return on.decide(exchange, request);
  }

  private static HttpRequest get(String url) {
    return new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, url);
  }

  private static ExchangeLog log() {
    AuditSink audit = new RecordingAuditSink();
    return new ExchangeLog(
        audit,
        AlertSink.disabled(),
        new GatewayMetrics(
            new SimpleMeterRegistry(), audit, AlertSink.disabled(), new OpenTunnels()),
        Clock.systemUTC(),
        System::nanoTime);
  }

  private static Allowlist policy() {
    try {
      return Allowlist.parse(
          """
          entries {
            vendor { hosts = ["vendor.example"], addresses = ["127.0.0.0/8"] }
            lab { hosts = ["127.0.0.1"], ports = [80, 443] }
            wsus { hosts = ["wsus.example"], upstream = direct, addresses = ["127.0.0.0/8"] }
          }
          """,
          "test.conf");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
