package dev.patchgate.allowlist;

import java.util.List;
import java.util.Set;

/**
 * An entry's conditions besides its hosts and ports, validated, with their defaults filled in.
 *
 * @param schemes the schemes the entry serves; both unless the file lists {@code schemes}
 * @param methods the plain-HTTP methods allowed, a subset of GET and HEAD
 * @param paths the path prefixes plain-HTTP requests must start with; null for any path
 * @param clients the client groups served; null for every registered client
 * @param schedule the weekly windows; null for any time
 * @param addresses ranges the entry's hosts may resolve into although they are not public
 * @param report true for {@code mode = report}
 * @param sniCheck whether the proxy checks a tunnel's TLS SNI against the CONNECT host
 * @param mirror how the update mirror treats the entry's plain-HTTP downloads
 * @param kbFiles {@code kb-files = true}: the patch report may read KB numbers from the names of
 *     the files this entry allows, although its hosts are not Microsoft's
 * @param upstream whether the entry's requests go through the gateway's parent proxies (when it has
 *     any) or straight to the origin
 */
record EntryRules(
    Set<Scheme> schemes,
    Set<String> methods,
    PathPrefixes paths,
    List<String> clients,
    Schedule schedule,
    List<Cidr> addresses,
    boolean report,
    boolean sniCheck,
    MirrorPolicy mirror,
    boolean kbFiles,
    Upstream upstream) {

  /** Copies the collections. */
  EntryRules {
    schemes = Set.copyOf(schemes);
    methods = Set.copyOf(methods);
    clients = clients == null ? null : List.copyOf(clients);
    addresses = List.copyOf(addresses);
  }
}
