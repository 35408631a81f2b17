package dev.patchgate.audit.anomaly;

/**
 * The kinds of unusual traffic the anomaly report finds in the audit log, and the live watch raises
 * as it is written ({@link #live}). Each can be turned off in {@code patchgate.anomalies}.
 */
public enum AnomalyKind {
  /** A client asked for a host that neither it nor any client of its group asked for before. */
  NEW_DESTINATION("new_destination", "new-destination", true),
  /** A client was active in an hour of the week in which it never was before. */
  UNUSUAL_HOURS("unusual_hours", "unusual-hours", false),
  /** Denied requests from one client to one host at a steady beat: malware calling home. */
  BEACONING("beaconing", "beaconing", true),
  /** A client's denied requests in one hour, far above its own usual. */
  BURST("burst", "burst", true),
  /** Requests, again and again, for an entry outside its schedule window. */
  OUTSIDE_SCHEDULE("outside_schedule", "outside-schedule", false);

  private final String wireName;
  private final String configKey;
  private final boolean live;

  AnomalyKind(String wireName, String configKey, boolean live) {
    this.wireName = wireName;
    this.configKey = configKey;
    this.live = live;
  }

  /** The name in reports and in alerts ({@code anomaly_} and this): lower case, underscores. */
  public String wireName() {
    return wireName;
  }

  /** The kind's block under {@code patchgate.anomalies}. */
  public String configKey() {
    return configKey;
  }

  /** True for the kinds the gateway also detects as records are written. */
  public boolean live() {
    return live;
  }
}
