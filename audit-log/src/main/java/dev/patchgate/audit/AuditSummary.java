package dev.patchgate.audit;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a summary record adds to an audit record: it stands for {@code count} refused requests of
 * one client for one reason, so that a flood costs a few lines, not one line a request, and is
 * still accounted for request by request. Every tool counts a summary record as {@code count}
 * requests; an ordinary record (no summary) counts as one.
 *
 * <p>The record's {@code ts} is the first request's arrival; {@code lastTs} the last one's. {@code
 * hosts} lists up to {@link #MAX_HOSTS} distinct hosts asked for, in the order first seen; {@code
 * moreHosts} counts the distinct hosts beyond them. Requests without a host (a refused connection,
 * an unparseable target) add to {@code count} only. Immutable and thread-safe.
 *
 * @param count how many refused requests the record stands for, at least 1
 * @param lastTs when the last of them arrived
 * @param hosts the hosts asked for, at most {@link #MAX_HOSTS}, none containing a space
 * @param moreHosts how many more distinct hosts were asked for than {@code hosts} lists
 */
public record AuditSummary(long count, Instant lastTs, List<String> hosts, long moreHosts) {
  /** The most hosts a summary lists; the rest are only counted in {@code moreHosts}. */
  public static final int MAX_HOSTS = 10;

  /** Checks the contract above. */
  public AuditSummary {
    Objects.requireNonNull(lastTs, "lastTs");
    hosts = List.copyOf(hosts);
    if (count < 1 || moreHosts < 0 || hosts.size() > MAX_HOSTS) {
      throw new IllegalArgumentException(
          "count " + count + ", hosts " + hosts.size() + ", more hosts " + moreHosts);
    }
  }

  /** The hosts as the {@code hosts} field writes them: separated by one space; may be empty. */
  public String hostsText() {
    return String.join(" ", hosts);
  }
}
