package dev.patchgate.proxy.mirror.fetch;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The hop-by-hop header fields of one connection (RFC 9110, section 7.6.1): those its {@code
 * Connection} field lists, and the fixed ones. A fill's request and the answer it passes on to a
 * client both leave them behind.
 */
final class HopByHop {
  /** Hop-by-hop whether or not {@code Connection} lists them. */
  private static final List<String> FIXED =
      List.of(
          "Connection",
          "Keep-Alive",
          "Proxy-Connection",
          "Proxy-Authenticate",
          "TE",
          "Trailer",
          "Upgrade");

  private HopByHop() {}

  /** The field names {@code fields}' {@code Connection} lists, in lower case. */
  static Set<String> listedInConnection(HttpHeaders fields) {
    Set<String> tokens = new HashSet<>();
    for (String value : fields.getAll(HttpHeaderNames.CONNECTION)) {
      for (String token : value.split(",", -1)) {
        String t = token.trim().toLowerCase(Locale.ROOT);
        if (!t.isEmpty()) {
          tokens.add(t);
        }
      }
    }
    return tokens;
  }

  /**
   * A copy of a response's fields without the hop-by-hop ones. The framing fields stay even when
   * {@code Connection} lists them: the body that follows is framed by them.
   */
  static HttpHeaders strippedResponse(HttpHeaders fields) {
    HttpHeaders copy = fields.copy();
    for (String name : listedInConnection(fields)) {
      if (!name.equals("content-length") && !name.equals("transfer-encoding")) {
        copy.remove(name);
      }
    }
    for (String name : FIXED) {
      copy.remove(name);
    }
    return copy;
  }
}
