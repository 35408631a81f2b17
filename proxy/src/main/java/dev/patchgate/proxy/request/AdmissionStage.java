package dev.patchgate.proxy.request;

import dev.patchgate.allowlist.AccessRequest;
import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.Target;
import dev.patchgate.proxy.exchange.ClientIdentity;
import dev.patchgate.proxy.exchange.ClientSession;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.mirror.MirrorResult;
import dev.patchgate.proxy.mirror.MirrorStage;
import dev.patchgate.proxy.parent.Parents;
import dev.patchgate.proxy.tunnel.SniGate;
import dev.patchgate.proxy.upstream.SelfAddress;
import dev.patchgate.proxy.upstream.UpstreamResolver;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The request path's first steps, run on each request before LittleProxy sees it:
 *
 * <ol>
 *   <li>open the exchange (every decoded request head, malformed ones too, gets a record);
 *   <li>tell whom the request is from ({@link ForwardedFor}): the PC a trusted downstream gateway
 *       names, else the TCP peer; every step below, the record included, uses that client; the
 *       forwarded-for headers are stripped here, whoever sent them;
 *   <li>in fail-closed mode, refuse with 503 while the audit log cannot be written;
 *   <li>take one of the client's request tokens ({@link ClientRateLimiter}, at the rate of the
 *       client's group in the allowlist's {@code limits} block, else the gateway's): a client over
 *       its rate gets 429 with {@code Retry-After}, whatever the request (a CONNECT too);
 *   <li>check the request's form ({@link RequestGate}); a request for the PAC file stops here,
 *       allowed with no policy, lookup or mirror, and {@link GatewayFilters} answers it;
 *   <li>decide ({@link Allowlist#decide}), with the policy current at this moment;
 *   <li>resolve the host once, off the event loop, and check every address; pin the first one the
 *       allowing entry accepts, which is the only address ever dialled for this request (a request
 *       the parent proxies carry with {@code resolve = parent} skips this: the parent resolves);
 *   <li>for a CONNECT, put a {@link SniGate} in front of the tunnel;
 *   <li>for a plain-HTTP GET or HEAD, let the {@link MirrorStage} answer from the mirror, or hand
 *       the request on to LittleProxy.
 * </ol>
 *
 * {@link #decide} runs the synchronous steps and says what follows as an {@link AdmissionResult}
 * (refused, pinned, or a lookup first); the mirror's part ends in a {@link MirrorResult} (served,
 * or forward).
 *
 * <p>The outcome is left on the {@link Exchange}: {@link GatewayFilters} answers with its refusal
 * or forwards to its pinned address. The {@link RequestFramer} in front of the decoder hands on one
 * request at a time; while a lookup or the mirror is busy with it, whatever else of it arrives (its
 * last empty content) waits here in order, so the event loop keeps serving its other connections.
 * Runs on the client's event loop only.
 *
 * <p>Public for the gateway's wiring ({@code ClientPipeline}).
 */
public final class AdmissionStage extends ChannelInboundHandlerAdapter {
  public static final String NAME = "patchgate-admission";
  private static final Logger LOG = LoggerFactory.getLogger(AdmissionStage.class);

  private final ClientSession session;
  private final Supplier<Allowlist> policy;
  private final UpstreamResolver resolver;
  private final SelfAddress self;
  private final BooleanSupplier auditWritable;
  private final MirrorStage mirror;
  private final RequestRateLimit rateLimit;
  private final ForwardedFor forwarded;
  private final Parents parents;
  private final ArrayDeque<Object> held = new ArrayDeque<>();
  private HttpRequest resolving;
  // True while the mirror answers a request: what arrives meanwhile waits in order.
  private boolean mirroring;
  // The mirror answered the request: its (empty) body parts are not LittleProxy's.
  private boolean dropContent;
  // A trusted downstream's unusable header is logged once a connection, not once a request.
  private boolean forwardedFaultLogged;

  public AdmissionStage(
      ClientSession session,
      Supplier<Allowlist> policy,
      UpstreamResolver resolver,
      SelfAddress self,
      BooleanSupplier auditWritable,
      MirrorStage mirror,
      RequestRateLimit rateLimit,
      ForwardedFor forwarded,
      Parents parents) {
    this.forwarded = Objects.requireNonNull(forwarded, "forwarded (ForwardedFor.NONE when off)");
    this.parents = Objects.requireNonNull(parents, "parents (Parents.none() without parents)");
    this.rateLimit = Objects.requireNonNull(rateLimit, "rateLimit (RequestRateLimit.OFF when off)");
    this.mirror = Objects.requireNonNull(mirror, "mirror (MirrorStage.disabled() when off)");
    this.session = session;
    this.auditWritable = auditWritable;
    this.policy = policy;
    this.resolver = resolver;
    this.self = self;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (waiting()) {
      held.add(msg);
      return;
    }
    admit(ctx, msg);
  }

  private boolean waiting() {
    return resolving != null || mirroring;
  }

  private void admit(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      Exchange exchange = session.requestArrived(request);
      if (request.decoderResult().isFailure()) {
        ctx.fireChannelRead(msg); // LittleProxy answers it with 400
        return;
      }
      AdmissionResult result = decide(exchange, request);
      if (result instanceof AdmissionResult.NeedsLookup lookup) {
        lookUp(ctx, exchange, request, lookup.host());
      } else {
        proceed(ctx, exchange, request, result);
      }
      return;
    }
    if (dropContent && msg instanceof HttpContent) {
      dropContent = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    ctx.fireChannelRead(msg);
  }

  /**
   * The admission steps, in order: the audit log, the form, the policy, the address. Each notes its
   * outcome on the exchange for the record; the result says what happens next.
   */
  AdmissionResult decide(Exchange exchange, HttpRequest request) {
    ClientIdentity who = identify(exchange, request);
    if (!auditWritable.getAsBoolean()) {
      // Fail-closed: an unaudited update proxy is not acceptable in a hospital. The record of
      // this refusal waits in the writer's backlog with the others.
      exchange.auditUnavailable();
      return refused(exchange);
    }
    Admission admission = RequestGate.check(request);
    // Keyed on the PC, so one infected PC behind a site gateway cannot spend the whole site's
    // budget; the connection limits still key on the TCP peer.
    long retryAfter = rateLimit.retryAfterSeconds(who.client(), policy);
    if (retryAfter > 0) {
      if (admission instanceof Admission.Admitted admitted) {
        exchange.admitted(admitted.target()); // the record names what was asked, canonically
      }
      exchange.rateLimited(retryAfter);
      return refused(exchange);
    }
    if (admission instanceof Admission.Rejected rejected) {
      exchange.rejected(rejected.status(), rejected.reason());
      return refused(exchange);
    }
    if (admission instanceof Admission.AutoConfig) {
      exchange.autoConfig();
      return new AdmissionResult.AutoConfig();
    }
    Target target = ((Admission.Admitted) admission).target();
    exchange.admitted(target);
    AccessRequest access =
        new AccessRequest(who.client(), request.method().name(), target, exchange.startedAt());
    Decision allowlistDecision = policy.get().decide(access);
    exchange.decided(access, allowlistDecision);
    if (!allowlistDecision.allowed()) {
      return refused(exchange);
    }
    if (parents.carries(allowlistDecision)) {
      exchange.routeViaParent(parents.namesClients() ? who.forwardedForParent() : null);
    }
    if (target.isIpLiteral()) {
      return checkAndPin(exchange, List.of(literal(target.host())));
    }
    if (exchange.viaParent() && !parents.resolveLocally()) {
      // resolve = parent: the gateway may not resolve public names; the parent resolves the name
      // and checks its addresses by its own rules.
      return new AdmissionResult.ToParent();
    }
    // A connection that already dialled this host keeps the address it checked then; it is
    // checked again because the policy may have changed since.
    InetAddress known = session.knownUpstream(target.authority());
    if (known != null) {
      return checkAndPin(exchange, List.of(known));
    }
    return new AdmissionResult.NeedsLookup(target.host());
  }

  /**
   * Whom the request is from, noted on the exchange; the forwarded-for headers leave the request
   * here, so neither the mirror nor LittleProxy ever passes them on.
   */
  private ClientIdentity identify(Exchange exchange, HttpRequest request) {
    ClientIdentity who = forwarded.identify(session.clientAddress(), request.headers());
    ForwardedFor.strip(request.headers());
    exchange.identified(who);
    if (who.fault() != null && !forwardedFaultLogged) {
      forwardedFaultLogged = true;
      LOG.warn(
          "trusted downstream {}: {}; its requests are recorded as its own (logged once a"
              + " connection)",
          session.clientAddress().getHostAddress(),
          who.fault());
    }
    return who;
  }

  private static AdmissionResult.Refused refused(Exchange exchange) {
    Exchange.Refusal refusal = exchange.refusal();
    return new AdmissionResult.Refused(refusal.status().code(), refusal.reason());
  }

  /**
   * The request is decided and, if allowed, pinned: a tunnel gets its SNI gate; a request the
   * mirror applies to goes to the mirror; the rest to LittleProxy, which answers a refusal.
   */
  private void proceed(
      ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, AdmissionResult result) {
    if (result instanceof AdmissionResult.Pinned || result instanceof AdmissionResult.ToParent) {
      guardTunnel(ctx, exchange);
    }
    if (!mirror.applies(exchange, request)) {
      ctx.fireChannelRead(request);
      return;
    }
    mirroring = true;
    mirror
        .handle(ctx, exchange, request)
        .addListener(
            (Future<MirrorResult> mirrored) -> {
              mirroring = false;
              if (!ctx.channel().isActive()) {
                return; // channelInactive released what was held
              }
              if (mirrored.getNow() == MirrorResult.FORWARD) {
                ctx.fireChannelRead(request);
              } else {
                dropContent = true;
              }
              drain(ctx);
            });
  }

  /** Admits what waited while the connection was busy, until it is busy again. */
  private void drain(ChannelHandlerContext ctx) {
    while (!waiting() && !held.isEmpty()) {
      admit(ctx, held.poll());
    }
  }

  /** An allowed CONNECT's first bytes must pass the SNI check, unless its entry turned it off. */
  private static void guardTunnel(ChannelHandlerContext ctx, Exchange exchange) {
    if (!exchange.isConnect() || !exchange.allowlistDecision().sniCheck()) {
      return;
    }
    Target target = exchange.target();
    SniGate gate = new SniGate(exchange, target.host(), target.isIpLiteral());
    if (ctx.pipeline().get(SniGate.NAME) != null) {
      // An earlier CONNECT on this connection failed before its tunnel opened.
      ctx.pipeline().replace(SniGate.NAME, SniGate.NAME, gate);
    } else {
      ctx.pipeline().addAfter(ctx.name(), SniGate.NAME, gate);
    }
  }

  private void lookUp(
      ChannelHandlerContext ctx, Exchange exchange, HttpRequest request, String host) {
    resolving = request;
    resolver
        .resolve(host)
        .whenComplete(
            (addresses, failure) -> {
              try {
                ctx.executor().execute(() -> resolved(ctx, exchange, addresses));
              } catch (RejectedExecutionException e) {
                // The gateway is stopping; its shutdown closes this connection.
              }
            });
  }

  private void resolved(ChannelHandlerContext ctx, Exchange exchange, List<InetAddress> addresses) {
    if (!ctx.channel().isActive() || resolving == null) {
      return; // channelInactive released what was held
    }
    AdmissionResult result;
    if (addresses == null || addresses.isEmpty()) {
      exchange.notFound();
      result = refused(exchange);
    } else {
      result = checkAndPin(exchange, addresses);
    }
    HttpRequest request = resolving;
    resolving = null;
    proceed(ctx, exchange, request, result);
    drain(ctx);
  }

  /** Pins the first address the decision accepts, or denies with the first address's refusal. */
  private AdmissionResult checkAndPin(Exchange exchange, List<InetAddress> addresses) {
    Decision allowlistDecision = exchange.allowlistDecision();
    int port = exchange.target().port();
    String firstRefusal = null;
    for (InetAddress address : addresses) {
      String refusal =
          self.isGateway(address, port)
              ? SelfAddress.REFUSAL
              : allowlistDecision.addressRefusal(address);
      if (refusal == null) {
        exchange.pin(address);
        return new AdmissionResult.Pinned(address);
      }
      if (firstRefusal == null) {
        firstRefusal = refusal;
      }
    }
    exchange.denied(firstRefusal);
    return refused(exchange);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    resolving = null;
    mirroring = false;
    releaseHeld();
    super.channelInactive(ctx);
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    releaseHeld();
  }

  private void releaseHeld() {
    for (Object msg = held.poll(); msg != null; msg = held.poll()) {
      ReferenceCountUtil.release(msg);
    }
  }

  private static InetAddress literal(String host) {
    try {
      // An IP literal (checked strictly by TargetParser) is parsed, never looked up.
      return InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("TargetParser admitted an unparseable IP literal", e);
    }
  }
}
