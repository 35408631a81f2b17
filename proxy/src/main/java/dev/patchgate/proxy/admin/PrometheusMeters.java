package dev.patchgate.proxy.admin;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.instrumentation.jvm.ProcessMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;

/**
 * The gateway's meter registry, exposed in Prometheus' text format at {@code /metrics}: patchgate's
 * own meters (Micrometer names them by Prometheus' conventions: {@code patchgate.requests} becomes
 * {@code patchgate_requests_total}), the JVM's (memory, threads, classes, CPU, garbage collection),
 * and the process's under the names Prometheus' own client gives them ({@code process_open_fds},
 * {@code process_max_fds}, {@code process_resident_memory_bytes}), which ready-made dashboards and
 * alert rules expect.
 *
 * <p>Public for the command line and the end-to-end tests, which create it; closed after the
 * gateway.
 */
public final class PrometheusMeters implements AutoCloseable {
  /** {@code patchgate_build_info{version}}, always 1: which release answers. */
  public static final String BUILD_INFO = "patchgate.build.info";

  private final PrometheusMeterRegistry registry;
  private final JvmGcMetrics gc;

  private PrometheusMeters(PrometheusMeterRegistry registry, JvmGcMetrics gc) {
    this.registry = registry;
    this.gc = gc;
  }

  /** A registry with the JVM and process meters bound. */
  public static PrometheusMeters create() {
    PrometheusRegistry prometheus = new PrometheusRegistry();
    PrometheusMeterRegistry registry =
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT, prometheus, Clock.SYSTEM);
    ProcessMetrics.builder().register(prometheus);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    Gauge.builder(BUILD_INFO, () -> 1)
        .description("Always 1; the version tag names the release")
        .tag("version", version())
        .register(registry);
    return new PrometheusMeters(registry, gc);
  }

  /** The release, from the jar's manifest; {@code dev} when run from classes (tests, an IDE). */
  public static String version() {
    return Objects.requireNonNullElse(
        PrometheusMeters.class.getPackage().getImplementationVersion(), "dev");
  }

  public PrometheusMeterRegistry registry() {
    return registry;
  }

  /** Every meter, in Prometheus' text exposition format (version 0.0.4). */
  String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() {
    gc.close();
    registry.close();
  }
}
