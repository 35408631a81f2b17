package dev.patchgate.allowlist;

import java.net.InetAddress;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The allowlist's answer for one request, and what the proxy must still check before it dials.
 *
 * <ul>
 *   <li>{@link Verdict#DENY}: no {@linkplain #entry() entry}, and a {@linkplain #reason() reason},
 *       one of the phrases below.
 *   <li>{@link Verdict#ALLOW}: the entry that allowed it; no reason, unless the entry is in report
 *       mode and would have denied the request if enforced: then {@link #wouldDeny()} is true and
 *       the reason is the phrase it would have been denied with.
 * </ul>
 *
 * <p>Reasons are fixed phrases that never contain request data, so they are safe to show a client
 * and to log. Immutable and thread-safe. Decisions have no value equality (the same decision may be
 * a shared instance or not): compare their components.
 */
public final class Decision {
  /** No entry names the target host. */
  public static final String HOST_NOT_ALLOWED = "host not in allowlist";

  /** Entries name the host and serve the client and scheme, but none of them allows the port. */
  public static final String PORT_NOT_ALLOWED = "port not allowed for this host";

  /** Entries name the host and serve the client, but none allows the scheme (http or CONNECT). */
  public static final String SCHEME_NOT_ALLOWED = "scheme not allowed for this host";

  /** Plain HTTP: the entries for the host do not allow the method. */
  public static final String METHOD_NOT_ALLOWED = "method not allowed for this host";

  /** Plain HTTP: the path does not start with any of the entries' {@code paths}. */
  public static final String PATH_NOT_ALLOWED = "path not allowed for this host";

  /** Entries name the host, but none of them serves the client's groups. */
  public static final String CLIENT_NOT_ALLOWED = "client not allowed for this host";

  /** An entry would allow the request, but not at this time of the week. */
  public static final String OUTSIDE_SCHEDULE = "outside the allowed schedule";

  /** The allowlist has client groups and the client is in none of them. */
  public static final String UNREGISTERED_CLIENT = "unregistered client";

  /** The request was missing; only a caller's bug gets here. */
  public static final String NO_REQUEST = "no request";

  private static final Map<String, Decision> DENIALS =
      Stream.of(
              HOST_NOT_ALLOWED,
              PORT_NOT_ALLOWED,
              SCHEME_NOT_ALLOWED,
              METHOD_NOT_ALLOWED,
              PATH_NOT_ALLOWED,
              CLIENT_NOT_ALLOWED,
              OUTSIDE_SCHEDULE,
              UNREGISTERED_CLIENT,
              NO_REQUEST)
          .collect(
              Collectors.toUnmodifiableMap(
                  Function.identity(), r -> new Decision(Verdict.DENY, null, r, false, null)));

  private final Verdict verdict;
  private final Entry entry;
  private final String reason;
  private final boolean wouldDeny;

  /** The IP-literal host the request named, which the entry lists; null for a name. */
  private final Cidr namedAddress;

  private Decision(
      Verdict verdict, Entry entry, String reason, boolean wouldDeny, Cidr namedAddress) {
    Objects.requireNonNull(verdict, "verdict");
    if (verdict == Verdict.ALLOW) {
      Objects.requireNonNull(entry, "entry");
      if ((reason != null) != wouldDeny) {
        throw new IllegalArgumentException("an ALLOW has a reason exactly when it would deny");
      }
    } else {
      Objects.requireNonNull(reason, "reason");
      if (entry != null || wouldDeny || namedAddress != null) {
        throw new IllegalArgumentException("a DENY names no entry and no address");
      }
    }
    this.verdict = verdict;
    this.entry = entry;
    this.reason = reason;
    this.wouldDeny = wouldDeny;
    this.namedAddress = namedAddress;
  }

  /** An allowing decision; {@code namedAddress} is the request's IP-literal host, or null. */
  static Decision allow(Entry entry, Cidr namedAddress) {
    return new Decision(Verdict.ALLOW, entry, null, false, namedAddress);
  }

  /** A report-mode entry letting through a request it would deny with {@code reason}. */
  static Decision wouldDeny(Entry entry, String reason, Cidr namedAddress) {
    return new Decision(
        Verdict.ALLOW, entry, Objects.requireNonNull(reason, "reason"), true, namedAddress);
  }

  /** A denial; one shared instance per reason constant of this class. */
  static Decision deny(String reason) {
    Decision shared = DENIALS.get(reason);
    return shared != null ? shared : new Decision(Verdict.DENY, null, reason, false, null);
  }

  /** {@link Verdict#ALLOW} or {@link Verdict#DENY}; never null. */
  public Verdict verdict() {
    return verdict;
  }

  /** True when the verdict is {@link Verdict#ALLOW} (report-mode entries included). */
  public boolean allowed() {
    return verdict == Verdict.ALLOW;
  }

  /** The name of the entry that allowed the request; null when denied. */
  public String entry() {
    return entry == null ? null : entry.name();
  }

  /**
   * Why the request was denied, or, when {@link #wouldDeny()}, why it would have been; null for a
   * plain ALLOW. One of the phrase constants of this class.
   */
  public String reason() {
    return reason;
  }

  /**
   * True when the request was let through by an entry in report mode that would have denied it if
   * enforced; the {@linkplain #reason() reason} says why. Always false for a DENY.
   */
  public boolean wouldDeny() {
    return wouldDeny;
  }

  /**
   * Whether the gateway may dial {@code resolved}, an address the allowed host resolved to: null
   * when it may, else a fixed phrase saying why not.
   *
   * <p>It may when the address is {@linkplain AddressClass#PUBLIC public}; or inside one of the
   * allowing entry's {@code addresses} ranges; or when the request named exactly this address as an
   * IP literal, which the entry then lists in its hosts (listing it is the administrator's
   * consent). Everything else, such as a name resolving to loopback, a private or link-local
   * address, or an IPv6 form carrying IPv4 inside, is refused with {@link AddressClass#refusal()}.
   * Report mode does not relax this check. For a DENY the answer is the deny {@linkplain #reason()
   * reason}: nothing may be dialled.
   *
   * @throws NullPointerException if {@code resolved} is null
   */
  public String addressRefusal(InetAddress resolved) {
    Objects.requireNonNull(resolved, "resolved");
    if (entry == null) {
      return reason;
    }
    if (namedAddress != null && namedAddress.contains(resolved)) {
      return null;
    }
    for (Cidr range : entry.rules().addresses()) {
      if (range.contains(resolved)) {
        return null;
      }
    }
    return AddressClass.of(resolved).refusal();
  }

  /**
   * Whether the proxy must check that a tunnel's TLS ClientHello names the CONNECT host: the
   * allowing entry's {@code sni-check} (true unless it says {@code false}); true for a DENY.
   */
  public boolean sniCheck() {
    return entry == null || entry.rules().sniCheck();
  }

  /**
   * How the update mirror treats this request's download: the allowing entry's mirror settings;
   * {@link MirrorPolicy#DEFAULT} for a DENY (nothing is fetched anyway).
   */
  public MirrorPolicy mirror() {
    return entry == null ? MirrorPolicy.DEFAULT : entry.rules().mirror();
  }

  /**
   * Whether the request goes through the gateway's parent proxies (when it has any) or straight to
   * the origin: the allowing entry's {@code upstream}; {@link Upstream#PARENT} for a DENY.
   */
  public Upstream upstream() {
    return entry == null ? Upstream.PARENT : entry.rules().upstream();
  }

  /** The allowing entry, for explanations; null when denied. */
  Entry matchedEntry() {
    return entry;
  }

  /**
   * {@code "ALLOW windows-update"}, {@code "ALLOW trial (would deny: outside the allowed
   * schedule)"} or {@code "DENY host not in allowlist"}.
   */
  @Override
  public String toString() {
    if (verdict == Verdict.DENY) {
      return "DENY " + reason;
    }
    return "ALLOW " + entry.name() + (wouldDeny ? " (would deny: " + reason + ")" : "");
  }
}
