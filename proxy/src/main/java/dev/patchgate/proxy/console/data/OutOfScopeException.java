package dev.patchgate.proxy.console.data;

/**
 * A filter or an action names something the signed-in user may not see or do: another vendor's
 * entry, a client outside the vendor's groups, an admin-only page. Distinct from an empty answer so
 * that the web layer answers 403 and records the attempt, rather than showing an empty page that
 * hides it.
 */
public final class OutOfScopeException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message what was refused, for the audit record and the 403 page (raw: escape it)
   */
  public OutOfScopeException(String message) {
    super(message);
  }
}
