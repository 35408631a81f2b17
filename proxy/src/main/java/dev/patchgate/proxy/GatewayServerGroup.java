package dev.patchgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.DefaultChannelPromise;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import org.littleshoot.proxy.TransportProtocol;
import org.littleshoot.proxy.impl.ServerGroup;

/**
 * LittleProxy's thread pools, with one addition: every accepted client channel is handed to a hook
 * before it is registered, so that patchgate's own handlers sit at the head of the pipeline from
 * the first byte. LittleProxy offers no channel-initializer hook, and its own per-connection
 * context is created before the channel is known (its client address is null), so this is the one
 * place where a connection can be observed completely. The hook may also refuse the channel (a
 * connection limit): it is then closed unregistered, before LittleProxy builds anything for it or
 * reads a byte. The listening socket is seen the same way, for the readiness check, and gets {@link
 * AcceptFailures}.
 */
final class GatewayServerGroup extends ServerGroup {
  private final EventLoopGroup acceptors;
  private final EventLoopGroup clientWorkers;
  private final EventLoopGroup upstreamWorkers;
  private final AtomicBoolean stopped = new AtomicBoolean();
  // The listening socket, seen when it registers with the acceptor pool.
  private volatile Channel listener;

  /**
   * @param onAccept sees each accepted client channel before it is registered; false refuses it
   */
  GatewayServerGroup(int clientThreads, int upstreamThreads, Predicate<Channel> onAccept) {
    // autoStop: the group stops with the (only) proxy server that uses it.
    super("patchgate", 1, clientThreads, upstreamThreads, true);
    AcceptFailures acceptFailures = new AcceptFailures();
    this.acceptors =
        new HookedGroup(
            1,
            "patchgate-accept",
            channel -> {
              listener = channel;
              channel.pipeline().addLast(AcceptFailures.NAME, acceptFailures);
              return true;
            });
    this.clientWorkers =
        new HookedGroup(
            clientThreads,
            "patchgate-client",
            channel -> {
              acceptFailures.accepted();
              return onAccept.test(channel);
            });
    this.upstreamWorkers =
        new MultiThreadIoEventLoopGroup(
            upstreamThreads,
            new DefaultThreadFactory("patchgate-upstream", true),
            NioIoHandler.newFactory());
  }

  @Override
  public EventLoopGroup getClientToProxyAcceptorPoolForTransport(TransportProtocol protocol) {
    return acceptors;
  }

  @Override
  public EventLoopGroup getClientToProxyWorkerPoolForTransport(TransportProtocol protocol) {
    return clientWorkers;
  }

  @Override
  public EventLoopGroup getProxyToServerWorkerPoolForTransport(TransportProtocol protocol) {
    return upstreamWorkers;
  }

  /** The pool upstream connections run on; the mirror's own fetches run there too. */
  EventLoopGroup upstreamWorkers() {
    return upstreamWorkers;
  }

  /** True while the proxy's listening socket is open and bound. */
  boolean listening() {
    Channel channel = listener;
    return channel != null && channel.isActive();
  }

  @Override
  public void shutdown(boolean graceful) {
    super.shutdown(graceful);
    if (!stopped.compareAndSet(false, true)) {
      return;
    }
    for (EventLoopGroup group : List.of(acceptors, clientWorkers, upstreamWorkers)) {
      if (graceful) {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
      } else {
        group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
      }
    }
  }

  /** Waits (at most {@code timeout} in all) until every pool has terminated. */
  void awaitTermination(Duration timeout) {
    // Real time, not an injected ticker: this bounds a real wait for threads to stop.
    long deadline = System.nanoTime() + timeout.toNanos();
    for (EventLoopGroup group : List.of(acceptors, clientWorkers, upstreamWorkers)) {
      long left = Math.max(0, deadline - System.nanoTime());
      group.terminationFuture().awaitUninterruptibly(left, TimeUnit.NANOSECONDS);
    }
  }

  /**
   * A pool that shows each new channel to the hook before registering it; a channel the hook
   * refuses is closed instead.
   */
  private static final class HookedGroup extends MultiThreadIoEventLoopGroup {
    private final Predicate<Channel> onRegister;

    HookedGroup(int threads, String name, Predicate<Channel> onRegister) {
      super(threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
      this.onRegister = onRegister;
    }

    @Override
    public ChannelFuture register(Channel channel) {
      if (onRegister.test(channel)) {
        return super.register(channel);
      }
      channel.unsafe().closeForcibly();
      // Done, not failed: Netty's acceptor logs a failed registration with a stack trace, and
      // there is nothing left to close. The channel has no event loop, so its listeners run here.
      return new DefaultChannelPromise(channel, ImmediateEventExecutor.INSTANCE).setSuccess();
    }
  }
}
