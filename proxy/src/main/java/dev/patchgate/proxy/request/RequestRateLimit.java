package dev.patchgate.proxy.request;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.RequestRate;
import java.net.InetAddress;
import java.util.function.Supplier;

/**
 * Which request rate applies to a client, and whether its next request is within it: the rate the
 * allowlist's {@code limits} block gives the client's groups, else the gateway's own ({@code
 * patchgate.limits.requests-per-client}); the tokens are the {@link ClientRateLimiter}'s.
 *
 * <p>Thread-safe. Public for the gateway's wiring.
 */
public final class RequestRateLimit {
  /** No limit for anyone, whatever the allowlist says; for tests of other steps. */
  public static final RequestRateLimit OFF = new RequestRateLimit(RequestRate.UNLIMITED, null);

  private final RequestRate gatewayRate;
  private final ClientRateLimiter buckets;

  /**
   * @param gatewayRate the rate of a client no group with a rate of its own takes in
   * @param buckets the clients' token buckets
   */
  public RequestRateLimit(RequestRate gatewayRate, ClientRateLimiter buckets) {
    this.gatewayRate = gatewayRate;
    this.buckets = buckets;
  }

  /**
   * Takes a token for one request of {@code client} under the policy in force.
   *
   * @return 0 when the request is within the client's rate; otherwise the whole seconds until it
   *     may send another, at least 1
   */
  long retryAfterSeconds(InetAddress client, Supplier<Allowlist> policy) {
    if (buckets == null) {
      return 0;
    }
    RequestRate rate = policy.get().limitsFor(client).requestsPerClient().orElse(gatewayRate);
    long waitNanos = buckets.acquire(client, rate);
    return waitNanos == 0 ? 0 : ClientRateLimiter.retryAfterSeconds(waitNanos);
  }
}
