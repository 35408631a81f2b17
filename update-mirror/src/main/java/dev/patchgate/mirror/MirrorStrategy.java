package dev.patchgate.mirror;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Decides, without I/O, what the proxy does with a request for a URL the allowlist lets through:
 * serve the stored copy, revalidate it, fill the mirror, or bypass it. Pure and thread-safe.
 *
 * <p>Requests that bypass the mirror: the entry has the mirror off; a method other than GET and
 * HEAD; an {@code Authorization} header (the answer may be meant for that user only); {@code
 * Cache-Control: no-store}; a HEAD for an object not stored or stale (a HEAD never starts a
 * multi-GB download). A {@code Cookie} header does not bypass: update servers do not personalise
 * packages, and a response that varies by cookie says {@code Vary} and is not stored.
 *
 * <p>A client's {@code Cache-Control: no-cache}, {@code max-age=0} or (without Cache-Control)
 * {@code Pragma: no-cache} makes a stored ordinary or index object revalidate; immutable objects
 * are served regardless. {@code min-fresh}, {@code max-stale} and {@code only-if-cached} are
 * ignored.
 *
 * <p>Offline: when the proxy could not reach the upstream (connection refused, DNS or connect
 * timeout), it asks again with {@code upstreamUnreachable}; a stored copy is then served even if
 * stale, {@code must-revalidate} notwithstanding, because a stale patch beats no patch on an
 * isolated network; without one the request bypasses (and fails upstream).
 */
public final class MirrorStrategy {
  /** Request fields the proxy must not forward on a fill: a fill always fetches the whole 200. */
  public static final List<String> FILL_DROPPED_REQUEST_HEADERS =
      List.of(
          "Range",
          "If-Range",
          "If-None-Match",
          "If-Modified-Since",
          "If-Match",
          "If-Unmodified-Since");

  /**
   * How far ahead of a fill's progress a range may start and still wait for the fill rather than
   * being forwarded.
   */
  public static final long FILL_RANGE_WINDOW = 4L << 20;

  static final String OFF = "mirror off for this entry";
  static final String METHOD = "method not mirrored";
  static final String AUTHORIZATION = "request carries Authorization";
  static final String NO_STORE = "request says no-store";
  static final String HEAD_NOT_STORED = "HEAD of an object not stored";
  static final String NOT_STORED = "not stored";
  static final String NOT_STORED_OFFLINE = "not stored; upstream unreachable";
  static final String IMMUTABLE = "immutable";
  static final String FRESH = "fresh";
  static final String STALE_OFFLINE = "stale; upstream unreachable";
  static final String HEAD_STALE = "HEAD of a stale object";
  static final String NO_VALIDATOR = "stale without validators; refetch";
  static final String CLIENT_REVALIDATE = "client asked to revalidate";
  static final String INDEX = "index file; revalidate";
  static final String STALE = "stale; revalidate";

  private MirrorStrategy() {}

  /**
   * What to do with a request.
   *
   * @param method the request method
   * @param request the request header fields
   * @param stored the stored object's meta, if the store holds one
   * @param rules the matching allowlist entry's mirror rules
   * @param now the current time
   * @param upstreamUnreachable true when the proxy has just failed to reach the upstream for this
   *     request and asks whether a stored copy can stand in
   */
  public static MirrorDecision decide(
      String method,
      HeaderLookup request,
      Optional<StoredMeta> stored,
      MirrorRules rules,
      Instant now,
      boolean upstreamUnreachable) {
    if (!rules.enabled()) {
      return MirrorDecision.of(MirrorAction.BYPASS, OFF);
    }
    boolean head = "HEAD".equals(method);
    if (!head && !"GET".equals(method)) {
      return MirrorDecision.of(MirrorAction.BYPASS, METHOD);
    }
    if (request.has("Authorization")) {
      return MirrorDecision.of(MirrorAction.BYPASS, AUTHORIZATION);
    }
    CacheControl cc = CacheControl.parse(request.all("Cache-Control"));
    if (cc.has("no-store")) {
      return MirrorDecision.of(MirrorAction.BYPASS, NO_STORE);
    }
    boolean ranged = request.has("Range");
    if (stored.isEmpty()) {
      if (upstreamUnreachable) {
        return MirrorDecision.of(MirrorAction.BYPASS, NOT_STORED_OFFLINE);
      }
      if (head) {
        return MirrorDecision.of(MirrorAction.BYPASS, HEAD_NOT_STORED);
      }
      return new MirrorDecision(MirrorAction.FILL, NOT_STORED, List.of(), ranged);
    }
    StoredMeta meta = stored.get();
    ObjectClass objectClass = FreshnessPolicy.classify(meta.url(), meta.headerLookup());
    if (objectClass == ObjectClass.IMMUTABLE) {
      return MirrorDecision.of(MirrorAction.SERVE, IMMUTABLE);
    }
    // Classified once: the URL's patterns and the stored headers are matched on every hit.
    boolean fresh = FreshnessPolicy.fresh(meta, rules, now, objectClass);
    String staleReason = objectClass == ObjectClass.INDEX ? INDEX : STALE;
    if (fresh && clientWantsRevalidation(cc, request, meta.age(now))) {
      fresh = false;
      staleReason = CLIENT_REVALIDATE;
    }
    if (fresh) {
      return MirrorDecision.of(MirrorAction.SERVE, FRESH);
    }
    if (upstreamUnreachable) {
      return MirrorDecision.of(MirrorAction.SERVE_STALE, STALE_OFFLINE);
    }
    if (head) {
      return MirrorDecision.of(MirrorAction.BYPASS, HEAD_STALE);
    }
    List<HeaderField> conditional = new ArrayList<>(2);
    meta.etag().ifPresent(e -> conditional.add(new HeaderField("If-None-Match", e)));
    meta.lastModified().ifPresent(l -> conditional.add(new HeaderField("If-Modified-Since", l)));
    if (conditional.isEmpty()) {
      return new MirrorDecision(MirrorAction.FILL, NO_VALIDATOR, List.of(), ranged);
    }
    return new MirrorDecision(MirrorAction.REVALIDATE, staleReason, conditional, ranged);
  }

  private static boolean clientWantsRevalidation(
      CacheControl cc, HeaderLookup request, Duration age) {
    if (cc.has("no-cache")) {
      return true;
    }
    OptionalLong maxAge = cc.seconds("max-age");
    if (maxAge.isPresent()) {
      return age.getSeconds() >= maxAge.getAsLong();
    }
    if (!request.has("Cache-Control")) {
      for (String pragma : request.all("Pragma")) {
        if (pragma.toLowerCase(java.util.Locale.ROOT).contains("no-cache")) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * What to do with the upstream's answer to a {@link MirrorAction#REVALIDATE} request: {@code 304}
   * → {@link MirrorAction#SERVE} (after {@link MirrorStore#revalidated}); {@code 200} → {@link
   * MirrorAction#FILL} (feed it to a fill, which stores it if storable); {@code 500}, {@code 502},
   * {@code 503}, {@code 504} → {@link MirrorAction#SERVE_STALE}; anything else → {@link
   * MirrorAction#BYPASS} (pass the answer on, keep the stored copy).
   */
  public static MirrorAction afterRevalidation(int status) {
    switch (status) {
      case 304:
        return MirrorAction.SERVE;
      case 200:
        return MirrorAction.FILL;
      case 500:
      case 502:
      case 503:
      case 504:
        return MirrorAction.SERVE_STALE;
      default:
        return MirrorAction.BYPASS;
    }
  }

  /**
   * Whether a GET or HEAD with these conditional fields is answered {@code 304} by a representation
   * with these fields (RFC 9110 section 13.2.2): {@code If-None-Match} (weak comparison, {@code *}
   * matches) decides when present; else {@code If-Modified-Since} against {@code Last-Modified}. An
   * unparseable date never matches.
   */
  public static boolean notModified(HeaderLookup request, HeaderLookup representation) {
    List<String> inm = request.all("If-None-Match");
    if (!inm.isEmpty()) {
      Optional<String> etag = representation.first("ETag").map(MirrorStrategy::opaque);
      for (String field : inm) {
        for (String tag : field.split(",", -1)) {
          String t = tag.trim();
          if (t.equals("*") || (etag.isPresent() && !t.isEmpty() && opaque(t).equals(etag.get()))) {
            return true;
          }
        }
      }
      return false;
    }
    Optional<Instant> since = HttpDates.first(request.all("If-Modified-Since"));
    Optional<Instant> modified = HttpDates.first(representation.all("Last-Modified"));
    return since.isPresent() && modified.isPresent() && !modified.get().isAfter(since.get());
  }

  private static String opaque(String etag) {
    String t = etag.trim();
    return t.startsWith("W/") ? t.substring(2) : t;
  }

  /**
   * Whether a range starting at {@code firstByte} of an object still being filled is served from
   * the fill: its length must be known ({@code declaredLength >= 0}) and the range must start no
   * further than {@link #FILL_RANGE_WINDOW} beyond what is written; otherwise forward it.
   */
  public static boolean rangeFromFill(long firstByte, long available, long declaredLength) {
    return declaredLength >= 0
        && firstByte < declaredLength
        && firstByte - available < FILL_RANGE_WINDOW;
  }
}
