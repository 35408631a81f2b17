package dev.patchgate.proxy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AuditSink;
import dev.patchgate.audit.Ticker;
import dev.patchgate.audit.alert.AlertKind;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.audit.anomaly.AnomalyWatch;
import dev.patchgate.audit.forward.AuditForwarder;
import dev.patchgate.mirror.MirrorSettings;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.proxy.admin.AdminListener;
import dev.patchgate.proxy.admin.PrometheusMeters;
import dev.patchgate.proxy.admin.Readiness;
import dev.patchgate.proxy.config.GatewaySettings;
import dev.patchgate.proxy.config.MirrorSwitch;
import dev.patchgate.proxy.console.ConsoleRoutes;
import dev.patchgate.proxy.console.data.MirrorData;
import dev.patchgate.proxy.exchange.ExchangeLog;
import dev.patchgate.proxy.exchange.GatewayMetrics;
import dev.patchgate.proxy.exchange.OpenTunnels;
import dev.patchgate.proxy.exchange.RequestsPerMinute;
import dev.patchgate.proxy.limits.ConnectionLimits;
import dev.patchgate.proxy.mirror.MirrorStage;
import dev.patchgate.proxy.mirror.fetch.MirrorFetcher;
import dev.patchgate.proxy.parent.ParentChain;
import dev.patchgate.proxy.parent.Parents;
import dev.patchgate.proxy.request.ClientRateLimiter;
import dev.patchgate.proxy.request.ForwardedFor;
import dev.patchgate.proxy.request.GatewayFiltersSource;
import dev.patchgate.proxy.request.RequestRateLimit;
import dev.patchgate.proxy.upstream.RefusingHostResolver;
import dev.patchgate.proxy.upstream.SelfAddress;
import dev.patchgate.proxy.upstream.UpstreamResolver;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.littleshoot.proxy.HttpProxyServer;
import org.littleshoot.proxy.HttpProxyServerBootstrap;
import org.littleshoot.proxy.TransportProtocol;
import org.littleshoot.proxy.impl.DefaultHttpProxyServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running gateway: LittleProxy listening with patchgate's request path, taps and pools. Started
 * by {@link #start}; {@link #close} stops listening and closes every connection. The audit sink
 * belongs to the caller, who closes it after the gateway.
 *
 * <p>Public for the command line and the end-to-end tests, which start and stop it.
 */
public final class Gateway implements AutoCloseable {
  /** {@code patchgate_ready}: 1 while {@code /readyz} would answer 200. */
  public static final String READY = "patchgate.ready";

  private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
  // Threads for the mirror's blocking fill writes; each fill keeps at most one task queued.
  private static final int FILL_THREADS = 2;
  // Summaries of refused requests go out at least this often.
  private static final Duration REFUSAL_FLUSH = Duration.ofSeconds(1);

  private final HttpProxyServer server;
  private final GatewayServerGroup group;
  private final OpenTunnels tunnels;
  private final Mirror mirror;
  private final ExchangeLog log;
  private final AuditDiskGuard diskGuard;
  private final AnomalyWatch anomalies;
  // Set once the admin listener is up (it is started after the proxy listener); null when off.
  private volatile AdminListener admin;
  private volatile boolean stopping;

  private Gateway(
      HttpProxyServer server,
      GatewayServerGroup group,
      OpenTunnels tunnels,
      Mirror mirror,
      ExchangeLog log,
      AuditDiskGuard diskGuard,
      AnomalyWatch anomalies) {
    this.log = log;
    this.anomalies = anomalies;
    this.server = server;
    this.group = group;
    this.tunnels = tunnels;
    this.mirror = mirror;
    this.diskGuard = diskGuard;
  }

  /**
   * The package store and what fills it, owned by the gateway and closed with it; {@link #OFF} when
   * the mirror is off.
   */
  private record Mirror(MirrorStage stage, Optional<MirrorStore> store, Runnable closer) {
    static final Mirror OFF = new Mirror(MirrorStage.disabled(), Optional.empty(), () -> {});

    static Mirror open(
        GatewaySettings settings,
        GatewayServerGroup group,
        AlertSink alerts,
        MeterRegistry registry,
        Clock clock,
        Ticker ticker,
        Parents parents)
        throws StartException {
      if (!(settings.mirroring() instanceof MirrorSwitch.On on)) {
        return OFF;
      }
      MirrorSettings mirror = on.settings();
      MirrorStore store;
      try {
        store = MirrorStore.open(mirror, clock, registry);
      } catch (IOException e) {
        throw new StartException(
            "cannot open the mirror at " + mirror.dir().toAbsolutePath() + ": " + e.getMessage(),
            e);
      }
      ExecutorService diskPool = MirrorFetcher.newDiskPool(FILL_THREADS);
      MirrorFetcher fetcher =
          new MirrorFetcher(
              group.upstreamWorkers(),
              settings.connectTimeout(),
              settings.idleTimeout(),
              diskPool,
              MirrorFetcher.DEFAULT_QUEUE_HIGH_MARK,
              ticker);
      MirrorStage stage =
          new MirrorStage(store, fetcher, alerts, mirror.maxRangesPerRequest(), clock, parents);
      return new Mirror(
          stage,
          Optional.of(store),
          () -> {
            store.close(); // ends the fills in progress, so no fetch writes after this
            diskPool.shutdown();
          });
    }

    void close() {
      closer.run();
    }
  }

  /** Thrown when the listener cannot be opened; the message is one line for the operator. */
  public static final class StartException extends Exception {
    private static final long serialVersionUID = 1L;

    StartException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Starts the gateway timed by the system ticker, without audit forwarding (the tests' form); see
   * the full form.
   */
  public static Gateway start(
      GatewaySettings settings,
      PolicyReload policy,
      AuditSink audit,
      AlertSink alerts,
      PrometheusMeters meters,
      UpstreamResolver resolver,
      Clock clock)
      throws StartException {
    return start(
        settings, policy, audit, alerts, meters, resolver, clock, Ticker.SYSTEM, Optional.empty());
  }

  /**
   * Starts the gateway.
   *
   * @param clock the wall clock: record dates, the mirror's freshness
   * @param ticker measures durations: an exchange's time, a fill's idle upstream
   * @param forwarder the audit forwarder, whose state goes into metrics, alerts and readiness; it
   *     belongs to the caller, who closes it after the audit sink
   * @throws StartException when the listener or the mirror cannot be opened
   */
  public static Gateway start(
      GatewaySettings settings,
      PolicyReload policy,
      AuditSink audit,
      AlertSink alerts,
      PrometheusMeters meters,
      UpstreamResolver resolver,
      Clock clock,
      Ticker ticker,
      Optional<AuditForwarder> forwarder)
      throws StartException {
    MeterRegistry registry = meters.registry();
    forwarder.ifPresent(f -> AuditForwarding.watch(f, registry, alerts));
    OpenTunnels tunnels = new OpenTunnels();
    RequestsPerMinute perMinute = new RequestsPerMinute(clock);
    GatewayMetrics metrics = new GatewayMetrics(registry, audit, alerts, tunnels, perMinute);
    // Every record also feeds the live anomaly watch, which raises on the same alerts.
    AnomalyWatch anomalies = LiveAnomalies.watch(settings, policy, alerts, registry);
    ExchangeLog log = new ExchangeLog(audit, anomalies.feeding(), metrics, clock, ticker);
    audit.onHealthChange(
        healthy -> {
          if (!healthy) {
            alerts.raise(
                AlertKind.AUDIT_FAILURE,
                null,
                null,
                settings.auditFailClosed()
                    ? "audit records cannot be written; answering 503 (fail-closed)"
                    : "audit records cannot be written; carrying on unaudited (fail-open)");
          }
        });
    // Set once the mirror is open, before the listener accepts a connection.
    AtomicReference<MirrorStage> mirrorStage = new AtomicReference<>(MirrorStage.disabled());
    BooleanSupplier auditWritable = settings.auditFailClosed() ? audit::healthy : () -> true;
    SelfAddress self = new SelfAddress();
    // Both limits, and room for the line ends between them: a longer head is refused anyway.
    int maxHead = settings.maxRequestLine() + settings.maxHeaderSize() + 4;
    ClientRateLimiter buckets =
        new ClientRateLimiter(ticker, ClientRateLimiter.DEFAULT_MAX_CLIENTS);
    RequestRateLimit rateLimit = new RequestRateLimit(settings.requestsPerClient(), buckets);
    ConnectionLimits limits = ConnectionLimits.start(settings.connections(), policy, log, registry);
    Parents parents =
        Parents.of(
            settings.upstream(), settings.hierarchy().forwardedForToParent(), ticker, registry);
    ClientPipeline.Shared shared =
        new ClientPipeline.Shared(
            log,
            metrics,
            tunnels,
            policy,
            resolver,
            self,
            auditWritable,
            mirrorStage::get,
            maxHead,
            settings.idleTimeout(),
            rateLimit,
            new ForwardedFor(settings.hierarchy().trustedDownstreams()),
            limits,
            settings.connections().requestHeader(),
            parents);
    GatewayServerGroup group =
        new GatewayServerGroup(
            settings.clientThreads(),
            settings.upstreamThreads(),
            channel -> ClientPipeline.accepted(channel, shared));
    Mirror mirror;
    try {
      mirror = Mirror.open(settings, group, alerts, registry, clock, ticker, parents);
    } catch (StartException e) {
      group.shutdown(false);
      throw e;
    }
    mirrorStage.set(mirror.stage());
    scheduleRefusalFlush(group, log, buckets);
    AuditDiskGuard diskGuard;
    try {
      diskGuard = startDiskGuard(settings, mirror, alerts, registry);
    } catch (StartException e) {
      group.shutdown(false);
      mirror.close();
      throw e;
    }
    InetSocketAddress listen = settings.listen();
    InetSocketAddress bindTo = new InetSocketAddress(listen.getHostString(), listen.getPort());
    if (bindTo.isUnresolved()) {
      diskGuard.close();
      group.shutdown(false);
      mirror.close();
      throw new StartException("cannot listen on " + describe(listen) + ": unknown host", null);
    }
    try {
      HttpProxyServerBootstrap bootstrap =
          DefaultHttpProxyServer.bootstrap()
              .withName("patchgate")
              .withServerGroup(group)
              .withAddress(bindTo)
              .withFiltersSource(new GatewayFiltersSource(settings.pac()::script))
              .withServerResolver(new RefusingHostResolver())
              .withConnectTimeout((int) settings.connectTimeout().toMillis())
              .withIdleConnectionTimeout(settings.idleTimeout())
              .withMaxInitialLineLength(settings.maxRequestLine())
              .withMaxHeaderSize(settings.maxHeaderSize())
              .withProxyAlias("patchgate");
      if (settings.upstream().hasParents()) {
        // Without parents LittleProxy dials every origin itself, as before issue 14.
        ParentChain chain = new ParentChain(parents);
        bootstrap.withChainProxyManager(chain).plusActivityTracker(chain);
      }
      HttpProxyServer server = bootstrap.start();
      self.bound(server.getListenAddress());
      Gateway gateway = new Gateway(server, group, tunnels, mirror, log, diskGuard, anomalies);
      anomalies.readBaselineInBackground(settings.audit().dir(), clock.instant());
      policy.gatewayStarted(gateway);
      gateway.startAdmin(settings, policy, audit, meters, log, forwarder, perMinute, alerts);
      return gateway;
    } catch (RuntimeException e) {
      anomalies.close();
      diskGuard.close();
      group.shutdown(false);
      mirror.close();
      Throwable cause = e.getCause() == null ? e : e.getCause();
      String why =
          cause instanceof BindException
              ? cause.getMessage() + " (is another proxy already running on that port?)"
              : String.valueOf(cause.getMessage());
      throw new StartException("cannot listen on " + describe(listen) + ": " + why, e);
    }
  }

  /**
   * Every second, on one client event loop: the pending summaries of refused requests go out, and
   * the token buckets of clients gone quiet are dropped. A failure is logged and the next second
   * tries again.
   */
  private static void scheduleRefusalFlush(
      GatewayServerGroup group, ExchangeLog log, ClientRateLimiter buckets) {
    group
        .getClientToProxyWorkerPoolForTransport(TransportProtocol.TCP)
        .next()
        .scheduleAtFixedRate(
            () -> {
              try {
                log.flushRefusals();
                buckets.sweep();
              } catch (RuntimeException e) {
                LOG.error("could not flush the summaries of refused requests", e);
              }
            },
            REFUSAL_FLUSH.toMillis(),
            REFUSAL_FLUSH.toMillis(),
            TimeUnit.MILLISECONDS);
  }

  /** Where clients connect (the bound port when 0 was configured). */
  public InetSocketAddress address() {
    return server.getListenAddress();
  }

  /** Where the admin listener is bound, or empty when it is off. */
  public Optional<InetSocketAddress> adminAddress() {
    AdminListener listener = admin;
    return listener == null ? Optional.empty() : Optional.of(listener.address());
  }

  /**
   * Starts the admin listener when configured, with the readiness checks it answers {@code /readyz}
   * from; on failure the proxy listener is stopped again and the start fails.
   */
  private void startAdmin(
      GatewaySettings settings,
      PolicyReload policy,
      AuditSink audit,
      PrometheusMeters meters,
      ExchangeLog log,
      Optional<AuditForwarder> forwarder,
      RequestsPerMinute perMinute,
      AlertSink alerts)
      throws StartException {
    String proxy = describe(address());
    String auditDir = settings.auditDir().toAbsolutePath().toString();
    String whileFailing =
        settings.auditFailClosed()
            ? "; new requests are answered 503 (fail-closed)"
            : "; requests go on unaudited (fail-open)";
    Readiness readiness =
        new Readiness(
            List.of(
                () -> problem(stopping, "stopping: the gateway is shutting down"),
                () ->
                    problem(
                        !group.listening(),
                        "proxy listener " + proxy + " is not accepting connections"),
                () ->
                    problem(
                        !policy.valid(),
                        "allowlist "
                            + policy.file()
                            + " is not valid; the previous policy stays in force until it is"
                            + " fixed (the service log names each problem)"),
                () ->
                    problem(
                        !audit.healthy(),
                        "audit log " + auditDir + " cannot be written" + whileFailing),
                diskGuard::problem,
                () -> forwarder.flatMap(AuditForwarder::backlogProblem)));
    Gauge.builder(READY, readiness, r -> r.ready() ? 1 : 0)
        .description(
            "1 when /readyz answers 200: listening, allowlist valid, audit written, audit disk not low")
        .register(meters.registry());
    Optional<InetSocketAddress> listen = settings.admin().listen();
    if (listen.isEmpty()) {
      return;
    }
    InetSocketAddress bindTo =
        new InetSocketAddress(listen.get().getHostString(), listen.get().getPort());
    try {
      if (bindTo.isUnresolved()) {
        throw new StartException("unknown host", null);
      }
      ConsoleRoutes.Sources console =
          new ConsoleRoutes.Sources(
              hostName(),
              settings.consoleUsers(),
              meters.registry(),
              policy.file(),
              policy::loaded,
              policy::problems,
              readiness::problems,
              settings.auditDir(),
              policy,
              settings.mirroring() instanceof MirrorSwitch.On on
                  ? Optional.of(new MirrorData(on.settings().dir(), mirror.store()))
                  : Optional.empty(),
              settings.anomalies(),
              perMinute,
              alerts.recent());
      admin = AdminListener.start(bindTo, settings.admin(), meters, readiness, log, console);
    } catch (AdminListener.KeystoreException e) {
      close();
      throw new StartException(e.getMessage(), e);
    } catch (StartException | AdminListener.AdminBindException e) {
      close();
      String why =
          e.getCause() instanceof BindException
              ? e.getMessage() + " (is another gateway already running on that port?)"
              : e.getMessage();
      throw new StartException(
          "cannot listen on the admin address "
              + describe(listen.get())
              + ": "
              + why
              + "; set patchgate.admin.listen, or \"\" to turn the admin listener off",
          e);
    }
  }

  /** Watches the audit directory's free space; see {@link AuditDiskGuard}. */
  private static AuditDiskGuard startDiskGuard(
      GatewaySettings settings, Mirror mirror, AlertSink alerts, MeterRegistry registry)
      throws StartException {
    Optional<Path> mirrorDir =
        settings.mirroring() instanceof MirrorSwitch.On on
            ? Optional.of(on.settings().dir())
            : Optional.empty();
    try {
      return AuditDiskGuard.start(
          settings.auditDir(),
          settings.auditMinFree(),
          mirror.store(),
          mirrorDir,
          alerts,
          registry);
    } catch (IOException e) {
      throw new StartException(
          "cannot watch the free space of the audit directory "
              + settings.auditDir().toAbsolutePath()
              + ": "
              + e.getMessage(),
          e);
    }
  }

  /** The machine's name for the console's header, without a name lookup; "patchgate" if unknown. */
  private static String hostName() {
    String name = System.getenv("HOSTNAME");
    if (name == null || name.isBlank()) {
      try {
        name = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
      } catch (IOException | RuntimeException e) {
        name = System.getenv("COMPUTERNAME");
      }
    }
    return name == null || name.isBlank() ? "patchgate" : name.strip();
  }

  private static Optional<String> problem(boolean wrong, String what) {
    return wrong ? Optional.of(what) : Optional.empty();
  }

  /**
   * Stops listening, closes every connection and waits until the event loops have finished, so that
   * every exchange they were carrying, and every summary of refused requests, has reached the audit
   * sink before the caller closes it. LittleProxy's own JVM shutdown hook may already have aborted
   * the server; the wait covers that too.
   */
  @Override
  public void close() {
    stopping = true;
    diskGuard.close();
    mirror.close();
    server.stop();
    group.awaitTermination(STOP_TIMEOUT);
    // Every exchange has ended: what the summaries still hold goes out before the audit log
    // (closed by the caller after this) does.
    log.flushRefusals();
    anomalies.close();
    AdminListener listener = admin;
    if (listener != null) {
      listener.close();
    }
  }

  /**
   * The allowlist changed (any thread): the requests that follow are decided by {@code next}
   * anyway, and open tunnels that {@code next} no longer allows are closed.
   */
  void policyChanged(Allowlist next) {
    tunnels.policyChanged(next);
  }

  public static String describe(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }
}
