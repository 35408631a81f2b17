package dev.patchgate.audit.report;

/** Whether a client received a whole package, as the patch report says it. */
public enum Completeness {
  /** At least as many bytes as the object has were sent. */
  COMPLETE("complete"),
  /** A full (200) download that stopped short. */
  INCOMPLETE("incomplete"),
  /** Range requests (206) that together do not cover the object. */
  PARTIAL_RANGE("partial (range)"),
  /** The object's length was not known, so completeness cannot be judged. */
  UNKNOWN("unknown");

  private final String label;

  Completeness(String label) {
    this.label = label;
  }

  /** What the report shows. */
  public String label() {
    return label;
  }

  /**
   * Decides completeness from what the records of one client and URL add up to.
   *
   * <p>{@code bytes_to_client} includes the response headers, so comparing it with the object's
   * length slightly favours "complete": a 200 counts when its bytes reach the length, and range
   * responses when their bytes together do (overlapping ranges count twice). Without a length the
   * answer is {@link #UNKNOWN}.
   *
   * @param objectLength the object's length, or {@code null} when no record knew it
   * @param fullDownloadComplete whether one 200 response alone reached its object's length
   * @param rangeBytes the sum of {@code bytes_to_client} over the 206 responses
   * @param hadRanges whether there were 206 responses
   */
  static Completeness decide(
      Long objectLength, boolean fullDownloadComplete, long rangeBytes, boolean hadRanges) {
    if (fullDownloadComplete) {
      return COMPLETE;
    }
    if (objectLength == null) {
      return UNKNOWN;
    }
    if (hadRanges) {
      return rangeBytes >= objectLength ? COMPLETE : PARTIAL_RANGE;
    }
    return INCOMPLETE;
  }
}
