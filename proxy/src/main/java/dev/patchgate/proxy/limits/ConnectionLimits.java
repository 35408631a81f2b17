package dev.patchgate.proxy.limits;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.proxy.config.ConnectionSettings;
import dev.patchgate.proxy.exchange.ExchangeLog;
import dev.patchgate.proxy.exchange.RefusalSummaries;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.netty.channel.Channel;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts the open client connections per client address and in all, and refuses a connection that
 * would take either over its limit as it is accepted: one infected PC opening thousands of idle
 * connections must not use up the process's file descriptors, which every other client, the audit
 * log and the mirror need. A client group of the allowlist's {@code limits} block may have its own
 * per-client limit (a WSUS server, a NAT); the policy in force when a connection is accepted
 * decides, so a reload changes the limit for new connections and leaves open ones alone.
 *
 * <p>A refusal is counted ({@value #REFUSED}, tag {@code limit}) and audited, its reason beginning
 * with {@value #REASON_PREFIX}, which raises a {@code connection_limit} alert ({@link AlertRules}):
 * the first ten of a client each second as records of their own, the rest of a flood in summary
 * records with their count ({@link RefusalSummaries}). Memory is bounded by the connections open: a
 * client's count is dropped when its last connection closes.
 *
 * <p>Thread-safe: connections are admitted on the acceptor thread and close on any client event
 * loop.
 */
public final class ConnectionLimits {
  private static final Logger LOG = LoggerFactory.getLogger(ConnectionLimits.class);

  /** {@code patchgate_connections_refused_total{limit="per_client"|"total"}}. */
  public static final String REFUSED = "patchgate.connections.refused";

  /** {@code patchgate_connections_limit}: the gateway-wide limit in force. */
  public static final String LIMIT = "patchgate.connections.limit";

  /** How the reason of every refusal's record begins. */
  public static final String REASON_PREFIX = AlertRules.CONNECTION_LIMIT_PREFIX;

  /** The reason recorded when the whole gateway is at its limit. */
  public static final String GATEWAY_FULL = REASON_PREFIX + " (gateway full)";

  /** Files kept for the audit log, the mirror's files and fills, and the JVM's own. */
  static final int RESERVED_FILES = 512;

  /** The gateway-wide limit where the process's file limit cannot be read (Windows). */
  static final int WITHOUT_FILE_LIMIT = 16_384;

  /** What became of a connection. */
  public enum Verdict {
    ADMITTED,
    /** Its client already has as many open as it may. */
    PER_CLIENT,
    /** The gateway has as many open as it may. */
    TOTAL
  }

  private final int perClientDefault;
  private final int total;
  private final Supplier<Allowlist> policy;
  private final ExchangeLog log;
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();
  private final AtomicInteger open = new AtomicInteger();
  private final Counter refusedPerClient;
  private final Counter refusedTotal;

  /**
   * @param perClientDefault a client's limit when no client group of its sets one
   * @param total the gateway-wide limit, already derived ({@link #totalFor})
   * @param policy the allowlist in force, asked for a client group's own limit
   * @param log where the record of a refusal goes
   */
  ConnectionLimits(
      int perClientDefault,
      int total,
      Supplier<Allowlist> policy,
      ExchangeLog log,
      MeterRegistry registry) {
    if (perClientDefault < 1 || total < 1) {
      throw new IllegalArgumentException(
          "limits: " + perClientDefault + " per client, " + total + " in all (expected: >= 1)");
    }
    this.perClientDefault = perClientDefault;
    this.total = total;
    this.policy = policy;
    this.log = log;
    this.refusedPerClient =
        Counter.builder(REFUSED)
            .description("Client connections closed as accepted, by the limit they hit")
            .tag("limit", "per_client")
            .register(registry);
    this.refusedTotal =
        Counter.builder(REFUSED)
            .description("Client connections closed as accepted, by the limit they hit")
            .tag("limit", "total")
            .register(registry);
    Gauge.builder(LIMIT, () -> this.total)
        .description("Client connections the gateway keeps open at most")
        .register(registry);
  }

  /**
   * The limits as configured, the gateway-wide one derived from the file limit unless set; logged
   * (a derived limit is seen nowhere else), with a warning when it is set above what the file limit
   * leaves room for.
   */
  public static ConnectionLimits start(
      ConnectionSettings settings,
      Supplier<Allowlist> policy,
      ExchangeLog log,
      MeterRegistry registry) {
    int configured = settings.total();
    int total = totalFor(configured);
    OptionalLong files = fileLimit();
    String how;
    if (configured != ConnectionSettings.DERIVED) {
      how = "patchgate.limits.connections";
    } else if (files.isPresent()) {
      how = "derived from the file limit: (" + files.getAsLong() + " - 512) / 2";
    } else {
      how =
          "the file limit cannot be read here, so patchgate.limits.connections = 0 means " + total;
    }
    LOG.info(
        "client connections: at most {} in all ({}), {} per client unless the allowlist's limits"
            + " block sets another",
        total,
        how,
        settings.perClient());
    int roomFor = derivedFrom(files);
    if (configured != ConnectionSettings.DERIVED && files.isPresent() && total > roomFor) {
      LOG.warn(
          "patchgate.limits.connections = {} is more than the file limit {} leaves room for ({});"
              + " near it, new connections and mirror files can fail. Raise the file limit"
              + " (LimitNOFILE) or set patchgate.limits.connections = 0",
          total,
          files.getAsLong(),
          roomFor);
    }
    return new ConnectionLimits(settings.perClient(), total, policy, log, registry);
  }

  /**
   * The gateway-wide limit for the configured {@code connections}: itself, or for {@link
   * ConnectionSettings#DERIVED} one derived from the process's file limit ({@link
   * #derivedFrom(OptionalLong)}).
   */
  static int totalFor(int configured) {
    return configured == ConnectionSettings.DERIVED ? derivedFrom(fileLimit()) : configured;
  }

  /**
   * {@code (maxFiles - 512) / 2}: every client connection may need an upstream one, and 512 files
   * stay for the audit log, the mirror and the JVM; at least 1, at most {@link
   * ConnectionSettings#MAX}; {@value #WITHOUT_FILE_LIMIT} when there is no file limit to read.
   */
  static int derivedFrom(OptionalLong maxFiles) {
    if (maxFiles.isEmpty()) {
      return WITHOUT_FILE_LIMIT;
    }
    long derived = (maxFiles.getAsLong() - RESERVED_FILES) / 2;
    return (int) Math.max(1, Math.min(ConnectionSettings.MAX, derived));
  }

  /** The process's file limit, or empty where the JVM cannot tell (Windows). */
  static OptionalLong fileLimit() {
    if (ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
      return OptionalLong.of(unix.getMaxFileDescriptorCount());
    }
    return OptionalLong.empty();
  }

  /**
   * Admits {@code channel} (accepted, not yet registered), counting it until it closes, or refuses
   * it: counted and audited here, and the caller closes it without reading from it.
   *
   * @return true when admitted
   */
  public boolean admit(Channel channel) {
    InetAddress client = ((InetSocketAddress) channel.remoteAddress()).getAddress();
    if (!admit(client)) {
      return false;
    }
    channel.closeFuture().addListener(closed -> closed(client));
    return true;
  }

  /**
   * Counts a connection of {@code client} as open, or counts and audits its refusal.
   *
   * @return true when admitted: {@link #closed} must follow when it closes
   */
  boolean admit(InetAddress client) {
    int limit = limitFor(client);
    Verdict verdict = open(client, limit);
    if (verdict == Verdict.ADMITTED) {
      return true;
    }
    refused(client, verdict, limit);
    return false;
  }

  /** The client's per-client limit under the policy in force. */
  int limitFor(InetAddress client) {
    return policy.get().limitsFor(client).connectionsPerClient().orElse(perClientDefault);
  }

  /** Counts a connection of {@code client} as open, unless a limit is reached. */
  Verdict open(InetAddress client, int limit) {
    boolean[] full = new boolean[1];
    perClient.compute(
        client,
        (address, n) -> {
          int before = n == null ? 0 : n;
          if (before >= limit) {
            full[0] = true;
            return n;
          }
          return before + 1;
        });
    if (full[0]) {
      return Verdict.PER_CLIENT;
    }
    int before;
    do {
      before = open.get();
      if (before >= total) {
        release(client);
        return Verdict.TOTAL;
      }
    } while (!open.compareAndSet(before, before + 1));
    return Verdict.ADMITTED;
  }

  /** A connection {@link #open} admitted has closed. */
  void closed(InetAddress client) {
    release(client);
    open.decrementAndGet();
  }

  private void release(InetAddress client) {
    perClient.computeIfPresent(client, (address, n) -> n <= 1 ? null : n - 1);
  }

  /** Connections of {@code client} counted as open. */
  int openOf(InetAddress client) {
    return perClient.getOrDefault(client, 0);
  }

  /** Connections counted as open in all. */
  int open() {
    return open.get();
  }

  /** Client addresses with a connection open: the size of the per-client table. */
  int clients() {
    return perClient.size();
  }

  /**
   * Counts a refusal and accounts for it in the audit log: the first ones of a client each second
   * as records of their own, the rest of a flood in summary records with their count ({@link
   * RefusalSummaries}, as for rate-limited requests).
   */
  private void refused(InetAddress client, Verdict verdict, int limit) {
    (verdict == Verdict.PER_CLIENT ? refusedPerClient : refusedTotal).increment();
    String reason =
        verdict == Verdict.PER_CLIENT
            ? REASON_PREFIX + " (" + limit + " per client)"
            : GATEWAY_FULL;
    ExchangeLog.Stamp stamp = log.stamp();
    RefusalSummaries.Outcome outcome =
        log.refusals().refused(client.getHostAddress(), null, reason, 0, stamp.at());
    if (outcome == RefusalSummaries.Outcome.OWN_RECORD) {
      audit(client, reason, stamp);
    }
  }

  /**
   * The one place a refused connection gets a record of its own (and, through it, an alert): no
   * request was read, so method and URL are empty and the status is 0.
   */
  private void audit(InetAddress client, String reason, ExchangeLog.Stamp stamp) {
    log.finishedOutside(
        new AuditRecord(
            stamp.at(),
            stamp.id(),
            client.getHostAddress(),
            null,
            "",
            "",
            null,
            null,
            AuditDecision.DENY,
            null,
            reason,
            false,
            0,
            0,
            0,
            0,
            null,
            null,
            CacheOutcome.NONE,
            null,
            null,
            null));
  }
}
