package dev.patchgate.proxy.request;

import dev.patchgate.proxy.exchange.GatewayResponses;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.littleshoot.proxy.HttpFiltersAdapter;

/** The request path of last resort: refuses the request outright. */
final class RefuseAll extends HttpFiltersAdapter {
  RefuseAll(HttpRequest originalRequest) {
    super(originalRequest);
  }

  @Override
  public HttpResponse clientToProxyRequest(HttpObject httpObject) {
    return GatewayResponses.refusal(
        HttpResponseStatus.SERVICE_UNAVAILABLE,
        "gateway cannot audit this connection",
        false,
        true);
  }
}
