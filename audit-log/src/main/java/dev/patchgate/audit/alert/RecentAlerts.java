package dev.patchgate.audit.alert;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The alerts the channels were given lately, for the console's Overview: one entry per kind, client
 * and host, with when it was first and last raised and how many occurrences its alerts counted.
 *
 * <p>It records what the {@link AlertDispatcher} already sent (after deduplication), so the console
 * shows the channels' alerts and never becomes a channel of its own. Memory is bounded: at most
 * {@value #MAX_KEPT} entries, the one raised longest ago going first. In memory only: a restart
 * empties it. Thread-safe.
 */
public final class RecentAlerts {
  /** How many entries are kept at most. */
  public static final int MAX_KEPT = 200;

  private final Map<Key, Entry> entries = new LinkedHashMap<>(16, 0.75f, true);

  /**
   * One thing alerted on.
   *
   * @param kind what happened
   * @param client the client address, or {@code ""}
   * @param host the host, or {@code ""}
   * @param text the latest alert's line for people, as the channels sent it
   * @param first when it was first raised
   * @param last when it was last raised (a summary: when its window closed)
   * @param count occurrences its alerts counted
   */
  public record Entry(
      AlertKind kind,
      String client,
      String host,
      String text,
      Instant first,
      Instant last,
      long count) {}

  private record Key(AlertKind kind, String client, String host) {}

  /** Notes an alert the channels were given. */
  public synchronized void raised(Alert alert) {
    Key key = new Key(alert.kind(), alert.client(), alert.host());
    Entry held = entries.get(key);
    Instant first = held == null || alert.at().isBefore(held.first()) ? alert.at() : held.first();
    Instant last = held == null || alert.at().isAfter(held.last()) ? alert.at() : held.last();
    long count = (held == null ? 0 : held.count()) + alert.count();
    entries.put(
        key,
        new Entry(alert.kind(), alert.client(), alert.host(), alert.text(), first, last, count));
    if (entries.size() > MAX_KEPT) {
      entries.remove(entries.keySet().iterator().next());
    }
  }

  /**
   * The entries last raised within {@code within} before {@code now}, the newest first, at most
   * {@code limit}.
   */
  public synchronized List<Entry> active(Instant now, Duration within, int limit) {
    Instant since = now.minus(within);
    List<Entry> active = new ArrayList<>();
    for (Entry e : entries.values()) {
      if (e.last().isAfter(since)) {
        active.add(e);
      }
    }
    active.sort(Comparator.comparing(Entry::last).reversed());
    return List.copyOf(active.subList(0, Math.min(limit, active.size())));
  }
}
