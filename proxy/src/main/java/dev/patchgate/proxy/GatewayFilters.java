package dev.patchgate.proxy;

import dev.patchgate.allowlist.AccessRequest;
import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.Scheme;
import dev.patchgate.allowlist.Target;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.littleshoot.proxy.HttpFiltersAdapter;

/**
 * The request path for one request, as LittleProxy calls it: check the form, decide, rewrite the
 * request so that LittleProxy dials exactly what was decided, then resolve once and pin the
 * address. Every outcome is noted on the {@link Exchange}; the record itself is written when the
 * exchange ends.
 */
final class GatewayFilters extends HttpFiltersAdapter {
  private final Allowlist policy;
  private final UpstreamResolver resolver;
  private final ClientSession session;
  private final Exchange exchange;

  GatewayFilters(
      HttpRequest originalRequest,
      Allowlist policy,
      UpstreamResolver resolver,
      ClientSession session,
      Exchange exchange) {
    super(originalRequest);
    this.policy = policy;
    this.resolver = resolver;
    this.session = session;
    this.exchange = exchange;
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (!(httpObject instanceof HttpRequest request)) {
      // Admitted requests carry no body (RequestGate), so only their empty last part comes here.
      return null;
    }
    boolean head = HttpMethod.HEAD.equals(request.method());
    Admission admission = RequestGate.check(request);
    if (admission instanceof Admission.Rejected rejected) {
      exchange.rejected(rejected.reason());
      // The framing of whatever follows on this connection cannot be trusted: close it.
      return GatewayResponses.refusal(rejected.status(), rejected.reason(), head, true);
    }
    Target target = ((Admission.Admitted) admission).target();
    exchange.admitted(target);

    Decision decision =
        policy.decide(new AccessRequest(session.clientAddress(), request.method().name(), target));
    exchange.decided(decision);
    if (!decision.allowed()) {
      return GatewayResponses.refusal(
          HttpResponseStatus.FORBIDDEN, decision.reason(), head, exchange.isConnect());
    }

    // LittleProxy takes the upstream host from the URI and forwards the client's Host header as
    // it is: both now say exactly what the policy allowed.
    if (target.scheme() == Scheme.HTTPS) {
      request.setUri(target.authority());
    } else {
      request.setUri("http://" + target.authority() + target.path());
      request.headers().set(HttpHeaderNames.HOST, hostHeader(target));
      // No request carries a body, so an upstream "100 Continue" would only be a stray response.
      request.headers().remove(HttpHeaderNames.EXPECT);
    }
    // A reused upstream connection is not resolved again; its pinned address is remembered here.
    exchange.upstream(session.knownUpstream(target.authority()));
    return null;
  }

  @Override
  public InetSocketAddress proxyToServerResolutionStarted(String resolvingServerHostAndPort) {
    Target target = exchange.target();
    try {
      InetAddress address = resolver.resolve(target.host());
      exchange.upstream(address.getHostAddress());
      session.rememberUpstream(target.authority(), address.getHostAddress());
      return new InetSocketAddress(address, target.port());
    } catch (UnknownHostException e) {
      exchange.failed(Exchange.UPSTREAM_NOT_FOUND);
      // Unresolved: LittleProxy hands it to RefusingHostResolver and answers 502. It never
      // resolves a name on its own.
      return InetSocketAddress.createUnresolved(target.host(), target.port());
    }
  }

  @Override
  public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
    String authority = exchange.target().authority();
    serverCtx.channel().closeFuture().addListener(f -> session.upstreamClosed(authority));
  }

  @Override
  public void proxyToServerConnectionFailed() {
    exchange.failed(Exchange.UPSTREAM_UNREACHABLE);
  }

  @Override
  public void serverToProxyResponseTimedOut() {
    exchange.failed(Exchange.UPSTREAM_TIMEOUT);
  }

  @Override
  public HttpObject serverToProxyResponse(HttpObject httpObject) {
    if (httpObject.decoderResult().isFailure()) {
      // A response cut short or malformed upstream must not reach the client looking complete:
      // returning null makes LittleProxy close both connections.
      exchange.failed(Exchange.UPSTREAM_BROKEN);
      return null;
    }
    return httpObject;
  }

  /** The Host header for a target: the default port is left out, IPv6 stays in brackets. */
  static String hostHeader(Target target) {
    String authority = target.authority();
    return target.port() == 80 ? authority.substring(0, authority.lastIndexOf(':')) : authority;
  }
}
