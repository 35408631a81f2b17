package dev.patchgate.proxy.mirror;

import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.MultipartByteranges;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;
import java.util.Objects;

/**
 * What the gateway sends for one request it answers from the mirror: a status, the header fields,
 * and which bytes of the object follow the head. Built by {@link MirrorReplies}; sent by {@link
 * MirrorHitWriter} and {@link MirrorFollower}.
 *
 * @param status the status code
 * @param headers the header fields, framing ({@code Content-Length} or {@code Transfer-Encoding})
 *     included, {@code Connection} excluded (the caller decides keep-alive)
 * @param body what follows the head
 */
record MirrorReply(int status, List<HeaderField> headers, Body body) {
  MirrorReply {
    Objects.requireNonNull(body, "body");
    headers = List.copyOf(headers);
  }

  /** What follows the head. */
  sealed interface Body permits NoBody, Span, Parts {}

  /** Nothing: a HEAD, a 304, a 416, an empty object. */
  record NoBody() implements Body {}

  /**
   * {@code length} bytes of the object from {@code offset}; a length of -1 means up to the end of a
   * body whose length is not known yet (sent chunked).
   */
  record Span(long offset, long length) implements Body {}

  /** A {@code multipart/byteranges} body laid out by {@link MultipartByteranges}. */
  record Parts(MultipartByteranges.Plan plan) implements Body {}

  /** The first header field named {@code name} (ignoring case), or null; for logs and tests. */
  String header(String name) {
    for (HeaderField f : headers) {
      if (f.name().equalsIgnoreCase(name)) {
        return f.value();
      }
    }
    return null;
  }

  /**
   * The response head to write, without a body: a {@link DefaultHttpResponse}, so that the body can
   * follow as file regions.
   *
   * @param keepAlive false to say {@code Connection: close}
   */
  HttpResponse head(boolean keepAlive) {
    HttpResponse response =
        new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
    for (HeaderField f : headers) {
      response.headers().add(f.name(), f.value());
    }
    HttpUtil.setKeepAlive(response, keepAlive);
    return response;
  }
}
