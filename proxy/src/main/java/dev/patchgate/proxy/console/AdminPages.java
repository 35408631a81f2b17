package dev.patchgate.proxy.console;

import dev.patchgate.allowlist.EntryView;
import dev.patchgate.allowlist.Problem;
import dev.patchgate.allowlist.Profile;
import dev.patchgate.allowlist.ProfileHost;
import dev.patchgate.audit.text.ByteSize;
import dev.patchgate.proxy.admin.AdminNote;
import dev.patchgate.proxy.console.data.AllowlistData;
import dev.patchgate.proxy.console.data.AllowlistView;
import dev.patchgate.proxy.console.data.BadFilterException;
import dev.patchgate.proxy.console.data.Explained;
import dev.patchgate.proxy.console.data.MirrorData;
import dev.patchgate.proxy.console.data.MirrorObject;
import dev.patchgate.proxy.console.data.MirrorView;
import dev.patchgate.proxy.console.data.Purged;
import dev.patchgate.proxy.console.data.Scope;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.text.DecimalFormat;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The administrator's Allowlist and Mirror pages: what the policy in force says and why (the
 * explain form), and what the mirror holds, with a purge by URL prefix.
 *
 * <p>Only admins get here: the routes refuse a vendor with 403 and a {@code deny} record, and the
 * data layer refuses a vendor's scope again. The purge is the console's one action that changes the
 * gateway; like every POST it passed the CSRF check before it gets here, and its audit record says
 * what it removed. The console never writes the allowlist: the page shows the file and how to test
 * an edit, the administrator edits the file.
 */
final class AdminPages {
  /** The most mirror objects one page lists; a hospital's mirror holds a few thousand. */
  static final int MIRROR_ROWS = 1000;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
  private static final List<String> METHODS = List.of("GET", "HEAD", "CONNECT");

  private final ConsoleRoutes routes;
  private final AllowlistData allowlist;
  private final Optional<MirrorData> mirror;

  AdminPages(ConsoleRoutes routes, ConsoleRoutes.Sources sources) {
    this.routes = routes;
    this.allowlist =
        new AllowlistData(
            sources.allowlist(),
            sources.allowlistFile(),
            () -> Optional.of(sources.allowlistLoaded().get()),
            Clock.systemUTC());
    this.mirror = sources.mirror();
  }

  void mountOn(Router router) {
    for (String path : List.of("/allowlist", "/allowlist/*", "/mirror", "/mirror/*")) {
      router.route(path).handler(ctx -> routes.requireAdmin(ctx, false));
    }
    router.get("/allowlist").handler(ctx -> allowlist(ctx, false));
    router.get("/allowlist/explain").handler(ctx -> allowlist(ctx, true));
    router.get("/mirror").handler(this::mirror);
    router.post("/mirror/purge").handler(this::purge);
  }

  /** The page, and with {@code explain} the explain form's answer at its top. */
  private void allowlist(RoutingContext ctx, boolean explain) {
    Scope scope = routes.scope(ctx);
    String method = query(ctx, "method");
    String url = query(ctx, "url");
    String client = query(ctx, "client");
    routes.offLoop(
        ctx,
        false,
        () -> {
          AllowlistView view = allowlist.view(scope);
          if (!explain) {
            return new AllowlistAnswer(view, null, "");
          }
          try {
            return new AllowlistAnswer(view, allowlist.explain(method, url, client, scope), "");
          } catch (BadFilterException e) {
            return new AllowlistAnswer(view, null, e.getMessage());
          }
        },
        answer -> {
          Map<String, Object> model = routes.model(ctx, "Allowlist", "allowlist");
          AllowlistView view = answer.view();
          model.put("file", view.file().toAbsolutePath().toString());
          model.put("valid", view.valid());
          model.put("lastReload", view.lastReload().map(WHEN::format).orElse("not since start"));
          model.put("problems", view.problems().stream().map(AdminPages::problem).toList());
          model.put("entries", view.entries().stream().map(AdminPages::entry).toList());
          model.put(
              "groups",
              view.clientGroups().entrySet().stream()
                  .map(g -> Map.of("name", g.getKey(), "ranges", String.join(", ", g.getValue())))
                  .toList());
          model.put("profiles", view.profiles().stream().map(AdminPages::profile).toList());
          model.put("methods", METHODS);
          model.put("method", method.isBlank() ? "GET" : method.toUpperCase(Locale.ROOT));
          model.put("url", url);
          model.put("client", client);
          model.put("explainError", answer.explainError());
          Explained explained = answer.explained();
          model.put("explained", explained != null);
          model.put("allowed", explained != null && explained.allowed());
          model.put("lines", explained == null ? List.of() : explained.lines());
          routes.html(ctx, answer.explainError().isEmpty() ? 200 : 400, "allowlist", model);
        });
  }

  private record AllowlistAnswer(AllowlistView view, Explained explained, String explainError) {}

  private void mirror(RoutingContext ctx) {
    if (mirror.isEmpty()) {
      routes.html(ctx, 200, "mirror", mirrorModel(ctx, null, null));
      return;
    }
    Scope scope = routes.scope(ctx);
    routes.offLoop(
        ctx,
        false,
        () -> mirror.get().objects(scope, MIRROR_ROWS),
        view -> routes.html(ctx, 200, "mirror", mirrorModel(ctx, view, null)));
  }

  /**
   * Removes what the mirror holds under the form's {@code prefix}, and answers the Mirror page with
   * what went. A request then misses and fills again from upstream.
   */
  private void purge(RoutingContext ctx) {
    if (mirror.isEmpty()) {
      routes.problem(
          ctx,
          false,
          400,
          "Nothing to purge",
          "The mirror is off (patchgate.mirror.enabled = false): nothing is stored.");
      return;
    }
    Scope scope = routes.scope(ctx);
    String prefix = ConsoleRoutes.form(ctx, "prefix").strip();
    routes.offLoop(
        ctx,
        false,
        () -> {
          try {
            Purged purged = mirror.get().purge(prefix, scope);
            return new PurgeAnswer(purged, mirror.get().objects(scope, MIRROR_ROWS), "");
          } catch (BadFilterException e) {
            return new PurgeAnswer(null, mirror.get().objects(scope, MIRROR_ROWS), e.getMessage());
          }
        },
        answer -> {
          Map<String, Object> model = mirrorModel(ctx, answer.view(), answer.purged());
          model.put("prefix", prefix);
          model.put("purgeError", answer.error());
          if (answer.purged() != null) {
            AdminNote.of(ctx).reason(purgedReason(answer.purged()));
          } else {
            AdminNote.of(ctx).reason("purge refused: " + answer.error());
          }
          routes.html(ctx, answer.error().isEmpty() ? 200 : 400, "mirror", model);
        });
  }

  private record PurgeAnswer(Purged purged, MirrorView view, String error) {}

  /** {@code purged 3 objects (12.0 MiB) under http://vendor.example:80/old/}. */
  static String purgedReason(Purged p) {
    return "purged "
        + p.count()
        + (p.count() == 1 ? " object (" : " objects (")
        + ByteSize.human(p.bytes())
        + ") under "
        + p.prefix();
  }

  private Map<String, Object> mirrorModel(RoutingContext ctx, MirrorView view, Purged purged) {
    Map<String, Object> model = routes.model(ctx, "Mirror", "mirror");
    DecimalFormat count = new DecimalFormat("#,##0");
    model.put("mirrorOn", view != null);
    model.put("prefix", "");
    model.put("purgeError", "");
    model.put("purged", purged != null);
    model.put("purgedSummary", purged == null ? "" : purgedReason(purged));
    model.put(
        "removed",
        purged == null ? List.of() : purged.objects().stream().map(AdminPages::row).toList());
    model.put(
        "rows", view == null ? List.of() : view.objects().stream().map(AdminPages::row).toList());
    model.put("more", view != null && view.more());
    model.put("objectCount", view == null ? "" : count.format(view.objectCount()));
    model.put("stored", view == null ? "" : ByteSize.human(view.storedBytes()));
    model.put(
        "max",
        view == null || view.maxSizeBytes() < 0
            ? "not known"
            : ByteSize.human(view.maxSizeBytes()));
    model.put(
        "free",
        view == null || view.freeBytes() < 0 ? "not known" : ByteSize.human(view.freeBytes()));
    return model;
  }

  private static Map<String, Object> row(MirrorObject o) {
    Map<String, Object> row = new HashMap<>();
    row.put("url", o.url());
    row.put("shortUrl", o.shortUrl());
    row.put("size", ByteSize.human(o.size()));
    row.put("storedAt", WHEN.format(o.storedAt()));
    row.put("hits", new DecimalFormat("#,##0").format(o.hits()));
    row.put("lastUse", o.lastUse().map(WHEN::format).orElse("never"));
    return row;
  }

  private static Map<String, Object> problem(Problem p) {
    return Map.of("where", p.file() + ":" + p.line(), "message", p.message());
  }

  private static Map<String, Object> entry(EntryView e) {
    Map<String, Object> entry = new HashMap<>();
    entry.put("name", e.name());
    entry.put("line", e.line());
    entry.put("hosts", e.hosts());
    entry.put(
        "clients",
        e.clients().isEmpty() ? "every registered client" : String.join(", ", e.clients()));
    entry.put("paths", e.paths().isEmpty() ? "any path" : e.paths());
    entry.put("schedule", e.schedule().isEmpty() ? "any time" : e.schedule());
    entry.put(
        "mode", (e.report() ? "report only" : "enforced") + (e.kbFiles() ? ", names KBs" : ""));
    return entry;
  }

  private static Map<String, Object> profile(Profile p) {
    return Map.of(
        "name",
        p.name(),
        "title",
        p.title(),
        "verified",
        p.lastVerified(),
        "hosts",
        p.allRules().stream().map(AdminPages::profileHost).toList());
  }

  private static String profileHost(ProfileHost h) {
    return h.pattern()
        + " "
        + h.scheme().name().toLowerCase(Locale.ROOT)
        + ":"
        + h.port()
        + (h.paths().isEmpty() ? "" : " " + String.join(" ", h.paths()))
        + " ("
        + h.purpose()
        + ")";
  }

  private static String query(RoutingContext ctx, String name) {
    String value = ctx.request().getParam(name);
    return value == null ? "" : value;
  }
}
