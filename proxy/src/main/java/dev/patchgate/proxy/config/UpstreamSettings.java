package dev.patchgate.proxy.config;

import java.time.Duration;
import java.util.List;

/**
 * How the gateway reaches origins: straight, or through parent proxies ({@code
 * patchgate.upstream}).
 *
 * @param proxies the parent proxies, tried in this order; empty: every request goes straight to its
 *     origin
 * @param connectFailLimit this many failed connections in a row to one parent and it is skipped
 *     (Squid's {@code connect-fail-limit})
 * @param parentRetry how long a skipped parent stays skipped before it is tried again
 * @param fallbackDirect true when the administrator wrote {@code fallback = direct}: with every
 *     parent down, a request goes straight to its origin instead of getting a 502
 * @param resolveLocally true ({@code resolve = local}): the gateway resolves and checks the
 *     origin's addresses before the request goes to a parent; false ({@code resolve = parent}): the
 *     parent resolves, and checks, on its own
 *     <p>Public for the gateway's wiring.
 */
public record UpstreamSettings(
    List<ParentProxy> proxies,
    int connectFailLimit,
    Duration parentRetry,
    boolean fallbackDirect,
    boolean resolveLocally) {

  /** Squid's own default is 10; see README "Parent proxies" for why the gateway's is lower. */
  public static final int DEFAULT_CONNECT_FAIL_LIMIT = 3;

  /** No parents: every request goes straight to its origin, as before issue 14. */
  public static final UpstreamSettings DIRECT =
      new UpstreamSettings(
          List.of(), DEFAULT_CONNECT_FAIL_LIMIT, Duration.ofSeconds(30), false, true);

  public UpstreamSettings {
    proxies = List.copyOf(proxies);
  }

  /** True when the gateway has at least one parent proxy. */
  public boolean hasParents() {
    return !proxies.isEmpty();
  }
}
