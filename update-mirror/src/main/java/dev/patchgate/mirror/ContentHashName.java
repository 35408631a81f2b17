package dev.patchgate.mirror;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The SHA-1 a file name announces: Windows Update and others name payloads {@code <name>_<40
 * hex>.<ext>}, the hex being the SHA-1 of the content. Pure.
 */
public final class ContentHashName {
  private static final Pattern NAME = Pattern.compile(".*_([0-9A-Fa-f]{40})\\.[A-Za-z0-9]{1,16}");

  private ContentHashName() {}

  /**
   * The lower-case SHA-1 hex carried by the last path segment of {@code url}, or empty.
   *
   * <p>The query and fragment are ignored, so are earlier segments: {@code http://h:80/a_<40
   * hex>.cab?x=1} carries one, {@code http://h:80/a_<40 hex>.cab/b} does not. Accepts an absolute
   * URL or a bare path. Never throws.
   */
  public static Optional<String> expectedSha1(String url) {
    if (url == null) {
      return Optional.empty();
    }
    Matcher m = NAME.matcher(lastSegment(url));
    return m.matches() ? Optional.of(m.group(1).toLowerCase(Locale.ROOT)) : Optional.empty();
  }

  /** The last path segment of an absolute URL or path, without query or fragment. */
  static String lastSegment(String url) {
    return lastPathSegment(pathOf(url));
  }

  /** The path of an absolute URL ({@code /} if it has none), or the input if it is a path. */
  static String pathOf(String url) {
    String s = url;
    int scheme = s.indexOf("://");
    if (scheme >= 0) {
      int slash = s.indexOf('/', scheme + 3);
      s = slash < 0 ? "/" : s.substring(slash);
    }
    int end = s.length();
    int q = s.indexOf('?');
    if (q >= 0) {
      end = q;
    }
    int hash = s.indexOf('#');
    if (hash >= 0 && hash < end) {
      end = hash;
    }
    return s.substring(0, end);
  }

  private static String lastPathSegment(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
