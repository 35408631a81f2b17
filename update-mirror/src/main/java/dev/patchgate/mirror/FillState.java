package dev.patchgate.mirror;

/** Where a fill is, as its followers see it. {@link #COMPLETE} and {@link #ABORTED} are final. */
public enum FillState {
  /** Waiting for the upstream's response head; nothing to send yet. */
  PENDING,
  /** The head is known ({@link FillReader#head()}) and bytes are arriving. */
  STREAMING,
  /**
   * Every byte arrived and was verified (length, and SHA-1 when the name carries one or when it
   * does not match: the body is still what the upstream sent); a follower finishes its response.
   */
  COMPLETE,
  /**
   * The fill failed ({@link FillReader#outcome()} says why). A follower that has sent nothing looks
   * the URL up again or goes upstream itself; one that has sent bytes closes the connection, so its
   * client never mistakes a truncated body for a complete one.
   */
  ABORTED
}
