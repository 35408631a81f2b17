package dev.patchgate.allowlist;

/**
 * A request-target that patchgate refuses to interpret.
 *
 * <p>The {@linkplain #reason() reason} is one of a small set of fixed phrases and never contains
 * any part of the refused input, so it is safe to show a client and to log as is.
 */
public final class TargetException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient TargetFault fault;

  TargetException(TargetFault fault) {
    // No stack trace: a refusal is an expected outcome on the request path, and a client sending
    // junk in a loop should not cost us a stack walk per request.
    super(fault.reason, null, false, false);
    this.fault = fault;
  }

  /** A short fixed reason phrase such as {@code "userinfo not allowed in URL"}; never null. */
  public String reason() {
    return fault.reason;
  }

  TargetFault fault() {
    return fault;
  }
}
