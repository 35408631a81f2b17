package dev.patchgate.allowlist;

/**
 * One host rule of a {@link Profile}.
 *
 * @param pattern a host pattern as an entry's {@code hosts} accepts it, e.g. {@code
 *     *.windowsupdate.com}
 * @param scheme {@link Scheme#HTTP} for plain HTTP, {@link Scheme#HTTPS} for CONNECT
 * @param port the one port allowed for this host and scheme
 * @param purpose what the vendor uses the host for
 */
public record ProfileHost(String pattern, Scheme scheme, int port, String purpose) {}
