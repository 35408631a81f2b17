package dev.patchgate.audit.query;

import dev.patchgate.audit.AuditFields;
import java.util.Locale;

/**
 * The {@code --host} filter: an exact host, or {@code *.suffix} for every name below {@code suffix}
 * at any depth but not {@code suffix} itself, as allowlist wildcards match.
 *
 * @param host the lower-case host, or for a wildcard the suffix without {@code "*."}
 * @param wildcard true for {@code *.suffix}
 */
record HostFilter(String host, boolean wildcard) {

  /**
   * Parses a {@code --host} argument; case does not matter, a trailing dot is dropped.
   *
   * @throws IllegalArgumentException with a message for the user when it is not a host or {@code
   *     *.suffix}
   */
  static HostFilter parse(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    if (lower.endsWith(".")) {
      lower = lower.substring(0, lower.length() - 1);
    }
    boolean wildcard = lower.startsWith("*.");
    String rest = wildcard ? lower.substring(2) : lower;
    if (rest.isEmpty() || rest.indexOf('*') >= 0 || rest.indexOf('/') >= 0) {
      throw new IllegalArgumentException(
          "--host: '" + text + "' (expected: a host like download.windowsupdate.com or *.suffix)");
    }
    return new HostFilter(rest, wildcard);
  }

  /** True when {@code candidate} (a record's host, possibly {@code null}) is covered. */
  boolean matches(String candidate) {
    if (candidate == null) {
      return false;
    }
    if (!wildcard) {
      return candidate.equalsIgnoreCase(host);
    }
    int offset = candidate.length() - host.length();
    return offset > 1
        && candidate.charAt(offset - 1) == '.'
        && candidate.regionMatches(true, offset, host, 0, host.length());
  }

  /** What the host field's raw JSON must contain when this filter matches. */
  String rawNeedle() {
    return wildcard ? "." + host + "\"" : "\"" + AuditFields.HOST + "\":\"" + host + "\"";
  }

  @Override
  public String toString() {
    return wildcard ? "*." + host : host;
  }
}
