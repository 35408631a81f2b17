package dev.patchgate.proxy;

import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sits on the listening socket and turns failures to accept ({@code Too many open files} above all)
 * into one log line per streak, and one when accepting works again, instead of Netty's stack trace
 * per attempt. Accepting pauses for a second after each failure, as Netty's own acceptor would: the
 * connection that could not be taken is still waiting, and retrying at once would spin.
 *
 * <p>The connection limits keep the gateway below the process's file limit, so this is the last
 * resort: descriptors taken by something else, or a limit set higher than the file limit allows.
 *
 * <p>Acceptor thread only.
 */
final class AcceptFailures extends ChannelInboundHandlerAdapter {
  static final String NAME = "patchgate-accept-failures";
  private static final Logger LOG = LoggerFactory.getLogger(AcceptFailures.class);
  private static final long PAUSE_SECONDS = 1;

  // Failed attempts since the last connection was accepted.
  private long failures;

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    if (!(cause instanceof IOException)) {
      ctx.fireExceptionCaught(cause);
      return;
    }
    if (failures++ == 0) {
      LOG.error(
          "cannot accept client connections: {} ({}); retrying every second, and saying so once"
              + " it works again",
          cause.getMessage(),
          advice());
    }
    ChannelConfig config = ctx.channel().config();
    if (config.isAutoRead()) {
      config.setAutoRead(false);
      ctx.channel()
          .eventLoop()
          .schedule(() -> config.setAutoRead(true), PAUSE_SECONDS, TimeUnit.SECONDS);
    }
  }

  /** A connection was accepted: a streak of failures, if any, has ended. */
  void accepted() {
    if (failures > 0) {
      LOG.warn("accepting client connections again after {} failed attempts", failures);
      failures = 0;
    }
  }

  /** What to do about it. Opens nothing: counting the open files would need a descriptor too. */
  private static String advice() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return "the process may open "
          + unix.getMaxFileDescriptorCount()
          + " files; set patchgate.limits.connections lower (0 derives it from that limit), or"
          + " raise the file limit (LimitNOFILE)";
    }
    return "set patchgate.limits.connections lower";
  }
}
