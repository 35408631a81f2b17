package dev.patchgate.proxy.mirror.fetch;

import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.MirrorStrategy;
import dev.patchgate.proxy.request.ForwardedFor;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The request a mirror fill sends upstream: {@code GET path HTTP/1.1} to the pinned address, with
 * only those of the triggering client's fields that cannot make the answer personal, and with the
 * store's own validators when it revalidates. Built once, on the caller's thread, from the client's
 * header fields (which are not read again); immutable after.
 *
 * <p>The stored object is served to every later client, so it must be the anonymous one: the
 * client's fields are forwarded from an allowlist ({@link #FORWARDED}: {@code User-Agent}, {@code
 * Accept}, {@code Cache-Control}, {@code Pragma}), never a denylist, so that {@code Cookie}, {@code
 * Authorization}, {@code Proxy-Authorization}, a vendor's token field or any field invented
 * tomorrow never goes upstream on a fill (issue 10, finding 9). A field the client's {@code
 * Connection} lists is hop-by-hop and not forwarded either. The fill sets {@code Host}, {@code
 * Accept-Encoding: identity} (the mirror stores identity content only) and {@code Connection:
 * close} (one connection per fill) itself, and appends the gateway to {@code Via}, as on the
 * pass-through path. None of {@link MirrorStrategy#FILL_DROPPED_REQUEST_HEADERS} (range,
 * conditionals) is ever forwarded: a fill fetches the whole 200. The one range the gateway asks for
 * is its own: the rest of a download whose fill was given up ({@link #range}).
 */
final class MirrorFetchRequest {
  /** What the gateway adds to {@code Via}, as LittleProxy does with the alias "patchgate". */
  static final String VIA = "1.1 patchgate";

  /** The client's fields a fill forwards (lower case); every other one stays behind. */
  static final Set<String> FORWARDED = Set.of("user-agent", "accept", "cache-control", "pragma");

  private final FetchRoute route;
  private final String pathAndQuery;
  private final HttpHeaders headers;
  private final boolean revalidation;

  private MirrorFetchRequest(
      FetchRoute route, String pathAndQuery, HttpHeaders headers, boolean revalidation) {
    this.route = route;
    this.pathAndQuery = pathAndQuery;
    this.headers = headers;
    this.revalidation = revalidation;
  }

  /**
   * The fill request for one URL.
   *
   * @param address the checked, pinned upstream address; dialled as it is, never looked up
   * @param host the {@code Host} field to send (the canonical target's authority)
   * @param pathAndQuery the request target in origin form, starting with {@code /}
   * @param clientHeaders the triggering client's request fields; read now, not kept
   * @param conditional the decision's validators for a revalidation ({@code If-None-Match}, {@code
   *     If-Modified-Since}), or empty for a plain fill
   * @throws IllegalArgumentException if the address is unresolved, or the host or target is empty
   *     or holds a space, a control character or non-ASCII
   */
  static MirrorFetchRequest of(
      InetSocketAddress address,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> conditional) {
    return of(FetchRoute.direct(address), host, pathAndQuery, clientHeaders, conditional);
  }

  /** As {@link #of(InetSocketAddress, String, String, HttpHeaders, List)}, along {@code route}. */
  static MirrorFetchRequest of(
      FetchRoute route,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> conditional) {
    return build(route, host, pathAndQuery, clientHeaders, conditional, !conditional.isEmpty());
  }

  /**
   * The request for the rest of a download: as {@link #of}, with the gateway's own {@code Range}
   * and {@code If-Range} instead of validators; its answer is never stored.
   *
   * @param range the {@code Range} and {@code If-Range} fields ({@code ResumePolicy.request})
   * @throws IllegalArgumentException as {@link #of}
   */
  static MirrorFetchRequest range(
      FetchRoute route,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> range) {
    return build(route, host, pathAndQuery, clientHeaders, range, false);
  }

  private static MirrorFetchRequest build(
      FetchRoute route,
      String host,
      String pathAndQuery,
      HttpHeaders clientHeaders,
      List<HeaderField> extra,
      boolean revalidation) {
    Objects.requireNonNull(route, "route");
    Objects.requireNonNull(clientHeaders, "clientHeaders");
    Objects.requireNonNull(extra, "extra");
    for (FetchRoute.Hop hop : route.hops()) {
      if (!hop.parent() && hop.address().isUnresolved()) {
        throw new IllegalArgumentException(
            "address: "
                + hop.address()
                + " (expected: a resolved, checked address; a fill never resolves an origin)");
      }
    }
    requireToken("host", host, false);
    requireToken("pathAndQuery", pathAndQuery, true);
    HttpHeaders out = new DefaultHttpHeaders();
    out.set(HttpHeaderNames.HOST, host);
    Set<String> listedInConnection = HopByHop.listedInConnection(clientHeaders);
    for (Map.Entry<String, String> field : clientHeaders) {
      String name = field.getKey().toLowerCase(Locale.ROOT);
      if (FORWARDED.contains(name) && !listedInConnection.contains(name)) {
        out.add(field.getKey(), field.getValue());
      }
    }
    // Earlier proxies on the way stay named, and the gateway after them.
    out.add(HttpHeaderNames.VIA, clientHeaders.getAll(HttpHeaderNames.VIA));
    out.add(HttpHeaderNames.VIA, VIA);
    for (HeaderField field : extra) {
      out.add(field.name(), field.value());
    }
    out.set(HttpHeaderNames.ACCEPT_ENCODING, HttpHeaderValues.IDENTITY);
    out.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    return new MirrorFetchRequest(route, pathAndQuery, out, revalidation);
  }

  /** Where to dial, in order. */
  FetchRoute route() {
    return route;
  }

  /** Host and target, for the log. */
  String target() {
    return headers.get(HttpHeaderNames.HOST) + pathAndQuery;
  }

  /** Whether the request carries the store's validators, so that a 304 revalidates. */
  boolean revalidation() {
    return revalidation;
  }

  /** The header fields sent, in order; a copy. */
  HttpHeaders headers() {
    return headers.copy();
  }

  /** A new request message to write (its content is the empty buffer: nothing to release). */
  HttpRequest toHttpRequest() {
    return toHttpRequest(route.hops().get(0));
  }

  /**
   * The request message for {@code hop}: to the origin in origin form; to a parent proxy in
   * absolute form, with the parent's {@code Proxy-Authorization} if it wants credentials and the
   * PC's {@code X-Forwarded-For} if the gateway names its clients.
   */
  HttpRequest toHttpRequest(FetchRoute.Hop hop) {
    HttpHeaders sent = headers.copy();
    String target = pathAndQuery;
    if (hop.parent()) {
      target = "http://" + headers.get(HttpHeaderNames.HOST) + pathAndQuery;
      hop.authorization().ifPresent(a -> sent.set(HttpHeaderNames.PROXY_AUTHORIZATION, a));
      hop.forwardedFor().ifPresent(chain -> ForwardedFor.toParent(sent, chain));
    }
    return new DefaultFullHttpRequest(
        HttpVersion.HTTP_1_1,
        HttpMethod.GET,
        target,
        Unpooled.EMPTY_BUFFER,
        sent,
        new DefaultHttpHeaders());
  }

  private static void requireToken(String what, String value, boolean path) {
    Objects.requireNonNull(value, what);
    boolean ok = !value.isEmpty() && (!path || value.charAt(0) == '/');
    for (int i = 0; ok && i < value.length(); i++) {
      char c = value.charAt(i);
      ok = c > 0x20 && c < 0x7f;
    }
    if (!ok) {
      String shown = value.length() > 200 ? value.substring(0, 200) + "..." : value;
      throw new IllegalArgumentException(
          what
              + ": "
              + shown.replaceAll("[^\\x21-\\x7e]", "?")
              + (path
                  ? " (expected: an origin-form target such as /a/b?c, printable ASCII)"
                  : " (expected: host[:port], printable ASCII)"));
    }
  }
}
