package dev.patchgate.proxy.request;

import dev.patchgate.allowlist.Scheme;
import dev.patchgate.allowlist.Target;
import dev.patchgate.proxy.config.ParentProxy;
import dev.patchgate.proxy.exchange.ClientSession;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.GatewayResponses;
import dev.patchgate.proxy.parent.ParentChain;
import dev.patchgate.proxy.upstream.HostHeader;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.function.Supplier;
import org.littleshoot.proxy.HttpFiltersAdapter;

/**
 * The request path's last steps, as LittleProxy calls them: answer with the refusal the {@link
 * AdmissionStage} decided on, or rewrite the request so that LittleProxy forwards exactly what was
 * decided, to exactly the address that was checked. Upstream failures are noted on the {@link
 * Exchange}; the record itself is written when the exchange ends.
 */
final class GatewayFilters extends HttpFiltersAdapter {
  private final ClientSession session;
  private final Exchange exchange;
  private final Supplier<String> autoConfig;
  // The request as it went towards the parents with the PC's X-Forwarded-For; null otherwise.
  private HttpRequest toParent;

  GatewayFilters(
      HttpRequest originalRequest,
      ClientSession session,
      Exchange exchange,
      Supplier<String> autoConfig) {
    super(originalRequest);
    this.autoConfig = autoConfig;
    this.session = session;
    this.exchange = exchange;
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    if (!(httpObject instanceof HttpRequest request)) {
      // Admitted requests carry no body (RequestGate), so only their empty last part comes here.
      return null;
    }
    Exchange.Refusal refusal = exchange.refusal();
    boolean head = HttpMethod.HEAD.equals(request.method());
    if (refusal == null && exchange.isAutoConfig()) {
      return GatewayResponses.autoConfig(autoConfig.get(), head);
    }
    if (refusal != null) {
      HttpResponse response =
          GatewayResponses.refusal(refusal.status(), refusal.reason(), head, refusal.close());
      if (refusal.retryAfterSeconds() > 0) {
        response.headers().set(HttpHeaderNames.RETRY_AFTER, refusal.retryAfterSeconds());
      }
      return response;
    }
    Target target = exchange.target();
    // LittleProxy asks for this request's parent chain next, on this thread (if it needs a new
    // upstream connection); a request that goes direct clears what an earlier one left.
    ParentChain.forwarding(exchange.viaParent() ? exchange : null, session);
    // A parent learns which PC the request is from (the admission stage stripped what the client
    // sent); the fallback's direct hop takes it out again (proxyToServerResolutionStarted).
    String forwardedFor = exchange.forwardedForParent();
    if (forwardedFor != null) {
      ForwardedFor.toParent(request.headers(), forwardedFor);
      toParent = request;
    }
    // LittleProxy takes the upstream host from the URI and forwards the client's Host header as
    // it is: both now say exactly what the policy allowed.
    if (target.scheme() == Scheme.HTTPS) {
      request.setUri(target.authority());
    } else {
      request.setUri("http://" + target.authority() + target.path());
      request.headers().set(HttpHeaderNames.HOST, HostHeader.of(target));
      // No request carries a body, so an upstream "100 Continue" would only be a stray response.
      request.headers().remove(HttpHeaderNames.EXPECT);
    }
    return null;
  }

  /**
   * Called only when LittleProxy opens a new upstream connection (a kept-alive one is reused
   * without it): the address pinned by the admission stage, never a new lookup.
   */
  @Override
  public InetSocketAddress proxyToServerResolutionStarted(String resolvingServerHostAndPort) {
    Target target = exchange.target();
    InetAddress pinned = exchange.pinned();
    if (exchange.viaParent()) {
      // Only the last hop of fallback = direct dials the origin for a request the parents carry:
      // the origin never learns the hospital's internal addresses.
      exchange.sentDirect();
      if (toParent != null) {
        ForwardedFor.strip(toParent.headers());
      }
    }
    if (pinned == null) {
      // Cannot happen for an admitted request; unresolved, it meets RefusingHostResolver (502).
      exchange.failed(Exchange.UPSTREAM_NOT_FOUND);
      return InetSocketAddress.createUnresolved(target.host(), target.port());
    }
    session.rememberUpstream(target.authority(), pinned);
    return new InetSocketAddress(pinned, target.port());
  }

  @Override
  public void proxyToServerConnectionSucceeded(ChannelHandlerContext serverCtx) {
    String authority = exchange.target().authority();
    serverCtx.channel().closeFuture().addListener(f -> session.upstreamClosed(authority));
  }

  @Override
  public void proxyToServerConnectionFailed() {
    if (!exchange.parentFailure()) {
      exchange.failed(Exchange.UPSTREAM_UNREACHABLE);
    }
  }

  /**
   * Each request written upstream: one that goes to a parent on a kept-alive connection names the
   * parent that connection was made to, as the first request on it did.
   */
  @Override
  public void proxyToServerRequestSending() {
    if (!exchange.viaParent() || exchange.target() == null) {
      return;
    }
    String authority = exchange.target().authority();
    String upstream = exchange.upstream();
    if (upstream != null && upstream.startsWith(ParentProxy.LABEL_PREFIX)) {
      session.rememberParent(authority, upstream);
      return;
    }
    String known = session.knownParent(authority);
    if (known != null) {
      exchange.parentConnected(known);
    }
  }

  /**
   * LittleProxy's own 502, when the parents could not carry the request, becomes the gateway's page
   * naming why, as the record does.
   */
  @Override
  public HttpObject proxyToClientResponse(HttpObject httpObject) {
    if (httpObject instanceof FullHttpResponse response
        && response.status().equals(HttpResponseStatus.BAD_GATEWAY)
        && exchange.parentFailure()) {
      boolean head = HttpMethod.HEAD.equals(originalRequest.method());
      response.release();
      return GatewayResponses.refusal(
          HttpResponseStatus.BAD_GATEWAY, exchange.reason(), head, exchange.isConnect());
    }
    return httpObject;
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
    if (httpObject instanceof HttpResponse response) {
      ParentChain.answered(exchange, response);
    }
    return httpObject;
  }
}
