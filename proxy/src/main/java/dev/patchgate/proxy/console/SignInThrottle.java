package dev.patchgate.proxy.console;

import dev.patchgate.audit.Ticker;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Slows password guessing at the console: after {@value #LIMIT} failed sign-ins within {@link
 * #WINDOW} for one user name, or from one address, further attempts for that name or from that
 * address are refused (429) until the oldest failure leaves the window. Counting both catches one
 * machine trying many names and many machines trying one name.
 *
 * <p>Pure bookkeeping on an injected ticker; thread-safe. Memory is bounded: failures older than
 * the window are forgotten, and at most {@value #MAX_KEYS} names and addresses are tracked (the
 * least recently failed go first).
 */
final class SignInThrottle {
  static final int LIMIT = 5;
  static final Duration WINDOW = Duration.ofMinutes(15);
  static final int MAX_KEYS = 10_000;

  private final Ticker ticker;

  /** Least recently failed first: {@link #add} moves a key to the end, the eldest goes. */
  private final Map<String, Deque<Long>> failures =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Long>> eldest) {
          return size() > MAX_KEYS;
        }
      };

  SignInThrottle(Ticker ticker) {
    this.ticker = ticker;
  }

  /**
   * Why a sign-in for {@code name} from {@code address} is refused without checking the password,
   * or empty when it may be tried.
   */
  synchronized Optional<String> refusal(String name, String address) {
    long now = ticker.read();
    if (full(nameKey(name), now)) {
      return Optional.of(reason("user name"));
    }
    if (full(addressKey(address), now)) {
      return Optional.of(reason("address"));
    }
    return Optional.empty();
  }

  /**
   * Counts a failed sign-in; returns the refusal that now holds (the failure that reached the
   * limit), or empty while below it.
   */
  synchronized Optional<String> failed(String name, String address) {
    long now = ticker.read();
    add(nameKey(name), now);
    add(addressKey(address), now);
    return refusal(name, address);
  }

  /**
   * Why a request with an API token from {@code address} is refused without checking the token, or
   * empty when it may be tried. A token names no user, so only its address is counted; failed
   * sign-ins from that address count too, and the other way round.
   */
  synchronized Optional<String> refusal(String address) {
    return full(addressKey(address), ticker.read())
        ? Optional.of(reason("address"))
        : Optional.empty();
  }

  /** Counts a wrong API token from {@code address}; returns the refusal that now holds, if any. */
  synchronized Optional<String> failed(String address) {
    add(addressKey(address), ticker.read());
    return refusal(address);
  }

  /** How many names and addresses are remembered now. */
  synchronized int tracked() {
    return failures.size();
  }

  static String reason(String what) {
    return "too many failed sign-ins for this "
        + what
        + " ("
        + LIMIT
        + " in "
        + WINDOW.toMinutes()
        + " minutes)";
  }

  private boolean full(String key, long now) {
    Deque<Long> times = failures.get(key);
    if (times == null) {
      return false;
    }
    forgetOld(times, now);
    if (times.isEmpty()) {
      failures.remove(key);
      return false;
    }
    return times.size() >= LIMIT;
  }

  private void add(String key, long now) {
    Deque<Long> times = failures.remove(key);
    if (times == null) {
      times = new ArrayDeque<>();
    }
    forgetOld(times, now);
    times.addLast(now);
    // Only the last LIMIT failures decide; older ones need not be kept.
    while (times.size() > LIMIT) {
      times.removeFirst();
    }
    failures.put(key, times);
  }

  private void forgetOld(Deque<Long> times, long now) {
    long oldest = now - WINDOW.toNanos();
    while (!times.isEmpty() && times.peekFirst() - oldest <= 0) {
      times.removeFirst();
    }
  }

  private static String nameKey(String name) {
    return "name:" + name;
  }

  private static String addressKey(String address) {
    return "addr:" + address;
  }
}
