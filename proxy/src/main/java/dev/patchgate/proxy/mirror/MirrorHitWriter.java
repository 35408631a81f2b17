package dev.patchgate.proxy.mirror;

import dev.patchgate.mirror.MultipartByteranges;
import dev.patchgate.mirror.StoredObject;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a GET or HEAD from a stored object on the client's channel, zero-copy: the head ({@link
 * MirrorReplies#stored}), then the bytes as file regions ({@code sendfile}, written by the
 * transport as the socket drains, so a multi-GB object costs no heap), then {@link
 * LastHttpContent#EMPTY_LAST_CONTENT}.
 *
 * <p>Runs on the client channel's event loop. A small object held in memory ({@link
 * StoredObject#content()}) goes out in one write with its head, a single range of it as well.
 * Otherwise one {@code open(2)} per response with a body, shared by all its regions and closed when
 * the last one is released (sent, or dropped because the client left).
 */
final class MirrorHitWriter {
  private static final Logger LOG = LoggerFactory.getLogger(MirrorHitWriter.class);

  /**
   * The most bytes put in one file region. Small enough that progress is seen (and counted) every
   * few MiB, large enough that the extra completions cost nothing next to the {@code sendfile}.
   */
  static final long MAX_REGION_BYTES = 4L << 20;

  private final int maxRanges;
  private final Clock clock;

  /**
   * @param maxRanges the most range specs honoured in one request ({@code mirror.max-ranges})
   * @param clock for {@code Date} and {@code Age}
   */
  MirrorHitWriter(int maxRanges, Clock clock) {
    this.maxRanges = maxRanges;
    this.clock = clock;
  }

  /**
   * Writes the whole answer to {@code request} from {@code object} and counts one hit ({@link
   * StoredObject#touch()}).
   *
   * <p>Returns a future that succeeds once the whole answer, its {@link LastHttpContent} included,
   * went to the socket (the body is written region by region after this returns); if it fails the
   * connection is being closed (a body cut short never looks complete). Listeners run on the event
   * loop. Returns empty, having written nothing and counted nothing, when the object's data file
   * cannot be opened (it was evicted or purged since the lookup: {@link NoSuchFileException}, or an
   * I/O error): treat it as a miss.
   *
   * @param ctx the context to write through: the handler's place in the client's pipeline, before
   *     the HTTP encoder
   * @param request the client's request (GET or HEAD); not released here
   * @param keepAlive false to send {@code Connection: close}; closing is the caller's
   * @throws IllegalStateException if called off the channel's event loop
   */
  Optional<ChannelFuture> serve(
      ChannelHandlerContext ctx, StoredObject object, HttpRequest request, boolean keepAlive) {
    if (!ctx.executor().inEventLoop()) {
      throw new IllegalStateException("serve() must run on the channel's event loop");
    }
    MirrorReply reply =
        MirrorReplies.stored(
            request.method().name(),
            request.headers()::getAll,
            object.meta(),
            clock.instant(),
            maxRanges,
            MultipartByteranges::newBoundary);
    if (reply.body() instanceof MirrorReply.Span span) {
      Optional<ByteBuffer> content = object.content();
      if (content.isPresent()) {
        object.touch();
        ctx.write(reply.head(keepAlive)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        ByteBuffer bytes = content.get().slice((int) span.offset(), (int) span.length());
        ChannelFuture last =
            ctx.writeAndFlush(new DefaultLastHttpContent(Unpooled.wrappedBuffer(bytes)));
        last.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        return Optional.of(last);
      }
    }
    FileChannel file = null;
    if (!(reply.body() instanceof MirrorReply.NoBody)) {
      try {
        file = object.open();
      } catch (NoSuchFileException e) {
        return Optional.empty();
      } catch (IOException e) {
        LOG.warn("cannot open the stored copy of {}: {}", object.url(), e.toString());
        return Optional.empty();
      }
    }
    object.touch();
    ctx.write(reply.head(keepAlive)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    if (reply.body() instanceof MirrorReply.Span span) {
      return Optional.of(
          new Body(ctx, file, List.of(new Segment(null, span.offset(), span.length())), null)
              .start());
    }
    if (reply.body() instanceof MirrorReply.Parts parts) {
      List<Segment> segments = new ArrayList<>();
      for (MultipartByteranges.Part part : parts.plan().parts()) {
        segments.add(new Segment(part.header(), part.offset(), part.length()));
      }
      return Optional.of(new Body(ctx, file, segments, parts.plan().closing()).start());
    }
    ChannelFuture last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    last.addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    return Optional.of(last);
  }

  /**
   * File bytes {@code [offset, offset + length)}, after {@code prefix} (a part's header) if any.
   */
  private record Segment(byte[] prefix, long offset, long length) {}

  /**
   * Writes a body one region at a time, each at most {@link #MAX_REGION_BYTES}, the next when the
   * socket has taken the previous: the memory held per response stays constant however large the
   * object, and each completed region is credited to the connection's byte count as it goes, so a
   * download cut short is audited with (nearly) the bytes it got. All regions share one open file,
   * closed when the last is released.
   */
  private static final class Body {
    private final ChannelHandlerContext ctx;
    private final SharedFileRegion.SharedFile file;
    private final List<Segment> segments;
    private final byte[] closing;
    private final ChannelPromise done;
    private int index;
    private long position;
    private boolean prefixWritten;
    private boolean released;

    Body(ChannelHandlerContext ctx, FileChannel channel, List<Segment> segments, byte[] closing) {
      this.ctx = ctx;
      this.file = new SharedFileRegion.SharedFile(channel);
      this.segments = segments;
      this.closing = closing;
      this.done = ctx.newPromise();
      this.position = segments.get(0).offset();
    }

    ChannelPromise start() {
      next();
      return done;
    }

    private void next() {
      while (index < segments.size()) {
        Segment s = segments.get(index);
        if (!prefixWritten && s.prefix() != null) {
          ctx.write(Unpooled.wrappedBuffer(s.prefix()))
              .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }
        prefixWritten = true;
        long remaining = s.offset() + s.length() - position;
        if (remaining > 0) {
          long count = Math.min(remaining, MAX_REGION_BYTES);
          ChannelFuture sent = ctx.writeAndFlush(new SharedFileRegion(file, position, count));
          position += count;
          sent.addListener(
              (ChannelFuture f) -> {
                if (f.isSuccess()) {
                  next();
                } else {
                  fail(f.cause());
                }
              });
          return;
        }
        index++;
        prefixWritten = false;
        if (index < segments.size()) {
          position = segments.get(index).offset();
        }
      }
      release();
      if (closing != null) {
        ctx.write(Unpooled.wrappedBuffer(closing))
            .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT)
          .addListener(
              (ChannelFuture f) -> {
                if (f.isSuccess()) {
                  done.trySuccess();
                } else {
                  fail(f.cause());
                }
              });
    }

    private void fail(Throwable cause) {
      release();
      ctx.channel().close();
      done.tryFailure(cause);
    }

    // The regions hold the file open while they are queued; this is the writer's own reference.
    private void release() {
      if (!released) {
        released = true;
        file.release();
      }
    }
  }
}
