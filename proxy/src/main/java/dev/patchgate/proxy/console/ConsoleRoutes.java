package dev.patchgate.proxy.console;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.KbFilePolicy;
import dev.patchgate.audit.Ticker;
import dev.patchgate.audit.alert.RecentAlerts;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.report.KbSources;
import dev.patchgate.audit.text.ByteSize;
import dev.patchgate.proxy.admin.AdminNote;
import dev.patchgate.proxy.config.ConsoleSettings;
import dev.patchgate.proxy.console.data.AuditData;
import dev.patchgate.proxy.console.data.BadFilterException;
import dev.patchgate.proxy.console.data.ChainStatus;
import dev.patchgate.proxy.console.data.Filters;
import dev.patchgate.proxy.console.data.MirrorData;
import dev.patchgate.proxy.console.data.OutOfScopeException;
import dev.patchgate.proxy.console.data.Period;
import dev.patchgate.proxy.console.data.Scope;
import dev.patchgate.proxy.console.users.ApiTokens;
import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.ConsoleUsers;
import dev.patchgate.proxy.console.users.ConsoleUsersException;
import dev.patchgate.proxy.console.users.Role;
import dev.patchgate.proxy.exchange.RequestsPerMinute;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.Session;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.CSRFHandler;
import io.vertx.ext.web.handler.SessionHandler;
import io.vertx.ext.web.sstore.LocalSessionStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.text.DecimalFormat;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The console's routes on the admin listener: sign-in and sign-out, the pages, and the JSON API,
 * built from Vert.x Web's session, CSRF and body handlers.
 *
 * <p>Sessions live in memory (a restart signs everyone out), in an HttpOnly, SameSite=Strict cookie
 * (Secure with TLS), and end after {@code session-idle} without use or {@code session-max} after
 * the sign-in. The id changes at sign-in (no fixation). Every POST carries the session's CSRF token
 * in the form field {@value #CSRF_FIELD}. A page asked for without a session redirects to {@code
 * /login}; the API answers 401. The API (never a page) also takes a user's API token in {@code
 * Authorization: Bearer} ({@link ApiTokens}), checked and throttled like a sign-in. Sign-ins,
 * failed ones, sign-outs and every POST are audit records of their own ({@code method} {@code
 * CONSOLE}, the user); see {@link AdminNote}.
 */
public final class ConsoleRoutes {
  static final String CSRF_FIELD = "csrf";
  static final String SESSION_COOKIE = "patchgate_session";
  static final String CSRF_COOKIE = "patchgate_csrf";
  static final String WRONG = "wrong user name or password";
  private static final List<String> DOWNLOAD_FILTERS =
      List.of("client", "kb", "entry", "since", "until");
  private static final List<String> DENIED_FILTERS =
      List.of("client", "entry", "host", "since", "until");

  /** The session's key of the signed-in {@link ConsoleUser}: name, role and scope. */
  private static final String USER = "user";

  private static final String SIGNED_IN = "signed_in";

  /** The request's key of the user an API token named; a request's, never a session's. */
  private static final String TOKEN_USER = "patchgate.token-user";

  private static final String BEARER = "Bearer ";
  private static final String WRONG_TOKEN = "API token not valid";
  private static final int MAX_FORM = 16 * 1024;
  // Two pages read at once on 2 cores; a third waits its turn.
  private static final int READ_THREADS = 2;
  private static final Logger LOG = LoggerFactory.getLogger(ConsoleRoutes.class);
  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

  /**
   * What the console reads from the running gateway.
   *
   * @param gateway the name shown in every page's header
   * @param users the console users file
   * @param registry the gateway's meters
   * @param allowlistFile the allowlist file
   * @param allowlistLoaded when the policy in force was read
   * @param allowlistProblems while an edit is rejected, its problems
   * @param readinessProblems what keeps the gateway from being ready
   * @param auditDir the audit directory the Downloads, Denied and Audit pages read
   * @param allowlist the allowlist in force, for scoping and the Denied page's explanations
   * @param mirror the Mirror page's data over the gateway's running store; empty when the mirror is
   *     off
   * @param anomalies what the Anomalies page calls unusual: {@code patchgate.anomalies}
   * @param perMinute the proxy's requests of the last hour by minute, for the Overview's chart
   * @param alerts the alerts lately given to the alert channels; empty when alerting is off
   */
  public record Sources(
      String gateway,
      Path users,
      MeterRegistry registry,
      Path allowlistFile,
      Supplier<Instant> allowlistLoaded,
      Supplier<List<String>> allowlistProblems,
      Supplier<List<String>> readinessProblems,
      Path auditDir,
      Supplier<Allowlist> allowlist,
      Optional<MirrorData> mirror,
      AnomalySettings anomalies,
      RequestsPerMinute perMinute,
      Optional<RecentAlerts> alerts) {}

  private final Vertx vertx;
  // The audit log's reads (seconds to a minute each) run on threads of their own, so that sign-ins
  // and API-token checks on the listener's worker pool never queue behind them.
  private final WorkerExecutor reads;
  private final ConsoleSettings settings;
  private final Sources sources;
  private final ConsolePages pages = new ConsolePages();
  private final SignInThrottle throttle;
  private final byte[] css;
  private final AuditData audit;

  private ConsoleRoutes(Vertx vertx, ConsoleSettings settings, Sources sources, Ticker ticker) {
    this.vertx = vertx;
    this.reads = vertx.createSharedWorkerExecutor("patchgate-console-reads", READ_THREADS);
    this.settings = settings;
    this.sources = sources;
    this.throttle = new SignInThrottle(ticker);
    this.css = resource("console/console.css");
    this.audit =
        new AuditData(
            sources.auditDir(), () -> kbSources(sources.allowlist().get()), Clock.systemUTC());
  }

  /**
   * Adds the console to {@code router}, after the monitoring paths and before the listener's 404.
   */
  public static void mount(
      Router router, Vertx vertx, ConsoleSettings settings, Sources sources, Ticker ticker) {
    new ConsoleRoutes(vertx, settings, sources, ticker).mountOn(router);
  }

  private void mountOn(Router router) {
    boolean tls = settings.tls().isPresent();
    router.route().handler(ConsoleRoutes::securityHeaders);
    router
        .route()
        .method(HttpMethod.POST)
        .handler(
            ctx -> {
              // Every POST is a console event of its own, also one the CSRF check refuses.
              AdminNote.of(ctx).consoleEvent();
              ctx.next();
            });
    router.get("/console.css").handler(this::css);
    router
        .route()
        .handler(
            SessionHandler.create(LocalSessionStore.create(vertx))
                .setSessionCookieName(SESSION_COOKIE)
                .setSessionTimeout(settings.sessionIdle().toMillis())
                .setCookieHttpOnlyFlag(true)
                .setCookieSecureFlag(tls)
                .setCookieSameSite(CookieSameSite.STRICT)
                .setNagHttps(false)
                .setMinLength(32));
    router
        .route()
        .method(HttpMethod.POST)
        .handler(BodyHandler.create(false).setBodyLimit(MAX_FORM));
    router
        .route()
        .handler(
            CSRFHandler.create(vertx, secret())
                .setHeaderName(CSRF_FIELD)
                .setCookieName(CSRF_COOKIE)
                .setCookieHttpOnly(true)
                .setCookieSecure(tls)
                .setNagHttps(false)
                .setTimeout(settings.sessionIdle().toMillis()));
    router.route().handler(this::whoIsIt);
    router.get("/login").handler(this::loginForm);
    router.post("/login").handler(this::signIn);
    router.post("/logout").handler(this::signOut);
    router.route("/api/*").handler(ctx -> requireUser(ctx, true));
    // The gateway as a whole is the administrator's; a vendor sees their own entries' data only.
    router.route("/api/status").handler(ctx -> requireAdmin(ctx, true));
    router.get("/api/status").handler(this::apiStatus);
    router.route().handler(ctx -> requireUser(ctx, false));
    router.get("/").handler(this::home);
    new AdminPages(this, sources).mountOn(router);
    router.get("/downloads").handler(ctx -> downloads(ctx, false));
    router.get("/api/downloads").handler(ctx -> downloads(ctx, true));
    router.get("/denied").handler(ctx -> denied(ctx, false));
    router.get("/api/denied").handler(ctx -> denied(ctx, true));
    router.get("/audit").handler(ctx -> audit(ctx, false));
    router.get("/api/audit").handler(ctx -> audit(ctx, true));
    new ReviewPages(this, sources, audit).mountOn(router);
    new ExportPages(this, audit, sources.allowlist()).mountOn(router);
  }

  private static void securityHeaders(RoutingContext ctx) {
    ctx.response()
        .putHeader("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'")
        .putHeader("X-Frame-Options", "DENY")
        .putHeader(HttpHeaders.CACHE_CONTROL, "no-store")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Referrer-Policy", "no-referrer");
    ctx.next();
  }

  private void css(RoutingContext ctx) {
    ctx.response().putHeader(HttpHeaders.CONTENT_TYPE, "text/css; charset=utf-8");
    ctx.response().end(io.vertx.core.buffer.Buffer.buffer(css));
  }

  /**
   * Notes the signed-in user (ending a session past {@code session-max}), and marks every POST as a
   * console event of its own.
   */
  private void whoIsIt(RoutingContext ctx) {
    Session session = ctx.session();
    ConsoleUser user = session == null ? null : session.get(USER);
    if (user != null) {
      Long since = session.get(SIGNED_IN);
      if (since == null
          || Duration.ofMillis(System.currentTimeMillis() - since).compareTo(settings.sessionMax())
              > 0) {
        session.destroy();
      } else {
        AdminNote.of(ctx).user(user.name());
      }
    }
    ctx.next();
  }

  /** The signed-in user, or on an API request the user its token named; null for nobody. */
  static ConsoleUser user(RoutingContext ctx) {
    ConsoleUser byToken = ctx.get(TOKEN_USER);
    if (byToken != null) {
      return byToken;
    }
    Session session = ctx.session();
    return session == null || session.isDestroyed() ? null : session.get(USER);
  }

  private void requireUser(RoutingContext ctx, boolean api) {
    if (user(ctx) != null) {
      ctx.next();
      return;
    }
    String authorization = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
    if (api
        && authorization != null
        && authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
      byToken(ctx, authorization.substring(BEARER.length()).strip());
      return;
    }
    if (api) {
      json(ctx, 401, new JsonObject().put("error", "sign in first: POST /login"));
    } else {
      redirect(ctx, "/login");
    }
  }

  /**
   * Lets an API request on as the user whose token it carries. A wrong token is a failed sign-in:
   * 401, a console event refused, counted by address in the sign-in throttle (429 once it is full,
   * which raises the sign-in alert). The users file is read afresh, off the event loop, so that a
   * new or revoked token needs no restart.
   */
  private void byToken(RoutingContext ctx, String token) {
    AdminNote note = AdminNote.of(ctx);
    String address = ctx.request().remoteAddress().hostAddress();
    Optional<String> refused = throttle.refusal(address);
    if (refused.isPresent()) {
      note.consoleEvent().deny(refused.get());
      json(ctx, 429, new JsonObject().put("error", "too many failed sign-ins; try again later"));
      return;
    }
    vertx
        .executeBlocking(() -> ConsoleUsers.load(sources.users()).byToken(token), false)
        .onComplete(
            checked -> {
              if (checked.failed()) {
                LOG.error(
                    "console API token refused: the users file cannot be used:\n{}",
                    checked.cause().getMessage());
              }
              Optional<ConsoleUser> user =
                  checked.succeeded() ? checked.result() : Optional.empty();
              if (user.isEmpty()) {
                note.consoleEvent().deny(throttle.failed(address).orElse(WRONG_TOKEN));
                ctx.response().putHeader("WWW-Authenticate", "Bearer");
                json(ctx, 401, new JsonObject().put("error", WRONG_TOKEN));
                return;
              }
              ctx.put(TOKEN_USER, user.get());
              note.user(user.get().name()).reason("API token");
              ctx.next();
            });
  }

  void requireAdmin(RoutingContext ctx, boolean api) {
    if (user(ctx).role() == Role.ADMIN) {
      ctx.next();
      return;
    }
    AdminNote.of(ctx)
        .deny("console page for admins only; signed in as " + user(ctx).role().wireName());
    if (api) {
      json(ctx, 403, new JsonObject().put("error", "for the gateway's administrators only"));
      return;
    }
    Map<String, Object> model = model(ctx, "Not allowed", "");
    model.put("heading", "Not allowed");
    model.put("message", "This page is for the gateway's administrators.");
    html(ctx, 403, "error", model);
  }

  private void loginForm(RoutingContext ctx) {
    if (user(ctx) != null) {
      redirect(ctx, "/");
      return;
    }
    html(ctx, 200, "login", loginModel(ctx, null, ""));
  }

  private void signIn(RoutingContext ctx) {
    AdminNote note = AdminNote.of(ctx);
    String name = form(ctx, "username").strip();
    char[] password = form(ctx, "password").toCharArray();
    String address = ctx.request().remoteAddress().hostAddress();
    note.user(name);
    Optional<String> refused = throttle.refusal(name, address);
    if (refused.isPresent()) {
      Arrays.fill(password, '\0');
      note.deny(refused.get());
      html(ctx, 429, "login", loginModel(ctx, "Too many failed sign-ins. Try again later.", name));
      return;
    }
    vertx
        // Unordered: one slow bcrypt check does not hold up another client's on the worker pool.
        .executeBlocking(() -> authenticate(name, password), false)
        .onComplete(
            checked -> {
              Arrays.fill(password, '\0');
              if (checked.failed()) {
                // Refused like a wrong password, but the administrator learns why.
                LOG.error("console sign-in check failed", checked.cause());
              }
              Optional<ConsoleUser> user =
                  checked.succeeded() ? checked.result() : Optional.empty();
              if (user.isEmpty()) {
                note.deny(throttle.failed(name, address).orElse(WRONG));
                html(ctx, 401, "login", loginModel(ctx, "Wrong user name or password.", name));
                return;
              }
              Session session = ctx.session().regenerateId();
              session.put(USER, user.get());
              session.put(SIGNED_IN, System.currentTimeMillis());
              note.user(user.get().name()).reason("signed in as " + user.get().role().wireName());
              redirect(ctx, "/");
            });
  }

  /** Reads the users file afresh, so that {@code patchgate user add} needs no restart. */
  private Optional<ConsoleUser> authenticate(String name, char[] password) {
    try {
      return ConsoleUsers.load(sources.users()).authenticate(name, password);
    } catch (ConsoleUsersException e) {
      LOG.error("console sign-in refused: the users file cannot be used:\n{}", e.getMessage());
      return Optional.empty();
    }
  }

  private void signOut(RoutingContext ctx) {
    AdminNote.of(ctx).reason(user(ctx) == null ? "sign-out without a session" : "signed out");
    if (ctx.session() != null) {
      ctx.session().destroy();
    }
    redirect(ctx, "/login");
  }

  private OverviewFigures figures() {
    return OverviewFigures.read(
        sources.registry(),
        sources.allowlistLoaded().get(),
        sources.allowlistProblems().get(),
        sources.readinessProblems().get());
  }

  private void apiStatus(RoutingContext ctx) {
    json(
        ctx,
        200,
        figures()
            .toJson()
            .put("per_minute", TrafficChart.json(sources.perMinute().lastHour()))
            .put("alerts", ActiveAlerts.json(activeAlerts())));
  }

  private List<RecentAlerts.Entry> activeAlerts() {
    return ActiveAlerts.read(sources.alerts(), Instant.now());
  }

  /** The Overview for an admin; for a vendor, what they may see. */
  private void home(RoutingContext ctx) {
    if (user(ctx).role() == Role.ADMIN) {
      overview(ctx);
      return;
    }
    Map<String, Object> model = model(ctx, "Your systems", "home");
    model.put("entries", String.join(", ", user(ctx).entries()));
    model.put("groups", String.join(", ", user(ctx).groups()));
    html(ctx, 200, "vendor", model);
  }

  private void overview(RoutingContext ctx) {
    OverviewFigures figures = figures();
    Map<String, Object> model = model(ctx, "Overview", "overview");
    model.put("figures", shown(figures));
    model.put("problems", figures.readinessProblems());
    model.put("allowlistProblems", figures.allowlistProblems());
    model.put("chart", TrafficChart.of(sources.perMinute().lastHour()).model());
    model.put("alerting", sources.alerts().isPresent());
    model.put("alerts", ActiveAlerts.rows(activeAlerts()));
    html(ctx, 200, "overview", model);
  }

  /** The figures as the pages show them. */
  static Map<String, String> shown(OverviewFigures f) {
    Map<String, String> shown = new HashMap<>();
    DecimalFormat count = new DecimalFormat("#,##0");
    shown.put("allowed", count.format(f.allowed()));
    shown.put("denied", count.format(f.denied()));
    shown.put("errors", count.format(f.errors()));
    shown.put("hits", count.format(f.mirrorHits()));
    shown.put("misses", count.format(f.mirrorMisses()));
    shown.put(
        "hitRatio",
        f.hitRatio() < 0 ? "no mirrorable answer yet" : Math.round(f.hitRatio() * 100) + " %");
    shown.put("served", ByteSize.human(f.mirrorServedBytes()));
    shown.put("connections", count.format(f.connections()));
    shown.put("tunnels", count.format(f.tunnels()));
    shown.put("upstreamErrors", count.format(f.upstreamErrors()));
    shown.put("audit", f.auditHealthy() ? "written" : "NOT being written");
    shown.put("auditClass", f.auditHealthy() ? "ok" : "bad");
    shown.put(
        "allowlist", f.allowlistValid() ? "valid" : "edit rejected; the previous policy answers");
    shown.put("allowlistClass", f.allowlistValid() ? "ok" : "bad");
    shown.put("allowlistLoaded", WHEN.format(f.allowlistLoaded()));
    return shown;
  }

  private void downloads(RoutingContext ctx, boolean api) {
    read(
        ctx,
        api,
        (filters, scope) -> audit.downloads(filters, scope, AuditData.DEFAULT_ROWS),
        ReportViews::downloadsJson,
        (params, page) -> {
          Map<String, Object> model =
              reportModel(ctx, "Downloads", "downloads", params, DOWNLOAD_FILTERS, page.period());
          model.put("rows", ReportViews.downloadRows(page));
          model.put("more", page.more());
          model.put("kbSources", page.kbSources());
          model.put("coverage", page.coverage().map(ReviewViews::coverage).orElse(null));
          html(ctx, 200, "downloads", model);
        });
  }

  private void denied(RoutingContext ctx, boolean api) {
    read(
        ctx,
        api,
        (filters, scope) ->
            audit.denied(filters, scope, sources.allowlist().get(), AuditData.DEFAULT_ROWS),
        ReportViews::deniedJson,
        (params, page) -> {
          Map<String, Object> model =
              reportModel(ctx, "Denied", "denied", params, DENIED_FILTERS, page.period());
          model.put("rows", ReportViews.deniedRows(page));
          model.put("more", page.more());
          html(ctx, 200, "denied", model);
        });
  }

  private void audit(RoutingContext ctx, boolean api) {
    read(
        ctx,
        api,
        audit::search,
        ReportViews::auditJson,
        (params, page) -> {
          Map<String, Object> model =
              reportModel(ctx, "Audit search", "audit", params, Filters.NAMES, page.period());
          model.put("rows", ReportViews.auditRows(page));
          model.put("total", page.total());
          model.put(
              "first", page.rows().isEmpty() ? 0 : (long) (page.page() - 1) * page.limit() + 1);
          model.put("last", (long) (page.page() - 1) * page.limit() + page.rows().size());
          model.put("newer", page.page() > 1 ? ReportViews.withPage(params, page.page() - 1) : "");
          model.put("older", page.more() ? ReportViews.withPage(params, page.page() + 1) : "");
          model.put("chain", ReportViews.chain(page.chain()));
          model.put("chainClass", page.chain().state() == ChainStatus.State.BROKEN ? "bad" : "ok");
          model.put("chainChecked", ReportViews.checkedAt(page.chain().checkedAt()));
          html(ctx, 200, "audit", model);
        });
  }

  /** What a report page's template needs besides its rows: the filter form and the period read. */
  private Map<String, Object> reportModel(
      RoutingContext ctx,
      String title,
      String name,
      Map<String, String> params,
      List<String> filters,
      Period period) {
    Map<String, Object> model = model(ctx, title, name);
    model.put("f", ReportViews.form(params, filters));
    model.put("period", ReportViews.period(period));
    model.put("incomplete", ReportViews.incomplete(period));
    model.put("exports", ExportPages.links(name, params));
    return model;
  }

  /**
   * Reads the audit log for one page or API answer off the event loop (a week of records takes
   * seconds), and answers with {@code json} for the API or with {@code page} for a page. A filter
   * outside the user's scope is answered 403 and recorded as a denial; a filter that is not valid,
   * 400 with what is wrong.
   */
  <T> void read(
      RoutingContext ctx,
      boolean api,
      BiFunction<Filters, Scope, T> read,
      Function<T, JsonObject> json,
      BiConsumer<Map<String, String>, T> page) {
    readParams(
        ctx,
        api,
        (params, scope) -> read.apply(Filters.parse(params, Clock.systemUTC()), scope),
        json,
        page);
  }

  /**
   * As {@link #read}, for a source that reads the query parameters itself (filters other than
   * {@link Filters}').
   */
  <T> void readParams(
      RoutingContext ctx,
      boolean api,
      BiFunction<Map<String, String>, Scope, T> read,
      Function<T, JsonObject> json,
      BiConsumer<Map<String, String>, T> page) {
    Map<String, String> params = new LinkedHashMap<>();
    ctx.queryParams().forEach(e -> params.putIfAbsent(e.getKey(), e.getValue()));
    Scope scope = scope(ctx);
    offLoop(
        ctx,
        api,
        () -> read.apply(params, scope),
        result -> {
          if (api) {
            json(ctx, 200, json.apply(result));
          } else {
            page.accept(params, result);
          }
        });
  }

  /**
   * Runs {@code work} off the event loop and hands its result to {@code answer} back on it. Out of
   * the user's scope: 403, recorded as a denial; a value that is not valid: 400 with what is wrong;
   * anything else fails the request.
   */
  <T> void offLoop(RoutingContext ctx, boolean api, Callable<T> work, Consumer<T> answer) {
    reads
        .executeBlocking(work, false)
        .onComplete(
            done -> {
              if (done.succeeded()) {
                answer.accept(done.result());
              } else if (done.cause() instanceof OutOfScopeException e) {
                AdminNote.of(ctx).deny(e.getMessage());
                problem(ctx, api, 403, "Not allowed", e.getMessage());
              } else if (done.cause() instanceof BadFilterException e) {
                problem(ctx, api, 400, "Filter not valid", e.getMessage());
              } else {
                ctx.fail(done.cause());
              }
            });
  }

  void problem(RoutingContext ctx, boolean api, int status, String heading, String why) {
    if (api) {
      json(ctx, status, new JsonObject().put("error", why));
      return;
    }
    Map<String, Object> model = model(ctx, heading, "");
    model.put("heading", heading);
    model.put("message", why);
    html(ctx, status, "error", model);
  }

  /** The signed-in user's scope, with client groups as the allowlist in force defines them. */
  Scope scope(RoutingContext ctx) {
    return Scope.of(user(ctx), sources.allowlist().get());
  }

  /**
   * Which files name KB numbers, as {@code audit report patches} reads them, from the allowlist in
   * force.
   */
  private static KbSources kbSources(Allowlist allowlist) {
    KbFilePolicy policy = KbFilePolicy.of(allowlist);
    List<String> entries = policy.kbFileEntries();
    return KbSources.of(
        "files from the hosts of the profiles "
            + String.join(", ", KbFilePolicy.MICROSOFT_PROFILES)
            + (entries.isEmpty()
                ? ""
                : " and from the entries with kb-files = true: " + String.join(", ", entries)),
        policy::mayNameKb);
  }

  private Map<String, Object> loginModel(RoutingContext ctx, String message, String username) {
    Map<String, Object> model = model(ctx, "Sign in", "login");
    model.put("message", message);
    model.put("username", username);
    return model;
  }

  /** What every page's layout needs. */
  Map<String, Object> model(RoutingContext ctx, String title, String page) {
    ConsoleUser user = user(ctx);
    Map<String, Object> model = new HashMap<>();
    model.put("title", title);
    model.put("page", page);
    model.put("gateway", sources.gateway());
    model.put("user", user == null ? null : user.name());
    model.put("role", user == null ? null : user.role().wireName());
    model.put("csrf", ctx.get(CSRF_FIELD));
    return model;
  }

  void html(RoutingContext ctx, int status, String template, Map<String, Object> model) {
    String body;
    try {
      body = pages.render(template, model);
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/html; charset=utf-8")
        .end(body);
  }

  private static void json(RoutingContext ctx, int status, JsonObject body) {
    ctx.response()
        .setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, "application/json")
        .end(body.encode());
  }

  private static void redirect(RoutingContext ctx, String location) {
    HttpServerResponse response = ctx.response();
    response.setStatusCode(303).putHeader(HttpHeaders.LOCATION, location).end();
  }

  static String form(RoutingContext ctx, String name) {
    String value = ctx.request().getFormAttribute(name);
    return value == null ? "" : value;
  }

  private static String secret() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return Base64.getEncoder().encodeToString(bytes);
  }

  static byte[] resource(String name) {
    try (InputStream in = ConsoleRoutes.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException(name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
