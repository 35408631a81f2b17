package dev.patchgate.audit;

/** What the gateway did with a request, as written in the {@value AuditFields#DECISION} field. */
public enum AuditDecision {
  /** The allowlist let it through. */
  ALLOW("allow"),
  /** The allowlist (or a check after it, such as the resolved address) refused it. */
  DENY("deny"),
  /** The request was malformed or the exchange failed before a decision could be carried out. */
  ERROR("error");

  private final String wireName;

  AuditDecision(String wireName) {
    this.wireName = wireName;
  }

  /** The value written to the audit log: the lower-case name, never {@code null}. */
  public String wireName() {
    return wireName;
  }
}
