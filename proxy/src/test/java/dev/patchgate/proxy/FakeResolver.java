package dev.patchgate.proxy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers from a table instead of DNS; IP literals resolve to themselves; counts lookups. */
final class FakeResolver implements UpstreamResolver {
  private final Map<String, InetAddress> names = new ConcurrentHashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();

  FakeResolver answer(String host, String address) {
    try {
      names.put(host, InetAddress.getByName(address));
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException(address, e);
    }
    return this;
  }

  int lookups() {
    return lookups.get();
  }

  @Override
  public InetAddress resolve(String host) throws UnknownHostException {
    lookups.incrementAndGet();
    InetAddress answer = names.get(host);
    if (answer != null) {
      return answer;
    }
    if (host.chars()
            .allMatch(c -> Character.isDigit(c) || c == '.' || c == ':' || (c >= 'a' && c <= 'f'))
        && (host.contains(".") || host.contains(":"))) {
      return InetAddress.getByName(host);
    }
    throw new UnknownHostException(host);
  }
}
