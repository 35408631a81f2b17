package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A follower's handle on a fill in progress: it serves its client from the growing temporary file
 * as the filler writes it, without a second upstream request and without waiting for the end.
 *
 * <p>The loop a follower runs on its own event loop: wait for the head ({@code awaitBeyond(-1,
 * …)}), send the status and {@link #head()} fields; then send what is {@link #available()} with
 * {@link #transferTo} (zero copy) or {@link #read}, and {@code awaitBeyond(sent, …)} for more;
 * finish when {@link #state()} is {@link FillState#COMPLETE} and everything is sent; on {@link
 * FillState#ABORTED} fall back (nothing sent yet) or close the connection (bytes sent; after {@link
 * FillOutcome#DISK_FULL} the rest may be fetched with a range request instead). Always {@link
 * #close()} the reader.
 *
 * <p>Thread-safe. Reads are positional on a channel shared by all followers of the fill, so a
 * reading thread must not be interrupted (that would close the channel for all of them).
 */
public final class FillReader implements AutoCloseable {
  private final Fill fill;
  private final AtomicBoolean closed = new AtomicBoolean();

  FillReader(Fill fill) {
    this.fill = fill;
  }

  /** The key being filled. */
  public MirrorKey key() {
    return fill.key();
  }

  /** The fill's state; see {@link FillState} for what a follower does in each. */
  public FillState state() {
    return fill.state();
  }

  /**
   * What the fill has come to so far: once the state is {@link FillState#COMPLETE}, {@link
   * FillOutcome#INTEGRITY_MISMATCH} when the body did not match the SHA-1 its name announces
   * (decided before any follower is told the body is complete), else the commit's progress; once
   * {@link FillState#ABORTED}, why (set before any follower is told); null while the body is still
   * arriving. Unlike {@link #outcome()} it does not wait for the commit or the clean-up.
   */
  public FillOutcome verdict() {
    return fill.currentOutcome();
  }

  /** The response head to send, once the state has left {@link FillState#PENDING}. */
  public Optional<ResponseHead> head() {
    return fill.head();
  }

  /** How many bytes from the start of the body are in the file and may be read. */
  public long available() {
    return fill.available();
  }

  /**
   * Asks to be told when more than {@code position} bytes are available or the fill has ended
   * (completed or aborted). Pass -1 to wait for the head. Returns false, registering nothing, if
   * that is already so: look again now. Returns true when {@code callback} is registered; it then
   * runs exactly once, soon after the condition holds, on the filler's thread (or the thread that
   * aborts): it must be cheap and must not block, e.g. schedule the next send on the follower's own
   * event loop. Exceptions it throws are counted and ignored.
   */
  public boolean awaitBeyond(long position, Runnable callback) {
    return fill.awaitBeyond(position, callback);
  }

  /**
   * Copies body bytes from {@code position} into {@code dst}, no further than {@link #available()}.
   * Returns the count, 0 if none is available yet, -1 at the end of a complete body. Blocking disk
   * read (from the page cache, normally).
   *
   * @throws IOException if the fill was aborted (but for {@link FillOutcome#DISK_FULL}: the bytes
   *     published before stay readable until the reader is closed), or on a read error
   */
  public int read(ByteBuffer dst, long position) throws IOException {
    return fill.read(dst, position);
  }

  /**
   * Sends up to {@code count} body bytes from {@code position}, no further than {@link
   * #available()}, straight from the file to {@code target} ({@code sendfile}). Returns the bytes
   * sent (possibly fewer, 0 when none are available). For a Netty {@code FileRegion} whose {@code
   * transferTo} delegates here (and does not close anything on release).
   *
   * @throws IOException if the fill was aborted (but for {@link FillOutcome#DISK_FULL}, as for
   *     {@link #read}), or on an I/O error
   */
  public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
    return fill.transferTo(position, count, target);
  }

  /** The fill's final outcome (see {@link FillWriter#outcome()}), for the audit record. */
  public CompletableFuture<FillOutcome> outcome() {
    return fill.outcome().copy();
  }

  /** Lets go of the shared file; idempotent. Reads fail after it. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      fill.unfollow();
    }
  }
}
