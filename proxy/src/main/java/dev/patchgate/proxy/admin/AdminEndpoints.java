package dev.patchgate.proxy.admin;

import java.util.List;

/**
 * What the admin listener's monitoring paths answer, as status, media type and text; pure of the
 * HTTP server, which {@link AdminListener} wires.
 */
final class AdminEndpoints {
  static final String METRICS = "/metrics";
  static final String HEALTHZ = "/healthz";
  static final String READYZ = "/readyz";
  static final String TEXT = "text/plain; charset=utf-8";
  // Prometheus' text exposition format, the one its server asks for first.
  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  /** One answer: its status, media type and body. */
  record Answer(int status, String contentType, String body) {
    static Answer text(int status, String body) {
      return new Answer(status, TEXT, body);
    }
  }

  private final PrometheusMeters meters;
  private final Readiness readiness;

  AdminEndpoints(PrometheusMeters meters, Readiness readiness) {
    this.meters = meters;
    this.readiness = readiness;
  }

  /** The answer to a GET (or HEAD) of {@code path}, one of the three monitoring paths. */
  Answer get(String path) {
    return switch (path) {
      case METRICS -> new Answer(200, PROMETHEUS_TEXT, meters.scrape());
      case HEALTHZ -> Answer.text(200, "ok\n");
      case READYZ -> ready();
      default -> notFound();
    };
  }

  private Answer ready() {
    List<String> problems = readiness.problems();
    if (problems.isEmpty()) {
      return Answer.text(200, "ready\n");
    }
    return Answer.text(503, String.join("\n", problems) + "\n");
  }

  static Answer notFound() {
    return Answer.text(
        404,
        "not found: the admin listener serves "
            + METRICS
            + ", "
            + HEALTHZ
            + " and "
            + READYZ
            + "\n");
  }
}
