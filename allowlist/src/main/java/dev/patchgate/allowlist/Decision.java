package dev.patchgate.allowlist;

import java.util.Objects;

/**
 * The allowlist's answer for one request.
 *
 * @param verdict {@link Verdict#ALLOW} or {@link Verdict#DENY}
 * @param entry the name of the entry that allowed the request; {@code null} when denied
 * @param reason a fixed phrase saying why the request was denied, one of the constants of this
 *     class; {@code null} when allowed. Never contains request data, so it is safe to show a client
 *     and to log.
 */
public record Decision(Verdict verdict, String entry, String reason) {
  /** No entry names the target host. */
  public static final String HOST_NOT_ALLOWED = "host not in allowlist";

  /** Entries name the target host, but none of them allows the target port. */
  public static final String PORT_NOT_ALLOWED = "port not allowed for this host";

  /** The request was missing; only a caller's bug gets here. */
  public static final String NO_REQUEST = "no request";

  /**
   * Checks that an allowing decision names its entry and a denying one its reason.
   *
   * @throws NullPointerException if {@code verdict} is null, or the entry of an ALLOW or the reason
   *     of a DENY is null
   * @throws IllegalArgumentException if an ALLOW has a reason or a DENY names an entry
   */
  public Decision {
    Objects.requireNonNull(verdict, "verdict");
    if (verdict == Verdict.ALLOW) {
      Objects.requireNonNull(entry, "entry");
      if (reason != null) {
        throw new IllegalArgumentException("an ALLOW has no reason");
      }
    } else {
      Objects.requireNonNull(reason, "reason");
      if (entry != null) {
        throw new IllegalArgumentException("a DENY names no entry");
      }
    }
  }

  static Decision allow(String entry) {
    return new Decision(Verdict.ALLOW, entry, null);
  }

  static Decision deny(String reason) {
    return new Decision(Verdict.DENY, null, reason);
  }

  /** True when the verdict is {@link Verdict#ALLOW}. */
  public boolean allowed() {
    return verdict == Verdict.ALLOW;
  }
}
