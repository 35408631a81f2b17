package dev.patchgate.audit.query;

/** A command line the audit tools cannot run; the message is one line for the user. */
public final class UsageException extends Exception {
  private static final long serialVersionUID = 1L;

  /** Creates the exception with a one-line message saying what is wrong. */
  public UsageException(String message) {
    super(message, null, false, false);
  }
}
