package dev.patchgate.proxy.console.data;

/**
 * A filter's value is not valid: the message names the parameter, the value and what was expected,
 * like the command line's usage errors. The web layer answers 400 with it (escaped).
 */
public final class BadFilterException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  /**
   * @param message for the user: {@code kb: 'x' (expected: a KB number such as KB5034441)}
   */
  public BadFilterException(String message) {
    super(message);
  }
}
