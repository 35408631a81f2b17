package dev.patchgate.audit.report;

/** Picks the file name out of an audit record's URL. Stateless. */
final class UrlParts {
  private UrlParts() {}

  /**
   * The last segment of the URL's path, without query or fragment: {@code
   * http://h/a/b/file.cab?x=1} gives {@code file.cab}; empty when the path ends in {@code /}, when
   * there is none, or when {@code url} is not absolute (a raw target the gateway could not parse).
   */
  static String fileName(String url) {
    int authority = url.indexOf("://");
    int pathStart = authority < 0 ? -1 : url.indexOf('/', authority + 3);
    if (pathStart < 0) {
      return "";
    }
    int pathEnd = url.length();
    int query = url.indexOf('?', pathStart);
    if (query >= 0) {
      pathEnd = query;
    }
    int fragment = url.indexOf('#', pathStart);
    if (fragment >= 0 && fragment < pathEnd) {
      pathEnd = fragment;
    }
    int slash = url.lastIndexOf('/', pathEnd - 1);
    return url.substring(Math.max(slash + 1, pathStart), pathEnd);
  }
}
