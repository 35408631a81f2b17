package dev.patchgate.mirror;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The filler's handle on a fill: the proxy feeds it the upstream response it is also streaming to
 * its own client.
 *
 * <p>Sequence: {@link #start} with the response head; {@link #write} each body chunk; {@link
 * #complete()} when the upstream body ended cleanly (the Content-Length reached, or the last
 * chunk), or {@link #abort} on an upstream error, reset or timeout. A fill whose filler vanishes is
 * aborted after {@code fillStallTimeout}.
 *
 * <p>Threading: {@code start}, {@code write} and {@code complete} must not run concurrently with
 * each other (one thread at a time, in order; hand-offs through an executor are fine). {@code
 * abort} may be called from any thread at any time. {@code start} and {@code write} are blocking
 * disk I/O (an open, a {@code pwrite} into the page cache, digest updates); on an event loop they
 * cost about as much as copying the bytes, or hand them to a per-fill executor. {@code complete}
 * does no I/O: it checks length and SHA-1 and hands the commit ({@code fsync}, renames) to the
 * store's I/O thread. Followers' callbacks run inside these calls (see {@link
 * FillReader#awaitBeyond}).
 *
 * <p>Whatever these methods return, the caller keeps streaming to its own client: a fill that stops
 * (too large, disk full, not storable) only means the object is not stored.
 */
public final class FillWriter {
  private final Fill fill;

  FillWriter(Fill fill) {
    this.fill = fill;
  }

  /** The key being filled. */
  public MirrorKey key() {
    return fill.key();
  }

  /**
   * Offers the upstream's response head. Returns true when the fill records the body; false when it
   * does not (the fill is then aborted with {@link FillOutcome#NOT_STORABLE}, {@link
   * FillOutcome#TOO_LARGE} or {@link FillOutcome#DISK_FULL}, and its followers, who have sent
   * nothing, fall back). Blocking: creates the temporary file.
   *
   * @param status the response status (only 200 is stored)
   * @param responseHeaders the response header fields
   */
  public boolean start(int status, HeaderLookup responseHeaders) {
    return fill.start(status, responseHeaders);
  }

  /**
   * Appends the buffer's remaining bytes, without changing its position. Returns false once the
   * fill has stopped recording (aborted: too large, longer than declared, write error, disk full,
   * or aborted from elsewhere); further calls are then cheap no-ops. Blocking disk I/O.
   */
  public boolean write(ByteBuffer src) {
    return fill.write(src);
  }

  /**
   * The upstream body ended cleanly. Returns {@link FillOutcome#COMMITTING} (verified; {@link
   * #outcome()} later says {@link FillOutcome#STORED} or {@link FillOutcome#STORE_FAILED}), {@link
   * FillOutcome#INTEGRITY_MISMATCH} (the announced SHA-1 does not match: not stored), {@link
   * FillOutcome#SHORT_BODY} (fewer bytes than declared: aborted, nothing stored), or the reason the
   * fill had already stopped. Non-blocking.
   *
   * @throws IllegalStateException if {@link #start} never succeeded
   */
  public FillOutcome complete() {
    return fill.complete();
  }

  /**
   * Gives the fill up: the temporary file is deleted, followers see {@link FillState#ABORTED}.
   * Idempotent; a no-op returning the existing outcome once the fill has completed or aborted. Any
   * thread.
   *
   * @param reason why, e.g. {@link FillOutcome#UPSTREAM_ERROR} or {@link FillOutcome#NOT_STORABLE}
   * @throws IllegalArgumentException if {@code reason} is an outcome of a complete body
   */
  public FillOutcome abort(FillOutcome reason) {
    if (reason.bodyComplete()) {
      throw new IllegalArgumentException("reason: " + reason + " (expected: an abort reason)");
    }
    return fill.abort(reason);
  }

  /**
   * The upstream answered this lease's conditional request {@code 304}: revalidates the stored
   * object (as {@link MirrorStore#revalidated}) and ends the fill with {@link
   * FillOutcome#NOT_MODIFIED}, so followers look the URL up again and hit. Non-blocking.
   */
  public void notModified(HeaderLookup responseHeaders) {
    fill.notModified(responseHeaders);
  }

  /**
   * A reader of this fill for the filler's own client, who is then served like any follower. Take
   * it before the fetch starts: a fetch that fails at once settles the fill, and a later {@link
   * MirrorStore#fill} would start another one instead of joining this. Close it when done.
   *
   * @throws IllegalStateException once the fill has settled and let go of its file
   */
  public FillReader follow() {
    FillReader reader = fill.follow();
    if (reader == null) {
      throw new IllegalStateException("fill of " + fill.key().url() + " has settled");
    }
    return reader;
  }

  /** Bytes recorded so far. */
  public long written() {
    return fill.available();
  }

  /** The fill's state. */
  public FillState state() {
    return fill.state();
  }

  /**
   * Completes with the final outcome: {@link FillOutcome#STORED} once committed (a lookup then
   * hits), or why not. Never completes with {@link FillOutcome#COMMITTING}; never exceptionally.
   */
  public CompletableFuture<FillOutcome> outcome() {
    return fill.outcome().copy();
  }
}
