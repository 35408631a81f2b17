package dev.patchgate.audit.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Turns a stream of alert events into few alerts: per kind, client and host, the first event is
 * sent at once, and further ones within the window are counted and sent as one summary when the
 * window closes.
 *
 * <p>A window closes on a {@link #tick} at or after its end, so a burst's count is reported even if
 * nothing follows it. A window that closes with a count is followed by a quiet one: while the same
 * thing keeps happening, one summary per window goes out, not another first alert. A window that
 * closes with nothing counted is forgotten. At most {@code maxKeys} windows are kept; events beyond
 * that are counted in one window per kind with client and host {@value #ANY}, so a scan over
 * thousands of hosts neither floods the channels nor goes unreported.
 *
 * <p>An event may stand for several occurrences (a summary audit record's {@code count}): the first
 * of them is the first alert when a window opens, and the rest are counted in the window, so the
 * alerts' counts add up to every occurrence.
 *
 * <p>Pure: time is passed in, nothing is sent from here. Not thread-safe (the dispatcher's thread
 * owns it).
 */
final class AlertDeduplicator {
  /** Client and host of the windows that take events beyond the key limit. */
  static final String ANY = "*";

  private final Duration window;
  private final int maxKeys;
  private final Map<Key, Window> windows = new LinkedHashMap<>();

  AlertDeduplicator(Duration window, int maxKeys) {
    this.window = Objects.requireNonNull(window, "window");
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
    this.maxKeys = maxKeys;
  }

  /** Takes one event at {@code now}; returns the alerts to send now (closed windows first). */
  List<Alert> offer(AlertEvent event, Instant now) {
    List<Alert> out = tick(now);
    Key key = new Key(event.kind(), event.client(), event.host());
    Window open = windows.get(key);
    if (open == null && windows.size() >= maxKeys) {
      key = new Key(event.kind(), ANY, ANY);
      open = windows.get(key);
      if (open == null) {
        // The overflow window opens counting: its first event is no more telling than the rest.
        windows.put(
            key,
            new Window(now, event.count(), "more distinct clients and hosts than can be listed"));
        return out;
      }
    }
    if (open == null) {
      windows.put(key, new Window(now, event.count() - 1, event.detail()));
      out.add(
          new Alert(
              event.kind(), event.client(), event.host(), event.detail(), now, 1, false, window));
    } else {
      open.count += event.count();
    }
    return out;
  }

  /** Closes the windows that ended by {@code now}; returns their summaries. */
  List<Alert> tick(Instant now) {
    List<Alert> out = new ArrayList<>();
    for (Iterator<Map.Entry<Key, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<Key, Window> e = it.next();
      Window w = e.getValue();
      Instant end = w.start.plus(window);
      if (now.isBefore(end)) {
        continue;
      }
      if (w.count == 0) {
        it.remove();
        continue;
      }
      out.add(summary(e.getKey(), w, end));
      w.start = end.isBefore(now.minus(window)) ? now : end;
      w.count = 0;
    }
    return out;
  }

  /**
   * Closes every window at once (the gateway is stopping); returns the summaries of those with a
   * count.
   */
  List<Alert> flush(Instant now) {
    List<Alert> out = new ArrayList<>();
    windows.forEach(
        (key, w) -> {
          if (w.count > 0) {
            out.add(summary(key, w, now));
          }
        });
    windows.clear();
    return out;
  }

  /** How many windows are open. */
  int openWindows() {
    return windows.size();
  }

  private Alert summary(Key key, Window w, Instant at) {
    return new Alert(key.kind(), key.client(), key.host(), w.detail, at, w.count, true, window);
  }

  private record Key(AlertKind kind, String client, String host) {}

  private static final class Window {
    private Instant start;
    private long count;
    private final String detail;

    Window(Instant start, long count, String detail) {
      this.start = start;
      this.count = count;
      this.detail = detail;
    }
  }
}
