package dev.patchgate.proxy;

import dev.patchgate.proxy.upstream.UpstreamResolver;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Answers from a table instead of DNS, and counts lookups. A name can be given a sequence of
 * answers (DNS rebinding: the first lookup gets one address, later ones another), or be held
 * unanswered until the test releases it (a slow DNS server).
 */
final class FakeResolver implements UpstreamResolver {
  private final Map<String, Deque<List<InetAddress>>> answers = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> stalled = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  /** {@code host} resolves to {@code addresses}, every time (after any earlier queued answers). */
  FakeResolver answer(String host, String... addresses) {
    answers.computeIfAbsent(host, h -> new ArrayDeque<>()).addLast(parse(addresses));
    return this;
  }

  /** From now on {@code host} has no address, as when the network is cut off. */
  void forget(String host) {
    answers.remove(host);
  }

  /** Lookups of {@code host} stay unanswered until {@link #release}. */
  FakeResolver stall(String host) {
    stalled.put(host, new CompletableFuture<>());
    return this;
  }

  void release(String host) {
    stalled.get(host).complete(null);
  }

  int lookups() {
    return lookups.get();
  }

  @Override
  public CompletableFuture<List<InetAddress>> resolve(String host) {
    lookups.incrementAndGet();
    CompletableFuture<Void> gate =
        stalled.getOrDefault(host, CompletableFuture.completedFuture(null));
    return gate.thenCompose(ignored -> answerFor(host));
  }

  private CompletableFuture<List<InetAddress>> answerFor(String host) {
    Deque<List<InetAddress>> queue = answers.get(host);
    if (queue == null) {
      return CompletableFuture.failedFuture(new UnknownHostException(host));
    }
    synchronized (queue) {
      // The last answer stays: a name keeps resolving to it.
      return CompletableFuture.completedFuture(
          queue.size() > 1 ? queue.pollFirst() : queue.peekFirst());
    }
  }

  private static List<InetAddress> parse(String... addresses) {
    try {
      InetAddress[] parsed = new InetAddress[addresses.length];
      for (int i = 0; i < addresses.length; i++) {
        parsed[i] = InetAddress.getByName(addresses[i]);
      }
      return List.of(parsed);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(String.join(",", addresses), e);
    }
  }
}
