package dev.patchgate.proxy.mirror;

import dev.patchgate.mirror.ByteRange;
import dev.patchgate.mirror.ByteRanges;
import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.HeaderLookup;
import dev.patchgate.mirror.MirrorStrategy;
import dev.patchgate.mirror.MultipartByteranges;
import dev.patchgate.mirror.RangeDecision;
import dev.patchgate.mirror.ResponseHead;
import dev.patchgate.mirror.StoredMeta;
import io.netty.handler.codec.DateFormatter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Decides, without I/O, the reply to a GET or HEAD answered from the mirror: from a stored object
 * ({@link #stored}) or from a fill in progress ({@link #growing}). Pure and thread-safe.
 *
 * <p>Order of evaluation (RFC 9110 section 13.2.2): the client's {@code If-None-Match} / {@code
 * If-Modified-Since} ({@code 304}); then a HEAD (the head of the 200, no body); then {@code Range}
 * and {@code If-Range} ({@link ByteRanges}: 200, 206, multipart 206, 416). {@code If-Match} and
 * {@code If-Unmodified-Since} are not evaluated: they guard changes at an origin, and update
 * clients do not send them on a download.
 *
 * <p>Header fields: {@code Date}; the stored representation fields in {@link #REPLAYED} (the store
 * keeps no others; never a hop-by-hop field); {@code Accept-Ranges: bytes} where ranges are served;
 * {@code Age} on a stored object; the framing; and {@code X-Cache} ({@value #HIT} or {@value
 * #MISS}, the Squid convention operators and vendors look for, naming no host). {@code Connection}
 * is the caller's.
 */
final class MirrorReplies {
  static final String X_CACHE = "X-Cache";
  static final String HIT = "HIT from patchgate";
  static final String MISS = "MISS from patchgate";

  /** The representation fields a reply repeats from the stored ones. */
  static final List<String> REPLAYED =
      List.of(
          "Content-Type",
          "Content-Disposition",
          "Content-Language",
          "ETag",
          "Last-Modified",
          "Cache-Control",
          "Expires");

  // RFC 9110 section 15.4.5: what a 304 carries; Last-Modified only without an ETag.
  private static final List<String> NOT_MODIFIED_FIELDS =
      List.of("ETag", "Cache-Control", "Expires");

  private MirrorReplies() {}

  /**
   * The reply from a stored object.
   *
   * @param method the request method, GET or HEAD
   * @param request the request header fields
   * @param meta the stored object's meta
   * @param now the current time, for {@code Date} and {@code Age}
   * @param maxRanges the most range specs honoured in one request
   * @param boundary makes a multipart boundary; asked only for a multipart reply
   */
  static MirrorReply stored(
      String method,
      HeaderLookup request,
      StoredMeta meta,
      Instant now,
      int maxRanges,
      Supplier<String> boundary) {
    HeaderLookup representation = meta.headerLookup();
    long length = meta.length();
    String age = Long.toString(meta.age(now).getSeconds());
    if (MirrorStrategy.notModified(request, representation)) {
      return notModified(representation, now, age, HIT);
    }
    List<HeaderField> h = start(now);
    if ("HEAD".equals(method)) {
      replay(representation, h);
      h.add(field("Accept-Ranges", "bytes"));
      h.add(field("Age", age));
      h.add(field(X_CACHE, HIT));
      h.add(field("Content-Length", Long.toString(length)));
      return new MirrorReply(200, h, new MirrorReply.NoBody());
    }
    RangeDecision ranges = ByteRanges.resolve(request, representation, length, maxRanges);
    switch (ranges.kind()) {
      case UNSATISFIABLE:
        return unsatisfiable(h, ranges, HIT);
      case SINGLE:
        {
          ByteRange r = ranges.single();
          replay(representation, h);
          h.add(field("Accept-Ranges", "bytes"));
          h.add(field("Age", age));
          h.add(field(X_CACHE, HIT));
          h.add(field("Content-Range", r.contentRange(length)));
          h.add(field("Content-Length", Long.toString(r.length())));
          return new MirrorReply(206, h, new MirrorReply.Span(r.first(), r.length()));
        }
      case MULTI:
        {
          MultipartByteranges.Plan plan =
              MultipartByteranges.plan(
                  ranges.ranges(), length, meta.contentType().orElse(null), boundary.get());
          replayExcept(representation, h, "Content-Type");
          h.add(field("Content-Type", plan.contentType()));
          h.add(field("Accept-Ranges", "bytes"));
          h.add(field("Age", age));
          h.add(field(X_CACHE, HIT));
          h.add(field("Content-Length", Long.toString(plan.contentLength())));
          return new MirrorReply(206, h, new MirrorReply.Parts(plan));
        }
      case FULL:
        break;
    }
    replay(representation, h);
    h.add(field("Accept-Ranges", "bytes"));
    h.add(field("Age", age));
    h.add(field(X_CACHE, HIT));
    h.add(field("Content-Length", Long.toString(length)));
    MirrorReply.Body body =
        length == 0 ? new MirrorReply.NoBody() : new MirrorReply.Span(0, length);
    return new MirrorReply(200, h, body);
  }

  /**
   * The reply from a fill in progress, or empty when the request is better forwarded upstream: a
   * range the fill cannot serve soon ({@link MirrorStrategy#rangeFromFill}: it starts too far
   * beyond what is written), several ranges, a range of a body of unknown length, or an HTTP/1.0
   * client and a body of unknown length (it cannot read chunks, and a close-delimited body would
   * make a cut download look complete).
   *
   * @param method the request method, GET or HEAD
   * @param request the request header fields
   * @param head the fill's response head
   * @param available the bytes written so far
   * @param chunkedAllowed whether the client speaks HTTP/1.1 (can read a chunked body)
   * @param now the current time, for {@code Date}
   * @param maxRanges the most range specs honoured in one request
   */
  static Optional<MirrorReply> growing(
      String method,
      HeaderLookup request,
      ResponseHead head,
      long available,
      boolean chunkedAllowed,
      Instant now,
      int maxRanges) {
    HeaderLookup representation = head.headerLookup();
    long declared = head.declaredLength();
    if (MirrorStrategy.notModified(request, representation)) {
      return Optional.of(notModified(representation, now, null, MISS));
    }
    List<HeaderField> h = start(now);
    if ("HEAD".equals(method)) {
      // No Transfer-Encoding on a HEAD: the encoder would then frame an empty last chunk.
      replay(representation, h);
      if (declared >= 0) {
        h.add(field("Accept-Ranges", "bytes"));
      }
      h.add(field(X_CACHE, MISS));
      if (declared >= 0) {
        h.add(field("Content-Length", Long.toString(declared)));
      }
      return Optional.of(new MirrorReply(200, h, new MirrorReply.NoBody()));
    }
    if (declared < 0) {
      if (request.has("Range") || !chunkedAllowed) {
        return Optional.empty();
      }
      replay(representation, h);
      h.add(field(X_CACHE, MISS));
      h.add(field("Transfer-Encoding", "chunked"));
      return Optional.of(new MirrorReply(200, h, new MirrorReply.Span(0, -1)));
    }
    RangeDecision ranges = ByteRanges.resolve(request, representation, declared, maxRanges);
    switch (ranges.kind()) {
      case UNSATISFIABLE:
        return Optional.of(unsatisfiable(h, ranges, MISS));
      case MULTI:
        return Optional.empty();
      case SINGLE:
        {
          ByteRange r = ranges.single();
          if (!MirrorStrategy.rangeFromFill(r.first(), available, declared)) {
            return Optional.empty();
          }
          replay(representation, h);
          h.add(field("Accept-Ranges", "bytes"));
          h.add(field(X_CACHE, MISS));
          h.add(field("Content-Range", r.contentRange(declared)));
          h.add(field("Content-Length", Long.toString(r.length())));
          return Optional.of(new MirrorReply(206, h, new MirrorReply.Span(r.first(), r.length())));
        }
      case FULL:
        break;
    }
    replay(representation, h);
    h.add(field("Accept-Ranges", "bytes"));
    h.add(field(X_CACHE, MISS));
    h.add(field("Content-Length", Long.toString(declared)));
    return Optional.of(new MirrorReply(200, h, new MirrorReply.Span(0, declared)));
  }

  private static MirrorReply notModified(
      HeaderLookup representation, Instant now, String age, String cache) {
    List<HeaderField> h = start(now);
    for (String name : NOT_MODIFIED_FIELDS) {
      representation.first(name).ifPresent(v -> h.add(field(name, v)));
    }
    if (!representation.has("ETag")) {
      representation.first("Last-Modified").ifPresent(v -> h.add(field("Last-Modified", v)));
    }
    if (age != null) {
      h.add(field("Age", age));
    }
    h.add(field(X_CACHE, cache));
    return new MirrorReply(304, h, new MirrorReply.NoBody());
  }

  private static MirrorReply unsatisfiable(
      List<HeaderField> h, RangeDecision ranges, String cache) {
    h.add(field("Accept-Ranges", "bytes"));
    h.add(field(X_CACHE, cache));
    h.add(field("Content-Range", ranges.unsatisfiedContentRange()));
    h.add(field("Content-Length", "0"));
    return new MirrorReply(416, h, new MirrorReply.NoBody());
  }

  private static List<HeaderField> start(Instant now) {
    List<HeaderField> h = new ArrayList<>(12);
    h.add(field("Date", DateFormatter.format(Date.from(now))));
    return h;
  }

  private static void replay(HeaderLookup representation, List<HeaderField> out) {
    replayExcept(representation, out, null);
  }

  private static void replayExcept(HeaderLookup representation, List<HeaderField> out, String but) {
    for (String name : REPLAYED) {
      if (!name.equals(but)) {
        representation.first(name).ifPresent(v -> out.add(field(name, v)));
      }
    }
  }

  private static HeaderField field(String name, String value) {
    return new HeaderField(name, value);
  }
}
