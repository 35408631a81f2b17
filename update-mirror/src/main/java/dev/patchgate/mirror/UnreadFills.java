package dev.patchgate.mirror;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * How many fills each client started that are running with nobody reading them: the bound on what
 * one client can make the upstream link carry and the store keep by asking for a byte and leaving.
 *
 * <p>Each fill reports its own transitions (unread, read again, ended) under its lock, so one
 * fill's changes arrive in order; the per-client counts are atomic map updates, cheap enough for
 * the event loops and the disk pool alike. A client with no unread fill has no entry.
 */
final class UnreadFills {
  private final ConcurrentHashMap<String, Integer> byClient = new ConcurrentHashMap<>();
  private final AtomicInteger total = new AtomicInteger();

  /** One more fill started by {@code client} runs with no reader. */
  void add(String client) {
    byClient.merge(client, 1, Integer::sum);
    total.incrementAndGet();
  }

  /**
   * Counts one more unread fill for {@code client} unless it already has {@code max}: the check and
   * the count are one atomic step, so requests racing on several connections cannot all pass.
   */
  boolean tryAdd(String client, int max) {
    boolean[] added = new boolean[1];
    byClient.compute(
        client,
        (k, n) -> {
          int count = n == null ? 0 : n;
          if (count >= max) {
            return n;
          }
          added[0] = true;
          return count + 1;
        });
    if (added[0]) {
      total.incrementAndGet();
    }
    return added[0];
  }

  /** One of {@code client}'s unread fills has a reader again, or has ended. */
  void remove(String client) {
    byClient.computeIfPresent(client, (k, n) -> n <= 1 ? null : n - 1);
    total.decrementAndGet();
  }

  /** The unread fills {@code client} started. */
  int of(String client) {
    return byClient.getOrDefault(client, 0);
  }

  /** The unread fills of all clients, for the gauge. */
  int total() {
    return total.get();
  }
}
