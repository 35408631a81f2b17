package dev.patchgate.allowlist;

/**
 * The conditions an entry checks once one of its host patterns covers the request's host, in the
 * fixed order in which they are checked.
 *
 * <p>The order decides which deny reason a request gets when several entries cover its host and all
 * of them refuse it: the reason of the entry that got furthest down this list (ties go to the entry
 * earlier in the file). Who is asking comes first, then what is asked for, then when: so an
 * administrator reading a deny reason learns about the entries that serve that client before those
 * that never would.
 */
enum Check {
  /** The client is in some client group (always true when the file has no {@code clients}). */
  REGISTERED(Decision.UNREGISTERED_CLIENT),
  /** The client is in one of the entry's {@code clients} groups. */
  CLIENT(Decision.CLIENT_NOT_ALLOWED),
  /** The entry allows the request's scheme for this host. */
  SCHEME(Decision.SCHEME_NOT_ALLOWED),
  /** The entry allows the request's port for this host and scheme. */
  PORT(Decision.PORT_NOT_ALLOWED),
  /** Plain HTTP only: the method is one of the entry's {@code methods}. */
  METHOD(Decision.METHOD_NOT_ALLOWED),
  /** Plain HTTP only: the path starts with one of the entry's {@code paths}. */
  PATH(Decision.PATH_NOT_ALLOWED),
  /** The request arrived inside one of the entry's {@code schedule} windows. */
  SCHEDULE(Decision.OUTSIDE_SCHEDULE),
  /** Every check passed: the entry permits the request. */
  PASSED(null);

  /** The fixed deny reason when this check fails; null for {@link #PASSED}. */
  final String reason;

  Check(String reason) {
    this.reason = reason;
  }

  /** True when this check comes later in the order than {@code other}. */
  boolean isFurtherThan(Check other) {
    return compareTo(other) > 0;
  }
}
