package dev.patchgate.proxy.mirror;

import dev.patchgate.allowlist.MirrorPolicy;
import dev.patchgate.allowlist.Target;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.mirror.FillLease;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillReader;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.MirrorAction;
import dev.patchgate.mirror.MirrorDecision;
import dev.patchgate.mirror.MirrorKey;
import dev.patchgate.mirror.MirrorRules;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.mirror.MirrorStrategy;
import dev.patchgate.mirror.StoredObject;
import dev.patchgate.proxy.config.ParentProxy;
import dev.patchgate.proxy.exchange.Exchange;
import dev.patchgate.proxy.exchange.GatewayResponses;
import dev.patchgate.proxy.mirror.fetch.FetchRoute;
import dev.patchgate.proxy.mirror.fetch.MirrorFetch;
import dev.patchgate.proxy.mirror.fetch.MirrorFetchPassThrough;
import dev.patchgate.proxy.mirror.fetch.MirrorFetcher;
import dev.patchgate.proxy.parent.ParentChain;
import dev.patchgate.proxy.parent.Parents;
import dev.patchgate.proxy.upstream.HostHeader;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The mirror's part of the request path, for an allowed plain-HTTP GET or HEAD whose address is
 * pinned: decide (the pure {@link MirrorStrategy}), then serve a stored copy, follow a fill (the
 * gateway's own upstream fetch, started here if none runs for the URL), or hand the request back to
 * be forwarded as usual. Every client of a URL being filled, the first one included, reads the
 * growing file, so a client that leaves never stops the fill; when the mirror's disk fills under a
 * fill, each client that already has part of the body gets the rest from the upstream by a range
 * request of its own ({@link MirrorResume}). Runs on the client's event loop.
 *
 * <p>A gateway without a mirror has the {@link #disabled()} stage, which takes part in nothing.
 * Public for the gateway's wiring and the request path.
 */
public final class MirrorStage {
  private static final MirrorStage DISABLED = new MirrorStage();

  /** Starts a fill's upstream fetch: {@link MirrorFetcher#fetch}, or a test's stand-in. */
  @FunctionalInterface
  interface FetchStarter {
    /**
     * @throws IllegalArgumentException when the fetch cannot even be started
     */
    MirrorFetch fetch(
        FetchRoute route,
        String host,
        String pathAndQuery,
        HttpHeaders clientHeaders,
        List<HeaderField> conditional,
        FillWriter writer,
        MirrorFetchPassThrough passThrough);
  }

  /** Starts a ranged fetch for the rest of a download: {@link MirrorFetcher#fetchRange}. */
  @FunctionalInterface
  interface RangeStarter {
    /**
     * @throws IllegalArgumentException when the fetch cannot even be started
     */
    MirrorFetch fetchRange(
        FetchRoute route,
        String host,
        String pathAndQuery,
        HttpHeaders clientHeaders,
        List<HeaderField> range,
        MirrorFetchPassThrough passThrough);
  }

  private final boolean enabled;
  private final MirrorStore store;
  private final FetchStarter fetcher;
  private final RangeStarter ranges;
  private final MirrorHitWriter hits;
  private final AlertSink alerts;
  private final int maxRanges;
  private final Clock clock;
  private final Parents parents;

  /**
   * @param parents the gateway's parent proxies: a fill for a request they carry goes through them
   */
  public MirrorStage(
      MirrorStore store,
      MirrorFetcher fetcher,
      AlertSink alerts,
      int maxRanges,
      Clock clock,
      Parents parents) {
    this(store, fetcher::fetch, fetcher::fetchRange, alerts, maxRanges, clock, parents);
  }

  MirrorStage(
      MirrorStore store,
      FetchStarter fetcher,
      RangeStarter ranges,
      AlertSink alerts,
      int maxRanges,
      Clock clock) {
    this(store, fetcher, ranges, alerts, maxRanges, clock, Parents.none());
  }

  private MirrorStage(
      MirrorStore store,
      FetchStarter fetcher,
      RangeStarter ranges,
      AlertSink alerts,
      int maxRanges,
      Clock clock,
      Parents parents) {
    this.parents = parents;
    this.enabled = true;
    this.store = store;
    this.fetcher = fetcher;
    this.ranges = ranges;
    this.hits = new MirrorHitWriter(maxRanges, clock);
    this.alerts = alerts;
    this.maxRanges = maxRanges;
    this.clock = clock;
  }

  private MirrorStage() {
    this.enabled = false;
    this.store = null;
    this.fetcher = null;
    this.ranges = null;
    this.hits = null;
    this.alerts = null;
    this.maxRanges = 0;
    this.clock = null;
    this.parents = Parents.none();
  }

  /** The stage of a gateway whose mirror is off: it applies to no request. */
  public static MirrorStage disabled() {
    return DISABLED;
  }

  /** True for the requests the mirror may take part in; the others are forwarded untouched. */
  public boolean applies(Exchange exchange, HttpRequest request) {
    return enabled
        && !exchange.isConnect()
        && (exchange.pinned() != null || exchange.viaParent() || exchange.upstreamNotFound())
        && (HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method()));
  }

  /**
   * Answers the request from the mirror, or says to forward it. Only for a request it {@link
   * #applies} to.
   *
   * @return completes (on the event loop) with {@link MirrorResult#FORWARD} when the caller must
   *     forward the request as usual, {@link MirrorResult#SERVED} when it was answered (or its
   *     connection closed)
   */
  public Future<MirrorResult> handle(
      ChannelHandlerContext ctx, Exchange exchange, HttpRequest request) {
    Promise<MirrorResult> done = ctx.executor().newPromise();
    Target target = exchange.target();
    MirrorRules rules = rulesOf(exchange.allowlistDecision().mirror());
    MirrorKey key = rules.keyOf(target.url());
    Optional<StoredObject> stored = store.lookup(key);
    // An isolated network's usual way of being offline: the name does not resolve at all.
    boolean offline = exchange.pinned() == null && !exchange.viaParent();
    MirrorDecision decision =
        MirrorStrategy.decide(
            request.method().name(),
            request.headers()::getAll,
            stored.map(StoredObject::meta),
            rules,
            clock.instant(),
            offline);
    if (offline && decision.action() != MirrorAction.SERVE_STALE) {
      done.setSuccess(MirrorResult.FORWARD); // nothing stored to stand in: the 502 stands
      return done;
    }
    if (offline) {
      exchange.servedOffline();
    }
    switch (decision.action()) {
      case SERVE, SERVE_STALE -> {
        CacheOutcome outcome =
            decision.action() == MirrorAction.SERVE ? CacheOutcome.HIT : CacheOutcome.STALE;
        if (!serveStored(ctx, exchange, request, stored.get(), outcome, done)) {
          fill(ctx, exchange, request, key, decision, stored, done);
        }
      }
      case FILL, REVALIDATE -> fill(ctx, exchange, request, key, decision, stored, done);
      default -> done.setSuccess(MirrorResult.FORWARD);
    }
    return done;
  }

  /** The allowing entry's mirror settings, in the mirror module's terms. */
  private static MirrorRules rulesOf(MirrorPolicy policy) {
    return new MirrorRules(policy.enabled(), policy.dropQuery(), policy.maxAge());
  }

  private boolean serveStored(
      ChannelHandlerContext ctx,
      Exchange exchange,
      HttpRequest request,
      StoredObject object,
      CacheOutcome outcome,
      Promise<MirrorResult> done) {
    // Noted first: a small object's last write can complete, and its record be written, inside
    // serve().
    exchange.cached(outcome);
    Optional<ChannelFuture> written =
        hits.serve(ctx, object, request, !exchange.closeAfterResponse());
    if (written.isEmpty()) {
      exchange.cached(CacheOutcome.MISS);
      return false; // evicted or purged since the lookup: a miss after all
    }
    written.get().addListener(f -> done.trySuccess(MirrorResult.SERVED));
    return true;
  }

  private void fill(
      ChannelHandlerContext ctx,
      Exchange exchange,
      HttpRequest request,
      MirrorKey key,
      MirrorDecision decision,
      Optional<StoredObject> stored,
      Promise<MirrorResult> done) {
    // A range of an object not stored yet starts a fill of the whole object, which goes on when
    // the client has its bytes or leaves; the store bounds how many such fills one client leaves.
    boolean partial =
        stored.isEmpty()
            && HttpMethod.GET.equals(request.method())
            && request.headers().contains(HttpHeaderNames.RANGE);
    FillLease lease = store.fill(key, exchange.client(), partial);
    if (lease.kind() == FillLease.Kind.NOT_NOW) {
      if (lease.reason() == FillOutcome.UNREAD_LIMIT || lease.reason() == FillOutcome.BUSY) {
        // forwarded as it is: a plain range, or a miss while too many fills are under way
        exchange.cached(CacheOutcome.BYPASS);
      } else if (lease.reason() == FillOutcome.DISK_FULL) {
        mirrorDiskFull(exchange.target().url());
      }
      done.setSuccess(MirrorResult.FORWARD); // disk nearly full, the store closing, too many fills
      return;
    }
    FillReader reader;
    MirrorHandOver handOver = null;
    if (lease.kind() == FillLease.Kind.FILLER) {
      // This client follows the fill like any other; joined before the fetch starts, because a
      // fetch that fails at once (connection refused) settles the fill before a second lookup.
      reader = lease.writer().follow();
      if (request.protocolVersion().compareTo(HttpVersion.HTTP_1_1) >= 0) {
        // An answer the mirror does not keep still reaches this client from the same fetch.
        handOver = handOver(ctx, exchange, request, stored, done);
      }
      startFetch(exchange, request, decision, lease, handOver);
    } else {
      reader = lease.reader();
    }
    MirrorHandOver passThrough = handOver;
    exchange.cached(CacheOutcome.MISS);
    // The record is written when the last byte has left, which the follower sends only once the
    // body is complete, and by then the verdict is known: the record says the mirror kept none.
    exchange.integrityCheck(() -> reader.verdict() == FillOutcome.INTEGRITY_MISMATCH);
    MirrorFollower follower =
        MirrorFollower.follow(
            ctx, reader, request, !exchange.closeAfterResponse(), maxRanges, clock);
    follower
        .ending()
        .addListener(
            (Future<MirrorFollower.Ending> f) -> {
              MirrorFollower.Ending ending = f.getNow();
              switch (ending == null ? MirrorFollower.Ending.CLIENT_GONE : ending) {
                case COMPLETE, CLIENT_GONE -> done.trySuccess(MirrorResult.SERVED);
                case CUT -> {
                  exchange.failed(cutBecause(reader.verdict()));
                  done.trySuccess(MirrorResult.SERVED);
                }
                case GIVEN_UP -> sendRest(ctx, exchange, request, follower.owed(), done);
                case FORWARD -> {
                  exchange.cached(CacheOutcome.BYPASS);
                  done.trySuccess(MirrorResult.FORWARD);
                }
                case FALLBACK -> {
                  if (passThrough == null) {
                    fallBack(ctx, exchange, request, key, stored, reader, done);
                  } else {
                    passThrough.afterFallback(
                        () -> fallBack(ctx, exchange, request, key, stored, reader, done));
                  }
                }
              }
            });
  }

  /** The fill ended before a byte reached this client: serve what the store has, or forward. */
  private void fallBack(
      ChannelHandlerContext ctx,
      Exchange exchange,
      HttpRequest request,
      MirrorKey key,
      Optional<StoredObject> before,
      FillReader reader,
      Promise<MirrorResult> done) {
    // Not reader.outcome(): that completes after the followers were told, so it may not be set yet.
    FillOutcome outcome = reader.verdict();
    if (outcome == FillOutcome.SWITCHED_PROTOCOLS) {
      endSwitched(ctx, exchange, request, done);
      return;
    }
    if (outcome == FillOutcome.NOT_MODIFIED) {
      Optional<StoredObject> revalidated = store.lookup(key);
      if (revalidated.isPresent()
          && serveStored(ctx, exchange, request, revalidated.get(), CacheOutcome.HIT, done)) {
        return;
      }
    }
    // The upstream could not be reached or broke before answering: the stored copy, even stale,
    // is better than no update at all.
    if (outcome == FillOutcome.UPSTREAM_ERROR
        && before.isPresent()
        && serveStored(ctx, exchange, request, before.get(), CacheOutcome.STALE, done)) {
      return;
    }
    exchange.cached(CacheOutcome.BYPASS);
    done.trySuccess(MirrorResult.FORWARD);
  }

  /**
   * The upstream answered the fill with a 1xx other than 100: final. Forwarding the request would
   * ask the same upstream again and could turn the connection into a raw relay; the client gets a
   * 502 and the connection is closed, so nothing pipelined behind it is read.
   */
  private static void endSwitched(
      ChannelHandlerContext ctx,
      Exchange exchange,
      HttpRequest request,
      Promise<MirrorResult> done) {
    exchange.failed(Exchange.UPSTREAM_SWITCHED_PROTOCOLS);
    ctx.writeAndFlush(
            GatewayResponses.refusal(
                HttpResponseStatus.BAD_GATEWAY,
                Exchange.UPSTREAM_SWITCHED_PROTOCOLS,
                HttpMethod.HEAD.equals(request.method()),
                true))
        .addListener(
            f -> {
              // Closed first: the caller then reads nothing more from this connection.
              ctx.channel().close();
              done.trySuccess(MirrorResult.SERVED);
            });
  }

  private MirrorHandOver handOver(
      ChannelHandlerContext ctx,
      Exchange exchange,
      HttpRequest request,
      Optional<StoredObject> stored,
      Promise<MirrorResult> done) {
    return new MirrorHandOver(
        ctx,
        !exchange.closeAfterResponse(),
        stored.isPresent(),
        new MirrorHandOver.Client() {
          @Override
          public void passing(HttpResponse head) {
            exchange.cached(CacheOutcome.BYPASS);
            ParentChain.answered(exchange, head);
          }

          @Override
          public void answered() {
            done.trySuccess(MirrorResult.SERVED);
          }

          @Override
          public void broken() {
            exchange.failed(Exchange.UPSTREAM_BROKEN);
            done.trySuccess(MirrorResult.SERVED);
          }

          @Override
          public void serveStale() {
            if (!serveStored(ctx, exchange, request, stored.get(), CacheOutcome.STALE, done)) {
              exchange.cached(CacheOutcome.BYPASS);
              done.trySuccess(MirrorResult.FORWARD);
            }
          }
        });
  }

  /**
   * Starts the fetch that fills the mirror; {@code handOver}, if not null, gets the answer when the
   * mirror does not keep it.
   */
  private void startFetch(
      Exchange exchange,
      HttpRequest request,
      MirrorDecision decision,
      FillLease lease,
      MirrorHandOver handOver) {
    Target target = exchange.target();
    String path = target.path();
    MirrorFetch fetch;
    try {
      fetch =
          fetcher.fetch(
              route(exchange),
              HostHeader.of(target),
              path,
              request.headers(),
              decision.conditionalHeaders(),
              lease.writer(),
              handOver == null ? MirrorFetchPassThrough.NOBODY : handOver);
    } catch (IllegalArgumentException e) {
      lease.writer().abort(FillOutcome.UPSTREAM_ERROR);
      if (handOver != null) {
        handOver.notStarted();
      }
      return;
    }
    if (handOver != null) {
      handOver.attach(fetch);
    }
    String client = exchange.client();
    fetch
        .outcome()
        .thenAccept(
            result -> {
              if (result.fill() == FillOutcome.INTEGRITY_MISMATCH) {
                alerts.raise(AlertKind.MIRROR_INTEGRITY, client, target.host(), target.url());
              } else if (result.fill() == FillOutcome.DISK_FULL) {
                mirrorDiskFull(target.url());
              }
            });
  }

  /**
   * Where a fetch for {@code exchange} connects: its pinned address; or, when the parent proxies
   * carry the request, the parents to try now in order (and the pinned address after them with
   * {@code fallback = direct}), each reporting its connection to the parents and the record.
   *
   * @throws IllegalArgumentException when there is nowhere to connect (no checked address; every
   *     parent skipped): the fetch is not started, and the request path answers for it
   */
  private FetchRoute route(Exchange exchange) {
    int port = exchange.target().port();
    InetAddress pinned = exchange.pinned();
    if (!exchange.viaParent()) {
      if (pinned == null) {
        throw new IllegalArgumentException("no checked address to fetch from");
      }
      return FetchRoute.direct(new InetSocketAddress(pinned, port));
    }
    List<FetchRoute.Hop> hops = new ArrayList<>();
    for (ParentProxy parent : parents.candidates()) {
      hops.add(new ParentHop(parent, exchange));
    }
    if (parents.fallbackDirect() && pinned != null) {
      hops.add(FetchRoute.origin(new InetSocketAddress(pinned, port), exchange::sentDirect));
    }
    if (hops.isEmpty()) {
      throw new IllegalArgumentException("every parent proxy is skipped");
    }
    return new FetchRoute(hops);
  }

  /** A parent proxy for one fill, reporting how its connection went. */
  private final class ParentHop implements FetchRoute.Hop {
    private final ParentProxy parent;
    private final Exchange exchange;

    ParentHop(ParentProxy parent, Exchange exchange) {
      this.parent = parent;
      this.exchange = exchange;
    }

    @Override
    public InetSocketAddress address() {
      return parent.address();
    }

    @Override
    public boolean parent() {
      return true;
    }

    @Override
    public Optional<String> authorization() {
      return parent.authorization();
    }

    @Override
    public Optional<String> forwardedFor() {
      return Optional.ofNullable(exchange.forwardedForParent());
    }

    @Override
    public void connected() {
      parents.connected(parent);
      exchange.parentConnected(parent.label());
    }

    @Override
    public void failed(Throwable cause) {
      parents.connectFailed(parent);
    }

    @Override
    public String toString() {
      return parent.toString();
    }
  }

  /**
   * The store gave the fill up for a full disk after part of the body reached this client: the rest
   * comes from the upstream, by a range request of this client's own ({@link MirrorResume}).
   */
  private void sendRest(
      ChannelHandlerContext ctx,
      Exchange exchange,
      HttpRequest request,
      MirrorFollower.Owed owed,
      Promise<MirrorResult> done) {
    Target target = exchange.target();
    MirrorResume.send(
            ctx,
            target.url(),
            owed,
            (range, passThrough) -> {
              return ranges.fetchRange(
                  route(exchange),
                  HostHeader.of(target),
                  target.path(),
                  request.headers(),
                  range,
                  passThrough);
            },
            how -> noteRest(exchange, how))
        .addListener(f -> done.trySuccess(MirrorResult.SERVED));
  }

  /** What the record says of a download whose rest was fetched (or not) after the disk filled. */
  private static void noteRest(Exchange exchange, MirrorResume.Result how) {
    switch (how) {
      case COMPLETE -> exchange.delivered(Exchange.MIRROR_DISK_FULL_PASSED);
      case NOT_RESUMABLE -> exchange.failed(Exchange.MIRROR_DISK_FULL_NOT_RESUMABLE);
      case REFUSED -> exchange.failed(Exchange.MIRROR_DISK_FULL_RANGE_REFUSED);
      case BROKEN -> exchange.failed(Exchange.MIRROR_DISK_FULL_REST_FAILED);
      case CLIENT_GONE -> {
        // The client left: the byte count says how far it got.
      }
    }
  }

  /**
   * The record's reason for a download cut because its fill was given up (a full disk is not among
   * them: the follower then gives the rest over, {@link #sendRest}).
   */
  private static String cutBecause(FillOutcome verdict) {
    return verdict == FillOutcome.STALLED ? Exchange.UPSTREAM_TIMEOUT : Exchange.UPSTREAM_BROKEN;
  }

  /**
   * The mirror's file system is below {@code patchgate.mirror.min-free}: the download goes on
   * without being kept. One alert for the gateway, not per client or host, since the disk is
   * shared; the dispatcher's window keeps it to one (and a count) however many downloads it
   * concerns.
   */
  private void mirrorDiskFull(String url) {
    alerts.raise(
        AlertKind.MIRROR_DISK,
        null,
        null,
        "mirror disk nearly full (below patchgate.mirror.min-free): downloads pass through"
            + " unstored, e.g. "
            + url);
  }
}
