package dev.patchgate.proxy.console;

import dev.patchgate.audit.alert.RecentAlerts;
import dev.patchgate.audit.text.DisplayText;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Overview's active alerts: those the alert channels were given within the last {@link
 * #ACTIVE}, newest first, at most {@value #SHOWN}. Read from the dispatcher's {@link RecentAlerts},
 * so the page shows what the channels sent and sends nothing itself.
 */
final class ActiveAlerts {
  static final Duration ACTIVE = Duration.ofHours(1);
  static final int SHOWN = 20;

  /** The widest a shown alert text gets; the whole text is in the row's {@code title}. */
  static final int WIDTH = 110;

  private static final DateTimeFormatter WHEN =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

  private ActiveAlerts() {}

  static List<RecentAlerts.Entry> read(Optional<RecentAlerts> recent, Instant now) {
    return recent.map(r -> r.active(now, ACTIVE, SHOWN)).orElse(List.of());
  }

  /** The rows as the template prints them: raw text, which Pebble escapes. */
  static List<Map<String, Object>> rows(List<RecentAlerts.Entry> active) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (RecentAlerts.Entry e : active) {
      String text = DisplayText.clean(e.text());
      Map<String, Object> row = new HashMap<>();
      row.put("kind", e.kind().wireName());
      row.put("text", DisplayText.shortUrl(text, WIDTH));
      row.put("whole", text);
      row.put("first", WHEN.format(e.first()));
      row.put("last", WHEN.format(e.last()));
      row.put("count", e.count());
      rows.add(row);
    }
    return rows;
  }

  /** {@code /api/status}'s {@code alerts}. */
  static JsonArray json(List<RecentAlerts.Entry> active) {
    JsonArray alerts = new JsonArray();
    for (RecentAlerts.Entry e : active) {
      alerts.add(
          new JsonObject()
              .put("kind", e.kind().wireName())
              .put("client", e.client())
              .put("host", e.host())
              .put("text", e.text())
              .put("first", e.first().toString())
              .put("last", e.last().toString())
              .put("count", e.count()));
    }
    return alerts;
  }
}
