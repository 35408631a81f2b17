package dev.patchgate.proxy.mirror;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * A Netty HTTP server on loopback whose client pipeline is laid out like the gateway's: the
 * response encoder and the request decoder, then one handler that answers each request head (as
 * {@code AdmissionStage} will with the mirror writers). Request bodies are dropped.
 */
final class MirrorServeHarness implements AutoCloseable {
  /** Answers one request head on the client's event loop. */
  @FunctionalInterface
  interface Answer {
    void answer(ChannelHandlerContext ctx, HttpRequest request) throws Exception;
  }

  private final EventLoopGroup group;
  private final Channel server;

  private MirrorServeHarness(EventLoopGroup group, Channel server) {
    this.group = group;
    this.server = server;
  }

  static MirrorServeHarness start(Answer answer) throws InterruptedException {
    EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    Channel server =
        new ServerBootstrap()
            .group(group)
            .channel(NioServerSocketChannel.class)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline()
                        .addLast("encoder", new HttpResponseEncoder())
                        .addLast("decoder", new HttpRequestDecoder())
                        .addLast("answer", new Dispatch(answer));
                  }
                })
            .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
            .sync()
            .channel();
    return new MirrorServeHarness(group, server);
  }

  int port() {
    return ((InetSocketAddress) server.localAddress()).getPort();
  }

  @Override
  public void close() {
    server.close().syncUninterruptibly();
    group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
  }

  private static final class Dispatch extends ChannelInboundHandlerAdapter {
    private final Answer answer;

    Dispatch(Answer answer) {
      this.answer = answer;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
      try {
        if (msg instanceof HttpRequest request) {
          answer.answer(ctx, request);
        }
      } finally {
        ReferenceCountUtil.release(msg);
      }
    }
  }
}
