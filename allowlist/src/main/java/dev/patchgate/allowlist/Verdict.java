package dev.patchgate.allowlist;

/** What the allowlist says about a request. */
public enum Verdict {
  /** An entry lets the request through. */
  ALLOW,
  /** No entry lets the request through; the default. */
  DENY
}
