package dev.patchgate.audit;

/** The update mirror's part in an exchange, as written in the {@value AuditFields#CACHE} field. */
public enum CacheOutcome {
  /** Served from the mirror. */
  HIT("hit"),
  /** Fetched upstream and offered to the mirror. */
  MISS("miss"),
  /** Mirrorable in principle but passed through (for example a range the mirror does not hold). */
  BYPASS("bypass"),
  /** Served from the mirror although its copy was due for revalidation. */
  STALE("stale"),
  /** The mirror had no part: a tunnel, a denial, a method that is never mirrored. */
  NONE("none");

  private final String wireName;

  CacheOutcome(String wireName) {
    this.wireName = wireName;
  }

  /** The value written to the audit log: the lower-case name, never {@code null}. */
  public String wireName() {
    return wireName;
  }
}
