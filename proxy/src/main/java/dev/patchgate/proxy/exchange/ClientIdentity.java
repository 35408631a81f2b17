package dev.patchgate.proxy.exchange;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Whom a request is from, as the gateway decides, rate-limits and records it: the PC, and the
 * trusted downstream gateway that relayed it, if one did. The request path's {@code ForwardedFor}
 * makes it; the {@link Exchange} keeps it for the record.
 *
 * @param client the PC: the address a trusted downstream named in {@code X-Forwarded-For} or {@code
 *     Forwarded}; otherwise the TCP peer itself
 * @param via the trusted downstream (the TCP peer) that relayed the request, or {@code null} when
 *     the request came straight from {@code client}
 * @param chain the addresses this gateway believes of the header, from {@code client} to the hop
 *     just before {@code via}; empty when {@code via} is {@code null}. Immutable.
 * @param fault why a trusted downstream's header was ignored (a fixed phrase of the request path's
 *     {@code ForwardedFor}), or {@code null}
 *     <p>Public for the request path, which makes it, and the parent-proxy path, which hands the
 *     chain on.
 */
public record ClientIdentity(
    InetAddress client, InetAddress via, List<InetAddress> chain, String fault) {

  public ClientIdentity {
    Objects.requireNonNull(client, "client");
    chain = List.copyOf(chain);
  }

  /** A request straight from {@code peer}: no downstream relayed it, or none that is trusted. */
  public static ClientIdentity direct(InetAddress peer) {
    return new ClientIdentity(peer, null, List.of(), null);
  }

  /** A trusted downstream's header that could not be used: the peer stands for the client. */
  public static ClientIdentity ignored(InetAddress peer, String fault) {
    return new ClientIdentity(peer, null, List.of(), fault);
  }

  /**
   * The {@code X-Forwarded-For} value this gateway sends to a parent proxy: the chain it believes,
   * then its own peer (the PC itself, or the downstream gateway that relayed the request). What an
   * untrusted peer claimed is never in it.
   */
  public String forwardedForParent() {
    List<InetAddress> hops = new ArrayList<>(chain);
    hops.add(via != null ? via : client);
    return hops.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "));
  }
}
