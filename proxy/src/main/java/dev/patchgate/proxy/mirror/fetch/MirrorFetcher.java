package dev.patchgate.proxy.mirror.fetch;

import dev.patchgate.audit.Ticker;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderField;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The gateway's own HTTP client for mirror fills: one upstream connection per fill, independent of
 * any client connection, streaming the response into the fill's temporary file.
 *
 * <p>It dials exactly the address it is given (it has no resolver: the request path resolved and
 * checked that address), sends one {@code GET} ({@link MirrorFetchRequest}) with {@code Connection:
 * close}, and decodes the answer with Netty's HTTP codec, never aggregating a body. A storable
 * answer goes to the {@link FillWriter} on the disk pool, in order, with reading paused while more
 * than {@code queueHighMark} bytes wait for the disk; any other answer goes to the fetch's {@link
 * MirrorFetchPassThrough}. A client that goes away does not affect a fetch: the fetcher knows no
 * clients. It also fetches the rest of a download for one client ({@link #fetchRange}), storing
 * nothing.
 *
 * <p>Thread-safe; one per gateway. Channels run on the given event-loop group (NIO); the disk pool
 * runs {@link FillWriter#start} and {@link FillWriter#write}, at most one task per fill at a time.
 *
 * <p>Public for the gateway's wiring and the mirror.
 */
public final class MirrorFetcher {
  /** Longest status line accepted from an upstream. */
  static final int MAX_INITIAL_LINE = 8 * 1024;

  /** Largest response header block accepted from an upstream. */
  static final int MAX_HEADER_SIZE = 16 * 1024;

  /** Largest body piece the decoder hands over at once (a read buffer is at most 64 KiB). */
  static final int MAX_CHUNK = 64 * 1024;

  /** The default bytes a fill may queue for the disk before the fetch stops reading. */
  public static final long DEFAULT_QUEUE_HIGH_MARK = 4L << 20;

  private final EventLoopGroup group;
  private final Executor diskPool;
  private final long idleNanos;
  private final long queueHighMark;
  private final Ticker ticker;
  private final Bootstrap bootstrap;

  /**
   * @param group the upstream event-loop group (NIO); not owned: the caller shuts it down
   * @param connectTimeout how long dialling may take
   * @param idleTimeout a fetch that is reading and receives nothing for this long fails; time spent
   *     paused for the disk or a pass-through consumer does not count
   * @param diskPool runs the blocking fill writes; not owned (see {@link #newDiskPool})
   * @param queueHighMark bytes a fill may have waiting for the disk before reading pauses; it
   *     resumes at a quarter of it
   */
  public MirrorFetcher(
      EventLoopGroup group,
      Duration connectTimeout,
      Duration idleTimeout,
      Executor diskPool,
      long queueHighMark) {
    this(group, connectTimeout, idleTimeout, diskPool, queueHighMark, Ticker.SYSTEM);
  }

  /**
   * Same as {@link #MirrorFetcher(EventLoopGroup, Duration, Duration, Executor, long)}, measuring
   * the idle timeout with {@code ticker}.
   */
  public MirrorFetcher(
      EventLoopGroup group,
      Duration connectTimeout,
      Duration idleTimeout,
      Executor diskPool,
      long queueHighMark,
      Ticker ticker) {
    this.ticker = Objects.requireNonNull(ticker, "ticker");
    this.group = Objects.requireNonNull(group, "group");
    this.diskPool = Objects.requireNonNull(diskPool, "diskPool");
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
    }
    if (idleTimeout.isNegative() || idleTimeout.isZero()) {
      throw new IllegalArgumentException("idleTimeout: " + idleTimeout + " (expected: > 0)");
    }
    if (queueHighMark < MAX_CHUNK) {
      throw new IllegalArgumentException(
          "queueHighMark: " + queueHighMark + " (expected: >= " + MAX_CHUNK + ")");
    }
    this.idleNanos = idleTimeout.toNanos();
    this.queueHighMark = queueHighMark;
    this.bootstrap =
        new Bootstrap()
            .channel(NioSocketChannel.class)
            // Never look a name up: the address was resolved and checked by the request path.
            .disableResolver()
            .option(
                ChannelOption.CONNECT_TIMEOUT_MILLIS,
                (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
            .option(ChannelOption.TCP_NODELAY, true);
  }

  /**
   * A pool for the fills' disk writes: {@code threads} daemon threads named {@code
   * patchgate-mirror-fill}. Its queue holds at most one task per fill in progress.
   */
  public static ThreadPoolExecutor newDiskPool(int threads) {
    AtomicInteger count = new AtomicInteger();
    return new ThreadPoolExecutor(
        threads,
        threads,
        0,
        TimeUnit.SECONDS,
        new LinkedBlockingQueue<>(),
        r -> {
          Thread t = new Thread(r, "patchgate-mirror-fill-" + count.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Starts fetching a URL into the fill a {@code FILLER} lease handed out. Non-blocking: the
   * connection is made on an upstream event loop after this returns.
   *
   * <p>Whatever happens, the fill ends: committed ({@code complete}), revalidated ({@code
   * notModified} on a 304 to a revalidation) or aborted with the reason. The caller keeps no duty
   * towards the writer, and must not feed it.
   *
   * @param address the checked, pinned upstream address (resolved; never looked up)
   * @param host the {@code Host} field (the canonical target's authority)
   * @param pathAndQuery the target in origin form, starting with {@code /}
   * @param clientHeaders the triggering client's request fields, read before this returns
   * @param conditional the decision's validators for a revalidation, or empty
   * @param writer the lease's writer
   * @param passThrough receives the response if the fill does not take it ({@link
   *     MirrorFetchPassThrough#NOBODY} if no client waits for it)
   * @throws IllegalArgumentException if the address is unresolved or the host or target is
   *     malformed (the writer is then untouched)
   */
  public MirrorFetch fetch(
      InetSocketAddress address,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> conditional,
      FillWriter writer,
      MirrorFetchPassThrough passThrough) {
    return fetch(
        FetchRoute.direct(address),
        host,
        pathAndQuery,
        clientHeaders,
        conditional,
        writer,
        passThrough);
  }

  /**
   * As {@link #fetch(InetSocketAddress, String, String, HttpHeaders, List, FillWriter,
   * MirrorFetchPassThrough)}, along {@code route}: its hops are dialled in order until one
   * connects.
   */
  public MirrorFetch fetch(
      FetchRoute route,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> conditional,
      FillWriter writer,
      MirrorFetchPassThrough passThrough) {
    MirrorFetchRequest request =
        MirrorFetchRequest.of(route, host, pathAndQuery, clientHeaders, conditional);
    Objects.requireNonNull(writer, "writer");
    return start(request, writer, passThrough);
  }

  /**
   * Starts fetching part of a URL for one client, storing nothing: a {@code GET} with the given
   * {@code Range} and {@code If-Range}, whose answer, whatever its status, goes to {@code
   * passThrough} (which judges it). For the rest of a download whose fill the store gave up.
   * Non-blocking, as {@link #fetch}.
   *
   * <p>Its outcome's {@code fill} is {@link dev.patchgate.mirror.FillOutcome#NOT_STORABLE} once the
   * answer was passed on, else why the fetch failed; nothing is called on {@code passThrough} when
   * no answer head arrived.
   *
   * @param range the {@code Range} and {@code If-Range} fields to send
   * @throws IllegalArgumentException as {@link #fetch}
   */
  public MirrorFetch fetchRange(
      InetSocketAddress address,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> range,
      MirrorFetchPassThrough passThrough) {
    return fetchRange(
        FetchRoute.direct(address), host, pathAndQuery, clientHeaders, range, passThrough);
  }

  /**
   * As {@link #fetchRange(InetSocketAddress, String, String, HttpHeaders, List,
   * MirrorFetchPassThrough)}, along {@code route}.
   */
  public MirrorFetch fetchRange(
      FetchRoute route,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> range,
      MirrorFetchPassThrough passThrough) {
    return start(
        MirrorFetchRequest.range(route, host, pathAndQuery, clientHeaders, range),
        null,
        passThrough);
  }

  private MirrorFetch start(
      MirrorFetchRequest request, FillWriter writer, MirrorFetchPassThrough passThrough) {
    Objects.requireNonNull(passThrough, "passThrough");
    EventLoop loop = group.next();
    MirrorFetchHandler handler =
        new MirrorFetchHandler(
            request, writer, passThrough, diskPool, queueHighMark, loop, idleNanos, ticker);
    Bootstrap own =
        bootstrap
            .clone(loop)
            .handler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel ch) {
                    ch.pipeline().addLast("codec", codec()).addLast("mirror-fetch", handler);
                  }
                });
    MirrorFetch fetch = new MirrorFetch(loop, handler);
    try {
      loop.execute(() -> handler.connect(own));
    } catch (RejectedExecutionException e) {
      handler.abandon();
    }
    return fetch;
  }

  private static HttpClientCodec codec() {
    HttpDecoderConfig config =
        new HttpDecoderConfig()
            .setMaxInitialLineLength(MAX_INITIAL_LINE)
            .setMaxHeaderSize(MAX_HEADER_SIZE)
            .setMaxChunkSize(MAX_CHUNK);
    return new HttpClientCodec(
        config,
        HttpClientCodec.DEFAULT_PARSE_HTTP_AFTER_CONNECT_REQUEST,
        HttpClientCodec.DEFAULT_FAIL_ON_MISSING_RESPONSE);
  }
}
