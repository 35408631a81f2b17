package dev.patchgate.proxy.console;

import dev.patchgate.proxy.exchange.GatewayMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;

/**
 * The gateway at a glance, as the Overview page and {@code /api/status} show it: read from the same
 * Micrometer meters {@code /metrics} exposes, so the console and Prometheus never disagree.
 *
 * @param allowed requests allowed since the start
 * @param denied requests denied
 * @param errors requests that ended in an error
 * @param mirrorHits answers served from the mirror
 * @param mirrorMisses mirrorable answers fetched upstream
 * @param mirrorServedBytes bytes sent from the mirror: upstream traffic saved
 * @param connections client connections open now
 * @param tunnels CONNECT tunnels open now
 * @param upstreamErrors upstream failures of every kind
 * @param auditHealthy true while audit records are being written
 * @param allowlistValid true while the allowlist file is the policy in force
 * @param allowlistLoaded when the policy in force was read
 * @param allowlistProblems while an edit is rejected, its problems (file, line, fix)
 * @param readinessProblems what keeps {@code /readyz} from answering 200; empty when ready
 */
record OverviewFigures(
    long allowed,
    long denied,
    long errors,
    long mirrorHits,
    long mirrorMisses,
    long mirrorServedBytes,
    long connections,
    long tunnels,
    long upstreamErrors,
    boolean auditHealthy,
    boolean allowlistValid,
    Instant allowlistLoaded,
    List<String> allowlistProblems,
    List<String> readinessProblems) {

  OverviewFigures {
    allowlistProblems = List.copyOf(allowlistProblems);
    readinessProblems = List.copyOf(readinessProblems);
  }

  /** Reads the figures now. */
  static OverviewFigures read(
      MeterRegistry registry,
      Instant allowlistLoaded,
      List<String> allowlistProblems,
      List<String> readinessProblems) {
    return new OverviewFigures(
        counted(registry, GatewayMetrics.REQUESTS, "decision", "allow"),
        counted(registry, GatewayMetrics.REQUESTS, "decision", "deny"),
        counted(registry, GatewayMetrics.REQUESTS, "decision", "error"),
        counted(registry, GatewayMetrics.MIRROR_HITS),
        counted(registry, GatewayMetrics.MIRROR_MISSES),
        counted(registry, GatewayMetrics.MIRROR_SERVED_BYTES),
        gauged(registry, GatewayMetrics.CONNECTIONS_ACTIVE),
        gauged(registry, GatewayMetrics.TUNNELS_ACTIVE),
        counted(registry, GatewayMetrics.UPSTREAM_ERRORS),
        gauged(registry, GatewayMetrics.AUDIT_HEALTHY) == 1,
        allowlistProblems.isEmpty(),
        allowlistLoaded,
        allowlistProblems,
        readinessProblems);
  }

  /** Mirror hits over mirrorable answers, 0..1; empty (-1) before the first one. */
  double hitRatio() {
    long all = mirrorHits + mirrorMisses;
    return all == 0 ? -1 : (double) mirrorHits / all;
  }

  boolean ready() {
    return readinessProblems.isEmpty();
  }

  JsonObject toJson() {
    double ratio = hitRatio();
    return new JsonObject()
        .put(
            "requests",
            new JsonObject().put("allow", allowed).put("deny", denied).put("error", errors))
        .put(
            "mirror",
            new JsonObject()
                .put("hits", mirrorHits)
                .put("misses", mirrorMisses)
                .put("hit_ratio", ratio < 0 ? null : ratio)
                .put("served_bytes", mirrorServedBytes))
        .put("connections_active", connections)
        .put("tunnels_active", tunnels)
        .put("upstream_errors", upstreamErrors)
        .put("audit_healthy", auditHealthy)
        .put(
            "allowlist",
            new JsonObject()
                .put("valid", allowlistValid)
                .put("loaded", allowlistLoaded.toString())
                .put("problems", new JsonArray(allowlistProblems)))
        .put("ready", ready())
        .put("readiness_problems", new JsonArray(readinessProblems));
  }

  private static long counted(MeterRegistry registry, String name, String... tags) {
    return Math.round(
        registry.find(name).tags(tags).counters().stream().mapToDouble(Counter::count).sum());
  }

  private static long gauged(MeterRegistry registry, String name) {
    return Math.round(registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum());
  }
}
