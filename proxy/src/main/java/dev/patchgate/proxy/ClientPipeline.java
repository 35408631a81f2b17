package dev.patchgate.proxy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.proxy.exchange.ClientIdle;
import dev.patchgate.proxy.exchange.ClientSession;
import dev.patchgate.proxy.exchange.ExchangeLog;
import dev.patchgate.proxy.exchange.ExchangeTap;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import dev.patchgate.proxy.exchange.OpenTunnels;
import dev.patchgate.proxy.exchange.WireTap;
import dev.patchgate.proxy.limits.ConnectionLimits;
import dev.patchgate.proxy.mirror.MirrorStage;
import dev.patchgate.proxy.parent.Parents;
import dev.patchgate.proxy.request.AdmissionStage;
import dev.patchgate.proxy.request.ForwardedFor;
import dev.patchgate.proxy.request.RequestFramer;
import dev.patchgate.proxy.request.RequestRateLimit;
import dev.patchgate.proxy.upstream.SelfAddress;
import dev.patchgate.proxy.upstream.UpstreamResolver;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits each client connection under the {@link ConnectionLimits} and builds its pipeline around
 * LittleProxy's handlers, the role a Netty {@code ChannelInitializer} plays (LittleProxy offers
 * none). In order, from the socket:
 *
 * <ol>
 *   <li>{@link WireTap}: counts the bytes in both directions;
 *   <li>{@link ClientIdle}, the idle timer, which sees every byte, mirror downloads and tunnels
 *       included (it replaces LittleProxy's own, which sits behind the codec and sees neither);
 *   <li>{@link RequestFramer}: hands LittleProxy's decoder one request head at a time, and bounds
 *       the time a head may take to arrive;
 *   <li>LittleProxy's codec;
 *   <li>{@link ExchangeTap}: notes each response on its exchange and ends the exchange;
 *   <li>{@link AdmissionStage}: the request path (form, policy, address, SNI gate, mirror);
 *   <li>LittleProxy's own handler, which forwards what the request path let through.
 * </ol>
 *
 * Installed when a connection is accepted, it completes the pipeline once LittleProxy's handlers
 * are in (at registration) and then takes itself out.
 */
final class ClientPipeline extends ChannelInboundHandlerAdapter {
  private static final String NAME = "patchgate-pipeline";
  private static final Logger LOG = LoggerFactory.getLogger(ClientPipeline.class);
  // LittleProxy's names for its handlers in the client pipeline.
  private static final String LITTLEPROXY_DECODER = "decoder";
  private static final String LITTLEPROXY_IDLE = "idle";
  private static final String IDLE = "patchgate-idle";

  /** What every connection shares. */
  record Shared(
      ExchangeLog log,
      GatewayMetrics metrics,
      OpenTunnels tunnels,
      Supplier<Allowlist> policy,
      UpstreamResolver resolver,
      SelfAddress self,
      BooleanSupplier auditWritable,
      Supplier<MirrorStage> mirror,
      int maxHead,
      Duration idleTimeout,
      RequestRateLimit rateLimit,
      ForwardedFor forwarded,
      ConnectionLimits limits,
      Duration requestHeaderTimeout,
      Parents parents) {}

  private final ClientSession session;
  private final AdmissionStage admission;
  private final Shared shared;

  private ClientPipeline(ClientSession session, AdmissionStage admission, Shared shared) {
    this.session = session;
    this.admission = admission;
    this.shared = shared;
  }

  /**
   * A connection was accepted (before it is registered): refused at a limit, or given its session
   * and request path.
   *
   * @return false when refused: the caller closes it unregistered
   */
  static boolean accepted(Channel channel, Shared shared) {
    if (!shared.limits().admit(channel)) {
      return false;
    }
    shared.metrics().connectionAccepted(channel);
    InetSocketAddress remote = (InetSocketAddress) channel.remoteAddress();
    ClientSession session =
        new ClientSession(channel, remote.getAddress(), shared.log(), shared.tunnels());
    channel.attr(ClientSession.KEY).set(session);
    AdmissionStage admission =
        new AdmissionStage(
            session,
            shared.policy(),
            shared.resolver(),
            shared.self(),
            shared.auditWritable(),
            shared.mirror().get(),
            shared.rateLimit(),
            shared.forwarded(),
            shared.parents());
    channel.pipeline().addFirst(NAME, new ClientPipeline(session, admission, shared));
    return true;
  }

  @Override
  public void channelRegistered(ChannelHandlerContext ctx) throws Exception {
    ChannelPipeline pipeline = ctx.pipeline();
    if (pipeline.get(LITTLEPROXY_DECODER) == null) {
      // Without the exchange tap nothing would be audited: refuse the connection instead.
      LOG.error(
          "LittleProxy's pipeline has no '{}' handler; closing the connection",
          LITTLEPROXY_DECODER);
      ctx.close();
      return;
    }
    if (pipeline.get(LITTLEPROXY_IDLE) != null) {
      pipeline.remove(LITTLEPROXY_IDLE);
    }
    pipeline
        .addAfter(NAME, WireTap.NAME, new WireTap(session))
        .addAfter(WireTap.NAME, IDLE, new ClientIdle(session, shared.idleTimeout()))
        .addBefore(
            LITTLEPROXY_DECODER,
            RequestFramer.NAME,
            new RequestFramer(
                session,
                shared.maxHead(),
                shared.requestHeaderTimeout(),
                shared.metrics()::headerTimedOut))
        .addAfter(LITTLEPROXY_DECODER, ExchangeTap.NAME, new ExchangeTap(session))
        .addAfter(ExchangeTap.NAME, AdmissionStage.NAME, admission);
    super.channelRegistered(ctx);
    pipeline.remove(this);
  }
}
