package dev.patchgate.mirror;

import java.util.Locale;

/** How a fill ended, as counted in {@code patchgate.mirror.fills{result}} (the lower-case name). */
public enum FillOutcome {
  /** Returned by {@link FillWriter#complete()}: the body is verified and is being committed. */
  COMMITTING(true),
  /** Committed: the next lookup hits. */
  STORED(true),
  /** The body was complete and verified, but writing it into the store failed. */
  STORE_FAILED(true),
  /**
   * The file name announces a SHA-1 the content does not have: not stored; the clients got what the
   * upstream sent. Also counted in {@code patchgate.mirror.integrity.failures}.
   */
  INTEGRITY_MISMATCH(true),
  /** The upstream answered the conditional request 304: the stored copy was revalidated. */
  NOT_MODIFIED(false),
  /** The response may not be stored ({@link FreshnessPolicy#refusal}). */
  NOT_STORABLE(false),
  /** Longer than {@code maxObjectSizeBytes}. */
  TOO_LARGE(false),
  /**
   * The disk is nearly full. Given up mid-body, the bytes written so far are sound: a follower's
   * reader can still read them (until it is closed), and the follower carries on elsewhere.
   */
  DISK_FULL(false),
  /** Fewer bytes than {@code Content-Length}. */
  SHORT_BODY(false),
  /** More bytes than {@code Content-Length}. */
  LONG_BODY(false),
  /** The proxy reported an upstream error or reset. */
  UPSTREAM_ERROR(false),
  /**
   * The upstream answered a {@code 1xx} other than {@code 100} (e.g. {@code 101 Switching
   * Protocols}) to the fill's {@code GET}: the answer is final, nothing is stored, and the clients
   * waiting for it are answered {@code 502} instead of being forwarded upstream again.
   */
  SWITCHED_PROTOCOLS(false),
  /**
   * A lease refused: the client already has {@link MirrorSettings#maxUnreadFillsPerClient()} fills
   * it started that nobody reads, and its range request for an object not stored is passed through
   * as a plain range instead of starting another one.
   */
  UNREAD_LIMIT(false),
  /**
   * A lease refused: {@link InflightFills#MAX_IN_PROGRESS} fills are already under way, and the
   * request passes through unstored. Each fill holds a file and an upstream connection until it
   * ends, and a fill ends only once its object is synced to disk: small misses arriving faster than
   * the disk syncs them would otherwise pile up until the process runs out of descriptors.
   */
  BUSY(false),
  /** Writing the temporary file failed. */
  WRITE_FAILED(false),
  /**
   * Nothing arrived for {@code fillStallTimeout}, or for the gateway's idle timeout while the
   * upstream fetch was reading.
   */
  STALLED(false),
  /** The store was closed. */
  CLOSED(false);

  private final boolean bodyComplete;

  FillOutcome(boolean bodyComplete) {
    this.bodyComplete = bodyComplete;
  }

  /** Whether every byte of the body arrived and checked out, so followers may finish normally. */
  public boolean bodyComplete() {
    return bodyComplete;
  }

  /** The metric tag value: the lower-case name. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
