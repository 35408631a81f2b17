package dev.patchgate.mirror;

import java.util.Objects;

/**
 * The answer of {@link MirrorStore#fill}: fetch it yourself ({@link Kind#FILLER}), follow the fetch
 * already under way ({@link Kind#FOLLOWER}), or pass the request through ({@link Kind#NOT_NOW}).
 */
public final class FillLease {
  /** The three answers. */
  public enum Kind {
    /** The caller fetches the URL upstream and feeds {@link #writer()}. */
    FILLER,
    /** Another request is fetching it: serve the client from {@link #reader()}. */
    FOLLOWER,
    /**
     * The mirror takes no part ({@link #reason()}: {@link FillOutcome#DISK_FULL} or {@link
     * FillOutcome#CLOSED}); pass the request through.
     */
    NOT_NOW
  }

  private final Kind kind;
  private final FillWriter writer;
  private final FillReader reader;
  private final FillOutcome reason;

  private FillLease(Kind kind, FillWriter writer, FillReader reader, FillOutcome reason) {
    this.kind = kind;
    this.writer = writer;
    this.reader = reader;
    this.reason = reason;
  }

  static FillLease filler(FillWriter writer) {
    return new FillLease(Kind.FILLER, Objects.requireNonNull(writer), null, null);
  }

  static FillLease follower(FillReader reader) {
    return new FillLease(Kind.FOLLOWER, null, Objects.requireNonNull(reader), null);
  }

  static FillLease notNow(FillOutcome reason) {
    return new FillLease(Kind.NOT_NOW, null, null, Objects.requireNonNull(reason));
  }

  /** Which answer this is. */
  public Kind kind() {
    return kind;
  }

  /**
   * The fill to feed.
   *
   * @throws IllegalStateException unless {@link Kind#FILLER}
   */
  public FillWriter writer() {
    if (kind != Kind.FILLER) {
      throw new IllegalStateException("not a filler lease: " + kind);
    }
    return writer;
  }

  /**
   * The fill to follow; close it when done.
   *
   * @throws IllegalStateException unless {@link Kind#FOLLOWER}
   */
  public FillReader reader() {
    if (kind != Kind.FOLLOWER) {
      throw new IllegalStateException("not a follower lease: " + kind);
    }
    return reader;
  }

  /**
   * Why the mirror takes no part.
   *
   * @throws IllegalStateException unless {@link Kind#NOT_NOW}
   */
  public FillOutcome reason() {
    if (kind != Kind.NOT_NOW) {
      throw new IllegalStateException("not a not-now lease: " + kind);
    }
    return reason;
  }

  @Override
  public String toString() {
    return "FillLease[" + kind + (reason == null ? "" : ", " + reason) + "]";
  }
}
