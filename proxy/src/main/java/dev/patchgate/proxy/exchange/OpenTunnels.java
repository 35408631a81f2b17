package dev.patchgate.proxy.exchange;

import dev.patchgate.allowlist.Allowlist;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The client connections carrying an open CONNECT tunnel, so that an allowlist reload can close the
 * tunnels it no longer allows. An HTTP request needs no such list: the next one is decided by the
 * new policy anyway. Thread-safe.
 *
 * <p>Public for the gateway's wiring.
 */
public final class OpenTunnels {
  private final Set<ClientSession> sessions = ConcurrentHashMap.newKeySet();

  void opened(ClientSession session) {
    sessions.add(session);
  }

  void closed(ClientSession session) {
    sessions.remove(session);
  }

  /** Asks every open tunnel, on its own event loop, whether {@code next} still allows it. */
  public void policyChanged(Allowlist next) {
    for (ClientSession session : sessions) {
      session.recheckTunnel(next);
    }
  }

  int size() {
    return sessions.size();
  }
}
