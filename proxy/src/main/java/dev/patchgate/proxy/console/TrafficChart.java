package dev.patchgate.proxy.console;

import dev.patchgate.proxy.exchange.RequestsPerMinute;
import dev.patchgate.proxy.exchange.RequestsPerMinute.Minute;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.text.DecimalFormat;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * The Overview's chart of the last hour's requests per minute, one line per decision, worked out
 * here so that the template only prints numbers into an inline SVG (no script: the console's CSP
 * allows none inline, and a hospital's browser may have none). Times are UTC, like every console
 * page.
 *
 * @param allow the allowed series' points, {@code "x,y x,y ..."} in the SVG's user units
 * @param deny the denied series' points
 * @param error the errors' series points
 * @param max the y axis' top: a round number at or above the busiest minute of any decision
 * @param xLabels times under the x axis, each {@code x} and {@code text}
 * @param title what the chart shows, for its SVG {@code <title>}
 * @param summary one line under the chart with the hour's totals and its busiest minute
 */
record TrafficChart(
    String allow,
    String deny,
    String error,
    long max,
    List<Map<String, Object>> xLabels,
    String title,
    String summary) {
  static final int WIDTH = 1200;
  static final int HEIGHT = 160;
  static final int LEFT = 48;
  static final int RIGHT = 24;
  static final int TOP = 10;
  static final int BOTTOM = 24;
  private static final DateTimeFormatter HHMM =
      DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

  /** The chart of {@code hour}: {@link RequestsPerMinute#MINUTES} minutes, oldest first. */
  static TrafficChart of(List<Minute> hour) {
    long busiest = 0;
    Minute busiestMinute = null;
    long top = 0;
    long allowed = 0;
    long denied = 0;
    long errors = 0;
    for (Minute m : hour) {
      allowed += m.allow();
      denied += m.deny();
      errors += m.error();
      top = Math.max(top, Math.max(m.allow(), Math.max(m.deny(), m.error())));
      if (m.total() > busiest) {
        busiest = m.total();
        busiestMinute = m;
      }
    }
    long max = roundUp(top);
    List<Map<String, Object>> labels = new ArrayList<>();
    for (int i = 0; i < hour.size(); i += 15) {
      labels.add(label(x(i, hour.size()), HHMM.format(hour.get(i).minute())));
    }
    if (!hour.isEmpty()) {
      labels.add(
          label(x(hour.size() - 1, hour.size()), HHMM.format(hour.get(hour.size() - 1).minute())));
    }
    DecimalFormat count = new DecimalFormat("#,##0");
    String span =
        hour.isEmpty()
            ? ""
            : HHMM.format(hour.get(0).minute())
                + " to "
                + HHMM.format(hour.get(hour.size() - 1).minute())
                + " UTC";
    String summary =
        "last 60 minutes: "
            + count.format(allowed)
            + " allowed, "
            + count.format(denied)
            + " denied, "
            + count.format(errors)
            + (errors == 1 ? " error" : " errors")
            + (busiestMinute == null
                ? "; no requests"
                : "; busiest minute "
                    + HHMM.format(busiestMinute.minute())
                    + " with "
                    + count.format(busiest));
    return new TrafficChart(
        points(hour, max, Minute::allow),
        points(hour, max, Minute::deny),
        points(hour, max, Minute::error),
        max,
        List.copyOf(labels),
        "Requests per minute by decision, " + span,
        summary);
  }

  /** The template's values: geometry, points, axis and labels, all plain numbers and text. */
  Map<String, Object> model() {
    Map<String, Object> model = new HashMap<>();
    model.put("width", WIDTH);
    model.put("height", HEIGHT);
    model.put("left", LEFT);
    model.put("right", WIDTH - RIGHT);
    model.put("top", TOP);
    model.put("bottom", HEIGHT - BOTTOM);
    model.put("middle", TOP + (HEIGHT - BOTTOM - TOP) / 2);
    model.put("labelY", HEIGHT - 6);
    model.put("allow", allow);
    model.put("deny", deny);
    model.put("error", error);
    model.put("max", new DecimalFormat("#,##0").format(max));
    model.put("half", max % 2 == 0 ? new DecimalFormat("#,##0").format(max / 2) : "");
    model.put("xLabels", xLabels);
    model.put("title", title);
    model.put("summary", summary);
    return model;
  }

  /** {@code /api/status}'s {@code per_minute}: every minute of the hour, oldest first. */
  static JsonArray json(List<Minute> hour) {
    JsonArray minutes = new JsonArray();
    for (Minute m : hour) {
      minutes.add(
          new JsonObject()
              .put("minute", m.minute().toString())
              .put("allow", m.allow())
              .put("deny", m.deny())
              .put("error", m.error()));
    }
    return minutes;
  }

  /** 1, 2 or 5 times a power of ten, at or above {@code n}; 1 for a quiet hour. */
  static long roundUp(long n) {
    long step = 1;
    while (true) {
      for (long f : new long[] {1, 2, 5}) {
        if (f * step >= n) {
          return f * step;
        }
      }
      step *= 10;
    }
  }

  private static String points(List<Minute> hour, long max, ToLongFunction<Minute> series) {
    StringBuilder points = new StringBuilder();
    double plot = HEIGHT - BOTTOM - TOP;
    for (int i = 0; i < hour.size(); i++) {
      double y = HEIGHT - BOTTOM - plot * series.applyAsLong(hour.get(i)) / max;
      if (i > 0) {
        points.append(' ');
      }
      points.append(x(i, hour.size())).append(',').append(Math.round(y * 10) / 10.0);
    }
    return points.toString();
  }

  private static long x(int i, int minutes) {
    int span = WIDTH - LEFT - RIGHT;
    return LEFT + (minutes <= 1 ? 0 : Math.round((double) span * i / (minutes - 1)));
  }

  private static Map<String, Object> label(long x, String text) {
    Map<String, Object> label = new HashMap<>();
    label.put("x", x);
    label.put("text", text);
    return label;
  }
}
