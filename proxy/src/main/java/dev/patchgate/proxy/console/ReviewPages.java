package dev.patchgate.proxy.console;

import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.proxy.cli.ReportClientGroups;
import dev.patchgate.proxy.console.data.AnomalyData;
import dev.patchgate.proxy.console.data.AuditData;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;

/**
 * The weekly review in the console: the Anomalies page ({@code /anomalies}, {@code /api/anomalies};
 * administrators only, a vendor gets 403 and a deny record) and the coverage API ({@code
 * /api/coverage?kb=}, scoped like the Downloads page, which shows the same coverage). Both read the
 * audit log off the event loop through {@link ConsoleRoutes#read}.
 */
final class ReviewPages {
  private final ConsoleRoutes routes;
  private final AuditData audit;
  private final AnomalyData anomalies;

  ReviewPages(ConsoleRoutes routes, ConsoleRoutes.Sources sources, AuditData audit) {
    this.routes = routes;
    this.audit = audit;
    this.anomalies =
        new AnomalyData(
            sources.auditDir(),
            () -> ReportClientGroups.of(sources.allowlist().get()),
            sources.anomalies(),
            Clock.systemUTC());
  }

  /** Adds the routes; call after the sign-in checks. */
  void mountOn(Router router) {
    router.route("/anomalies").handler(ctx -> routes.requireAdmin(ctx, false));
    router.route("/api/anomalies").handler(ctx -> routes.requireAdmin(ctx, true));
    router.get("/anomalies").handler(ctx -> anomalies(ctx, false));
    router.get("/api/anomalies").handler(ctx -> anomalies(ctx, true));
    router
        .get("/api/coverage")
        .handler(
            ctx ->
                routes.read(
                    ctx,
                    true,
                    (filters, scope) -> audit.coverage(filters, scope, AuditData.DEFAULT_ROWS),
                    ReviewViews::coverageJson,
                    (params, coverage) -> {}));
  }

  private void anomalies(RoutingContext ctx, boolean api) {
    routes.readParams(
        ctx,
        api,
        anomalies::review,
        ReviewViews::anomaliesJson,
        (params, page) -> {
          Map<String, Object> model = routes.model(ctx, "Anomalies", "anomalies");
          model.put("f", ReportViews.form(params, AnomalyData.NAMES));
          model.put(
              "kindNames", Arrays.stream(AnomalyKind.values()).map(AnomalyKind::wireName).toList());
          model.put("period", ReviewViews.reviewed(page));
          model.put("incomplete", ReportViews.incomplete(page.period()));
          model.put("turnedOff", String.join(", ", page.turnedOff()));
          model.put("clients", page.clients());
          model.put("rows", ReviewViews.anomalyRows(page));
          routes.html(ctx, 200, "anomalies", model);
        });
  }
}
