package dev.patchgate.proxy.admin;

import dev.patchgate.proxy.config.AdminSettings;
import dev.patchgate.proxy.exchange.ExchangeLog;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admin listener ({@code patchgate.admin.listen}): {@code /metrics}, {@code /healthz} and
 * {@code /readyz} for the addresses in {@code patchgate.admin.clients}, 403 for everyone else, and
 * an audit record of every request either way.
 *
 * <p>It runs on an event loop of its own, so that a flood on the proxy listener cannot keep the
 * monitoring from seeing it. Requests are small and bounded: a request line of 4 KiB, headers of 8
 * KiB, no body; at most {@value #MAX_CONNECTIONS} connections at once, each closed after {@link
 * #IDLE} without traffic.
 *
 * <p>Public for the gateway's wiring.
 */
public final class AdminListener implements AutoCloseable {
  static final int MAX_CONNECTIONS = 64;
  static final Duration IDLE = Duration.ofSeconds(30);
  private static final int MAX_REQUEST_LINE = 4096;
  private static final int MAX_HEADERS = 8192;
  private static final int MAX_BODY = 0;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

  private final EventLoopGroup group;
  private final Channel server;

  private AdminListener(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
  }

  /**
   * Binds {@code bindTo} and starts answering.
   *
   * @throws AdminBindException when the address cannot be bound; the message says why
   */
  public static AdminListener start(
      InetSocketAddress bindTo,
      AdminSettings settings,
      PrometheusMeters meters,
      Readiness readiness,
      ExchangeLog log) {
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, new DefaultThreadFactory("patchgate-admin", true), NioIoHandler.newFactory());
    AtomicInteger open = new AtomicInteger();
    AdminEndpoints endpoints = new AdminEndpoints(meters, readiness);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (open.incrementAndGet() > MAX_CONNECTIONS) {
                      open.decrementAndGet();
                      channel.close();
                      return;
                    }
                    channel.closeFuture().addListener(closed -> open.decrementAndGet());
                    AdminExchanges exchanges = new AdminExchanges(channel, settings, log);
                    channel
                        .pipeline()
                        .addLast(AdminExchanges.NAME, exchanges)
                        .addLast(new IdleStateHandler(0, 0, IDLE.toMillis(), TimeUnit.MILLISECONDS))
                        .addLast(new HttpServerCodec(MAX_REQUEST_LINE, MAX_HEADERS, 8192))
                        .addLast(new HttpObjectAggregator(MAX_BODY))
                        .addLast(new AdminHandler(exchanges, log, endpoints));
                  }
                })
            .bind(bindTo)
            .awaitUninterruptibly();
    if (!bound.isSuccess()) {
      group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
      throw new AdminBindException(bound.cause());
    }
    return new AdminListener(group, bound.channel());
  }

  /** Where the admin listener is bound (the real port when 0 was configured). */
  public InetSocketAddress address() {
    return (InetSocketAddress) server.localAddress();
  }

  /** Stops listening, closes every admin connection and waits (briefly) for the event loop. */
  @Override
  public void close() {
    server.close().awaitUninterruptibly();
    group
        .shutdownGracefully(0, STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
        .awaitUninterruptibly(STOP_TIMEOUT.toMillis());
  }

  /** The admin address could not be bound; the cause says why (in use, not an own address). */
  public static final class AdminBindException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    AdminBindException(Throwable cause) {
      super(String.valueOf(cause.getMessage()), cause);
    }
  }
}
