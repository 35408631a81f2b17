package dev.patchgate.proxy.parent;

import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.Upstream;
import dev.patchgate.audit.Ticker;
import dev.patchgate.proxy.config.ParentProxy;
import dev.patchgate.proxy.config.UpstreamSettings;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's parent proxies as they stand: which requests go through them, which parents to try
 * now ({@link ParentPolicy}, timed by the gateway's ticker), and each parent's state and failures
 * as metrics. One per gateway; thread-safe.
 *
 * <p>Public for the gateway's wiring, the request path and the mirror's fills.
 */
public final class Parents {
  /** {@code patchgate_upstream_parent_up}: 1 while a parent is tried, 0 while it is skipped. */
  public static final String PARENT_UP = "patchgate.upstream.parent.up";

  /** {@code patchgate_upstream_parent_failures_total}: failed connections to a parent. */
  public static final String PARENT_FAILURES = "patchgate.upstream.parent.failures";

  private static final Logger LOG = LoggerFactory.getLogger(Parents.class);
  private static final Parents NONE =
      new Parents(UpstreamSettings.DIRECT, false, Ticker.SYSTEM, null);

  private final UpstreamSettings settings;
  private final boolean namesClients;
  private final ParentPolicy policy;
  private final Ticker ticker;
  private final List<Counter> failures = new ArrayList<>();

  private Parents(
      UpstreamSettings settings, boolean namesClients, Ticker ticker, MeterRegistry registry) {
    this.settings = settings;
    this.namesClients = namesClients;
    this.ticker = ticker;
    this.policy =
        new ParentPolicy(
            settings.proxies().size(),
            settings.connectFailLimit(),
            settings.parentRetry().toNanos());
    if (registry == null) {
      return;
    }
    for (int i = 0; i < settings.proxies().size(); i++) {
      int index = i;
      String name = settings.proxies().get(i).authority();
      Gauge.builder(PARENT_UP, this, p -> p.policy.skipped(index, p.ticker.read()) ? 0 : 1)
          .description(
              "1 while the parent proxy is tried, 0 while it is skipped after connect-fail-limit"
                  + " failed connections in a row")
          .tag("parent", name)
          .register(registry);
      failures.add(
          Counter.builder(PARENT_FAILURES)
              .description("Connections to the parent proxy that failed")
              .tag("parent", name)
              .register(registry));
    }
  }

  /** No parents: every request goes straight to its origin. */
  public static Parents none() {
    return NONE;
  }

  /**
   * The parents {@code settings} name, timed by {@code ticker}, with their meters.
   *
   * @param namesClients true to tell the parents which PC a request is from ({@code
   *     upstream.forwarded-for})
   */
  public static Parents of(
      UpstreamSettings settings, boolean namesClients, Ticker ticker, MeterRegistry registry) {
    return settings.hasParents() ? new Parents(settings, namesClients, ticker, registry) : NONE;
  }

  /**
   * True when a request the parents carry names its PC in {@code X-Forwarded-For} ({@code
   * upstream.forwarded-for}), so that a central gateway trusting this one records the PC.
   */
  public boolean namesClients() {
    return namesClients;
  }

  /** True when a request this decision allowed goes through the parents. */
  public boolean carries(Decision decision) {
    return settings.hasParents() && decision.upstream() == Upstream.PARENT;
  }

  /**
   * True when the gateway resolves and checks the origin's addresses itself before a request goes
   * to a parent ({@code resolve = local}).
   */
  public boolean resolveLocally() {
    return settings.resolveLocally();
  }

  /** True when the administrator wrote {@code fallback = direct}. */
  public boolean fallbackDirect() {
    return settings.fallbackDirect();
  }

  /** The parents to try now, in order; empty when every one is skipped. */
  public List<ParentProxy> candidates() {
    List<ParentProxy> out = new ArrayList<>();
    for (int i : policy.order(ticker.read())) {
      out.add(settings.proxies().get(i));
    }
    return out;
  }

  /** A connection to {@code parent} was made. */
  public void connected(ParentProxy parent) {
    int i = settings.proxies().indexOf(parent);
    if (i >= 0) {
      policy.connected(i);
    }
  }

  /** A connection to {@code parent} failed: counted, and the parent may now be skipped. */
  public void connectFailed(ParentProxy parent) {
    int i = settings.proxies().indexOf(parent);
    if (i < 0) {
      return;
    }
    failures.get(i).increment();
    if (policy.failed(i, ticker.read())) {
      LOG.warn(
          "parent proxy {} failed {} connections in a row; skipped for {}",
          parent,
          settings.connectFailLimit(),
          settings.parentRetry());
    }
  }
}
