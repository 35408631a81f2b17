package dev.patchgate.mirror;

import java.util.Locale;
import java.util.Objects;

/**
 * What the store is keyed by: the canonical URL of a plain-HTTP GET ({@code
 * http://host:port/path?query}) and its SHA-256 in lower-case hex, which names the files on disk.
 *
 * <p>Immutable; equal when the stored URLs are equal.
 */
public final class MirrorKey {
  private final String url;
  private final String hex;

  private MirrorKey(String url) {
    this.url = url;
    this.hex = Hex.sha256(url);
  }

  /**
   * The key of a canonical URL, as the proxy's strict target parser produces it.
   *
   * <p>The authority is lower-cased and given an explicit port ({@code :80} when missing), so
   * {@code http://Example.COM/a} and {@code http://example.com:80/a} are one object; the path and
   * query are kept byte for byte. With {@code dropQuery} everything from the first {@code ?} on is
   * dropped, for CDNs that put expiring tokens in the query (the allowlist entry asks for it).
   *
   * @throws IllegalArgumentException if the URL is not {@code http://}, has no host, carries a
   *     fragment, userinfo, whitespace or a character outside printable ASCII
   */
  public static MirrorKey of(String canonicalUrl, boolean dropQuery) {
    Objects.requireNonNull(canonicalUrl, "canonicalUrl");
    String prefix = "http://";
    if (!canonicalUrl.regionMatches(true, 0, prefix, 0, prefix.length())) {
      throw invalid(canonicalUrl, "an http:// URL");
    }
    for (int i = 0; i < canonicalUrl.length(); i++) {
      char c = canonicalUrl.charAt(i);
      if (c <= 0x20 || c > 0x7e || c == '#') {
        throw invalid(canonicalUrl, "printable ASCII without spaces or fragment");
      }
    }
    int pathStart = canonicalUrl.indexOf('/', prefix.length());
    int queryStart = canonicalUrl.indexOf('?', prefix.length());
    int authorityEnd = pathStart < 0 ? canonicalUrl.length() : pathStart;
    if (queryStart >= 0 && queryStart < authorityEnd) {
      authorityEnd = queryStart;
    }
    String authority =
        canonicalUrl.substring(prefix.length(), authorityEnd).toLowerCase(Locale.ROOT);
    if (authority.isEmpty() || authority.indexOf('@') >= 0 || authority.startsWith(":")) {
      throw invalid(canonicalUrl, "a host");
    }
    int bracket = authority.lastIndexOf(']');
    if (authority.indexOf(':', bracket + 1) < 0) {
      authority = authority + ":80";
    }
    String rest = canonicalUrl.substring(authorityEnd);
    if (!rest.startsWith("/")) {
      rest = "/" + rest;
    }
    if (dropQuery) {
      int q = rest.indexOf('?');
      if (q >= 0) {
        rest = rest.substring(0, q);
      }
    }
    return new MirrorKey("http://" + authority + rest);
  }

  private static IllegalArgumentException invalid(String url, String expected) {
    String shown = url.length() > 200 ? url.substring(0, 200) + "..." : url;
    return new IllegalArgumentException("url: " + shown + " (expected: " + expected + ")");
  }

  /** The URL the object is stored under (query dropped if asked). */
  public String url() {
    return url;
  }

  /** SHA-256 of {@link #url()} in lower-case hex: 64 characters, the object's file name stem. */
  public String hex() {
    return hex;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof MirrorKey && ((MirrorKey) o).url.equals(url);
  }

  @Override
  public int hashCode() {
    return hex.hashCode();
  }

  @Override
  public String toString() {
    return url;
  }
}
