package dev.patchgate.allowlist;

/** How a client reaches a target through the proxy. */
public enum Scheme {
  /** A plain-HTTP request in absolute-form, which the proxy can see and mirror. */
  HTTP,
  /**
   * A CONNECT tunnel. The proxy never sees an {@code https://} URL in plain text, only the {@code
   * host:port} the client asks to be connected to.
   */
  HTTPS
}
