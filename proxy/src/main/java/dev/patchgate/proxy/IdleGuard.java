package dev.patchgate.proxy;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Sits behind LittleProxy's idle timer, which only sees what passes LittleProxy's own handler: a
 * mirror response written by the {@link AdmissionStage} never does, so the timer would close a
 * multi-GB download from the mirror after {@code timeouts.idle}. An idle event is dropped when
 * bytes went to the client since the previous one; a client that stopped reading altogether still
 * has its connection closed, since TCP itself never times out a zero window.
 */
final class IdleGuard extends ChannelDuplexHandler {
  static final String NAME = "patchgate-idle-guard";
  // LittleProxy's name for its IdleStateHandler in the client pipeline.
  static final String LITTLEPROXY_IDLE = "idle";

  private final ClientSession session;
  private long writtenAtLastEvent = -1;

  IdleGuard(ClientSession session) {
    this.session = session;
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
    if (evt instanceof IdleStateEvent) {
      long written = session.bytesWritten();
      if (written != writtenAtLastEvent) {
        writtenAtLastEvent = written;
        return;
      }
    }
    super.userEventTriggered(ctx, evt);
  }
}
