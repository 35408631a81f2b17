package dev.patchgate.allowlist;

/**
 * A client's request rate limit: a token bucket refilled with {@code perSecond} tokens a second and
 * holding at most {@code burst}; each request takes one. {@code perSecond == 0} means no limit.
 *
 * @param perSecond requests a second in the long run; 0: unlimited
 * @param burst requests that may come at once (at least 1 when limited)
 */
public record RequestRate(int perSecond, int burst) {
  /** No limit. */
  public static final RequestRate UNLIMITED = new RequestRate(0, 0);

  public RequestRate {
    if (perSecond < 0 || burst < 0 || (perSecond > 0 && burst < 1)) {
      throw new IllegalArgumentException("rate " + perSecond + "/s, burst " + burst);
    }
  }

  public boolean unlimited() {
    return perSecond == 0;
  }

  /** The more generous of the two: unlimited wins, then the higher rate and the larger burst. */
  RequestRate orMoreGenerous(RequestRate other) {
    if (unlimited() || other.unlimited()) {
      return UNLIMITED;
    }
    return new RequestRate(Math.max(perSecond, other.perSecond), Math.max(burst, other.burst));
  }
}
