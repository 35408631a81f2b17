package dev.patchgate.proxy.mirror.fetch;

import dev.patchgate.mirror.FillOutcome;
import java.util.Objects;

/**
 * How one mirror fetch ended, for the audit record, the metrics and the strategy's offline rule.
 *
 * @param fill the fill's final outcome: {@link FillOutcome#STORED} once committed, {@link
 *     FillOutcome#NOT_MODIFIED} after a 304 to a revalidation, {@link FillOutcome#NOT_STORABLE},
 *     {@link FillOutcome#TOO_LARGE} or {@link FillOutcome#DISK_FULL} when the response went to the
 *     pass-through instead, else why the fill was given up; for a fetch without a fill ({@link
 *     MirrorFetcher#fetchRange}), {@link FillOutcome#NOT_STORABLE} once its answer was passed on,
 *     else why it failed
 * @param failure what went wrong on the upstream connection, or {@link Failure#NONE}
 * @param status the upstream's final response status, 0 if no response head arrived
 * @param bodyBytes body bytes received from the upstream
 *     <p>Public because {@link MirrorFetch#outcome()} hands it to the mirror.
 */
public record MirrorFetchOutcome(FillOutcome fill, Failure failure, int status, long bodyBytes) {
  /** What went wrong on the upstream connection. */
  enum Failure {
    /** Nothing: the response arrived whole (or the fill stopped for reasons of its own). */
    NONE,
    /** The connection could not be made (refused, unreachable, connect timeout). */
    UNREACHABLE,
    /** The upstream sent nothing for the idle timeout while the fetch was reading. */
    TIMED_OUT,
    /** Malformed response, reset, or the connection closed before the body ended. */
    BROKEN,
    /**
     * The upstream answered a {@code 1xx} other than {@code 100}, e.g. {@code 101 Switching
     * Protocols}: final, the exchange ends with a {@code 502}.
     */
    SWITCHED_PROTOCOLS,
    /** {@link MirrorFetch#cancel()}, or a pass-through consumer's callback threw. */
    CANCELLED
  }

  public MirrorFetchOutcome {
    Objects.requireNonNull(fill, "fill");
    Objects.requireNonNull(failure, "failure");
  }

  /**
   * True when the upstream could not be reached at all: the case in which {@code
   * MirrorStrategy.decide(..., upstreamUnreachable = true)} may serve a stale copy.
   */
  boolean upstreamUnreachable() {
    return failure == Failure.UNREACHABLE;
  }
}
