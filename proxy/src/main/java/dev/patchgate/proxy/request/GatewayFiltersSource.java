package dev.patchgate.proxy.request;

import dev.patchgate.proxy.exchange.ClientSession;
import dev.patchgate.proxy.exchange.Exchange;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.util.function.Function;
import org.littleshoot.proxy.HttpFilters;
import org.littleshoot.proxy.HttpFiltersSourceAdapter;

/**
 * Creates the request path for each request LittleProxy accepts.
 *
 * <p>Public for the gateway's wiring, which hands it to LittleProxy.
 */
public final class GatewayFiltersSource extends HttpFiltersSourceAdapter {
  private final Function<InetSocketAddress, String> autoConfig;

  /**
   * @param autoConfig the PAC file's text, given the address the client reached the gateway on
   */
  public GatewayFiltersSource(Function<InetSocketAddress, String> autoConfig) {
    this.autoConfig = autoConfig;
  }

  @Override
  public HttpFilters filterRequest(HttpRequest originalRequest, ChannelHandlerContext ctx) {
    ClientSession session = ctx.channel().attr(ClientSession.KEY).get();
    Exchange exchange = session == null ? null : session.current();
    if (exchange == null) {
      // Cannot happen while WireTap and ExchangeTap are installed; if it did, nothing could be
      // audited, so nothing is let through.
      ctx.channel().close();
      return new RefuseAll(originalRequest);
    }
    Channel channel = ctx.channel();
    return new GatewayFilters(
        originalRequest,
        session,
        exchange,
        () -> autoConfig.apply((InetSocketAddress) channel.localAddress()));
  }

  // Whole bodies are never aggregated: update files are several GB.
  @Override
  public int getMaximumRequestBufferSizeInBytes() {
    return 0;
  }

  @Override
  public int getMaximumResponseBufferSizeInBytes() {
    return 0;
  }
}
