package dev.patchgate.proxy.admin;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.List;

/**
 * What the admin listener's paths answer, as status, media type and text; pure of Netty's channel
 * handling, which {@link AdminHandler} does.
 */
final class AdminEndpoints {
  static final String METRICS = "/metrics";
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String TEXT = "text/plain; charset=utf-8";
  // Prometheus' text exposition format, the one its server asks for first.
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** One answer: its status, media type and body. */
  record Answer(HttpResponseStatus status, String contentType, String body) {
    static Answer text(HttpResponseStatus status, String body) {
      return new Answer(status, TEXT, body);
    }
  }

  private final PrometheusMeters meters;
  private final Readiness readiness;

  AdminEndpoints(PrometheusMeters meters, Readiness readiness) {
    this.meters = meters;
    this.readiness = readiness;
  }

  /** True for the paths the listener serves. */
  static boolean serves(String path) {
    return METRICS.equals(path) || HEALTHZ.equals(path) || READYZ.equals(path);
  }

  /** The answer to a GET (or HEAD) of {@code path}, one of those {@link #serves} names. */
  Answer get(String path) {
    return switch (path) {
      case METRICS -> new Answer(HttpResponseStatus.OK, PROMETHEUS_TEXT, meters.scrape());
      case HEALTHZ -> Answer.text(HttpResponseStatus.OK, "ok\n");
      case READYZ -> ready();
      default -> notFound();
    };
  }

  private Answer ready() {
    List<String> problems = readiness.problems();
    if (problems.isEmpty()) {
      return Answer.text(HttpResponseStatus.OK, "ready\n");
    }
    return Answer.text(HttpResponseStatus.SERVICE_UNAVAILABLE, String.join("\n", problems) + "\n");
  }

  static Answer notFound() {
    return Answer.text(
        HttpResponseStatus.NOT_FOUND,
        "not found: the admin listener serves "
            + METRICS
            + ", "
            + HEALTHZ
            + " and "
            + READYZ
            + "\n");
  }
}
