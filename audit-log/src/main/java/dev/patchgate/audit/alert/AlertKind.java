package dev.patchgate.audit.alert;

/** What an alert is about. */
public enum AlertKind {
  /** A registered client asked for something the allowlist does not allow. */
  DENIED("denied", "denied request", "denied requests"),
  /** A client in no client group made a request. */
  UNREGISTERED_CLIENT(
      "unregistered_client",
      "request from an unregistered client",
      "requests from an unregistered client"),
  /** A CONNECT tunnel's TLS ClientHello did not name the host it was opened for, or none. */
  SNI_MISMATCH("sni_mismatch", "TLS SNI check failure", "TLS SNI check failures"),
  /** The mirror found a stored or fetched package that fails its length or digest check. */
  MIRROR_INTEGRITY("mirror_integrity", "mirror integrity failure", "mirror integrity failures"),
  /** Audit records could not be written. */
  AUDIT_FAILURE("audit_failure", "audit failure", "audit failures"),
  /** The audit log's file system fell below {@code patchgate.audit.min-free}; writes fail next. */
  AUDIT_DISK("audit_disk", "audit disk space warning", "audit disk space warnings"),
  /**
   * Audit lines are not reaching the central collector (it cannot be reached, or its certificate is
   * refused), or more of them wait than {@code patchgate.audit.forward.max-backlog} allows.
   */
  AUDIT_FORWARD("audit_forward", "audit forwarding problem", "audit forwarding problems"),
  /** A mirror fill was given up because the mirror's file system is full; clients still got it. */
  MIRROR_DISK("mirror_disk", "mirror disk full", "mirror disk full events"),
  /** A client's connections were closed as accepted: it, or the whole gateway, was at its limit. */
  CONNECTION_LIMIT(
      "connection_limit", "connection refused at a limit", "connections refused at a limit"),
  /** A client asked for a host that neither it nor its client group asked for before. */
  ANOMALY_NEW_DESTINATION(
      "anomaly_new_destination", "request to a new destination", "requests to a new destination"),
  /** A client's denied requests to one host keep a steady beat: malware calling home. */
  ANOMALY_BEACONING(
      "anomaly_beaconing", "beaconing to a denied host", "beaconing requests to a denied host"),
  /** A client's denied requests in one hour are far above its usual. */
  ANOMALY_BURST("anomaly_burst", "burst of denied requests", "denied requests in a burst"),
  /** Failed console sign-ins for one user name or from one address reached the threshold. */
  CONSOLE_SIGN_IN(
      "console_sign_in", "repeated failed console sign-in", "repeated failed console sign-ins");

  private final String wireName;
  private final String one;
  private final String many;

  AlertKind(String wireName, String one, String many) {
    this.wireName = wireName;
    this.one = one;
    this.many = many;
  }

  /** The name receivers see in structured fields: lower case with underscores. */
  public String wireName() {
    return wireName;
  }

  /** A short phrase for the alert's text: {@code denied request}, or for {@code n != 1} plural. */
  public String phrase(long n) {
    return n == 1 ? one : many;
  }
}
