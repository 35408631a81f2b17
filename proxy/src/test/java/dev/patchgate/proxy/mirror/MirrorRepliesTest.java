package dev.patchgate.proxy.mirror;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.HeaderLookup;
import dev.patchgate.mirror.ResponseHead;
import dev.patchgate.mirror.StoredMeta;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MirrorRepliesTest {
  private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");
  private static final String LM = "Tue, 07 Nov 2026 10:00:00 GMT";
  private static final long LENGTH = 1000;
  private static final StoredMeta META =
      meta(
          List.of(
              new HeaderField("Content-Type", "application/octet-stream"),
              new HeaderField("ETag", "\"v1\""),
              new HeaderField("Last-Modified", LM),
              new HeaderField("Cache-Control", "max-age=60")));
  private static final List<String> NEVER_SENT =
      List.of(
          "Connection",
          "Keep-Alive",
          "Proxy-Connection",
          "Proxy-Authenticate",
          "TE",
          "Trailer",
          "Upgrade",
          "Set-Cookie",
          "Via");

  private static StoredMeta meta(List<HeaderField> headers) {
    return new StoredMeta(
        "http://vendor.example:80/a.bin",
        200,
        LENGTH,
        "0".repeat(64),
        Optional.empty(),
        headers,
        NOW.minusSeconds(3600),
        NOW.minusSeconds(30),
        NOW.minusSeconds(30),
        5);
  }

  /**
   * One request against the stored object above; {@code body} is {@code none}, {@code span
   * OFFSET+LENGTH} or {@code parts N}.
   */
  record Row(
      String says,
      String method,
      HeaderLookup request,
      int status,
      String contentRange,
      String contentLength,
      String body) {
    @Override
    public String toString() {
      return says;
    }
  }

  static Stream<Row> stored() {
    return Stream.of(
        new Row("plain GET", "GET", none(), 200, null, "1000", "span 0+1000"),
        new Row("HEAD: the GET's head", "HEAD", none(), 200, null, "1000", "none"),
        new Row("HEAD ignores Range", "HEAD", req("Range", "bytes=0-9"), 200, null, "1000", "none"),
        new Row(
            "first bytes",
            "GET",
            req("Range", "bytes=0-99"),
            206,
            "bytes 0-99/1000",
            "100",
            "span 0+100"),
        new Row(
            "suffix",
            "GET",
            req("Range", "bytes=-100"),
            206,
            "bytes 900-999/1000",
            "100",
            "span 900+100"),
        new Row(
            "open end",
            "GET",
            req("Range", "bytes=990-"),
            206,
            "bytes 990-999/1000",
            "10",
            "span 990+10"),
        new Row(
            "end clipped",
            "GET",
            req("Range", "bytes=990-5000"),
            206,
            "bytes 990-999/1000",
            "10",
            "span 990+10"),
        new Row(
            "two ranges: multipart",
            "GET",
            req("Range", "bytes=0-9,500-509"),
            206,
            null,
            null,
            "parts 2"),
        // Range abuse: overlapping ranges are merged, never answered longer than the object.
        new Row(
            "overlapping ranges merge",
            "GET",
            req("Range", "bytes=0-99,50-149,0-149"),
            206,
            "bytes 0-149/1000",
            "150",
            "span 0+150"),
        new Row(
            "too many ranges: whole object",
            "GET",
            req("Range", manyRanges(17)),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "beyond the end: 416",
            "GET",
            req("Range", "bytes=1000-"),
            416,
            "bytes */1000",
            "0",
            "none"),
        new Row(
            "suffix of zero: 416",
            "GET",
            req("Range", "bytes=-0"),
            416,
            "bytes */1000",
            "0",
            "none"),
        new Row(
            "invalid range: whole object",
            "GET",
            req("Range", "bytes=abc"),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "other unit: whole object",
            "GET",
            req("Range", "items=0-1"),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "two Range fields: whole object",
            "GET",
            req("Range", "bytes=0-1", "Range", "bytes=5-6"),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "If-Range other version: whole",
            "GET",
            req("Range", "bytes=0-9", "If-Range", "\"v0\""),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "If-Range this version: range",
            "GET",
            req("Range", "bytes=0-9", "If-Range", "\"v1\""),
            206,
            "bytes 0-9/1000",
            "10",
            "span 0+10"),
        new Row(
            "If-Range weak: whole",
            "GET",
            req("Range", "bytes=0-9", "If-Range", "W/\"v1\""),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "If-Range date: range",
            "GET",
            req("Range", "bytes=0-9", "If-Range", LM),
            206,
            "bytes 0-9/1000",
            "10",
            "span 0+10"),
        new Row(
            "If-None-Match this version: 304",
            "GET",
            req("If-None-Match", "\"v1\""),
            304,
            null,
            null,
            "none"),
        new Row(
            "If-None-Match weak: 304",
            "GET",
            req("If-None-Match", "W/\"v1\""),
            304,
            null,
            null,
            "none"),
        new Row(
            "If-None-Match star: 304", "GET", req("If-None-Match", "*"), 304, null, null, "none"),
        new Row(
            "If-None-Match other: 200",
            "GET",
            req("If-None-Match", "\"v0\", \"v2\""),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "If-Modified-Since same: 304",
            "GET",
            req("If-Modified-Since", LM),
            304,
            null,
            null,
            "none"),
        new Row(
            "If-Modified-Since earlier: 200",
            "GET",
            req("If-Modified-Since", "Mon, 06 Nov 2026 10:00:00 GMT"),
            200,
            null,
            "1000",
            "span 0+1000"),
        new Row(
            "HEAD conditional: 304",
            "HEAD",
            req("If-None-Match", "\"v1\""),
            304,
            null,
            null,
            "none"),
        new Row(
            "conditional before Range",
            "GET",
            req("If-None-Match", "\"v1\"", "Range", "bytes=0-9"),
            304,
            null,
            null,
            "none"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("stored")
  void aStoredObjectIsAnsweredAsTheRequestAsks(Row row) {
    MirrorReply reply =
        MirrorReplies.stored(row.method(), row.request(), META, NOW, 16, () -> "B0undary");

    assertThat(reply.status()).as("status").isEqualTo(row.status());
    assertThat(reply.header("Content-Range")).as("Content-Range").isEqualTo(row.contentRange());
    if (row.contentLength() != null) {
      assertThat(reply.header("Content-Length"))
          .as("Content-Length")
          .isEqualTo(row.contentLength());
    }
    assertThat(describe(reply.body())).as("body").isEqualTo(row.body());
    assertThat(reply.header("X-Cache")).isEqualTo("HIT from patchgate");
    assertThat(reply.header("Date")).isEqualTo("Mon, 23 Nov 2026 10:00:00 GMT");
    assertThat(reply.header("Transfer-Encoding")).isNull();
    assertNoHopByHop(reply);
    if (reply.status() == 304) {
      assertThat(reply.header("Content-Length")).isNull();
      assertThat(reply.header("Content-Type")).isNull();
      assertThat(reply.header("ETag")).isEqualTo("\"v1\"");
      assertThat(reply.header("Cache-Control")).isEqualTo("max-age=60");
    }
  }

  @Test
  void aFullReplyRepeatsTheRepresentationFieldsAndTheAge() {
    MirrorReply reply = MirrorReplies.stored("GET", none(), META, NOW, 16, () -> "B");

    assertThat(reply.headers())
        .extracting(HeaderField::name)
        .containsExactly(
            "Date",
            "Content-Type",
            "ETag",
            "Last-Modified",
            "Cache-Control",
            "Accept-Ranges",
            "Age",
            "X-Cache",
            "Content-Length");
    // 5 s old when validated, validated 30 s ago.
    assertThat(reply.header("Age")).isEqualTo("35");
  }

  @Test
  void storedFieldsOtherThanTheRepresentationsAreNeverReplayed() {
    StoredMeta tampered =
        meta(
            List.of(
                new HeaderField("Content-Type", "text/plain"),
                new HeaderField("Connection", "close"),
                new HeaderField("Transfer-Encoding", "chunked"),
                new HeaderField("Set-Cookie", "session=1"),
                new HeaderField("Content-Length", "5")));

    MirrorReply reply = MirrorReplies.stored("GET", none(), tampered, NOW, 16, () -> "B");

    assertNoHopByHop(reply);
    assertThat(reply.header("Transfer-Encoding")).isNull();
    assertThat(reply.headers())
        .filteredOn(f -> f.name().equalsIgnoreCase("Content-Length"))
        .extracting(HeaderField::value)
        .containsExactly("1000");
  }

  @Test
  void a304WithoutAnEtagCarriesLastModified() {
    StoredMeta noEtag = meta(List.of(new HeaderField("Last-Modified", LM)));

    MirrorReply reply =
        MirrorReplies.stored("GET", req("If-Modified-Since", LM), noEtag, NOW, 16, () -> "B");

    assertThat(reply.status()).isEqualTo(304);
    assertThat(reply.header("Last-Modified")).isEqualTo(LM);
  }

  @Test
  void aMultipartReplyDeclaresItsBoundaryAndTheExactLengthOfItsParts() {
    MirrorReply reply =
        MirrorReplies.stored("GET", req("Range", "bytes=0-9,500-509"), META, NOW, 16, () -> "xyz");

    MirrorReply.Parts parts = (MirrorReply.Parts) reply.body();
    long total = parts.plan().closing().length;
    for (var part : parts.plan().parts()) {
      total += part.header().length + part.length();
      assertThat(new String(part.header(), StandardCharsets.US_ASCII))
          .contains("Content-Type: application/octet-stream\r\n");
    }
    assertThat(reply.header("Content-Type")).isEqualTo("multipart/byteranges; boundary=xyz");
    assertThat(reply.header("Content-Length")).isEqualTo(Long.toString(total));
    assertThat(reply.headers()).filteredOn(f -> f.name().equals("Content-Type")).hasSize(1);
  }

  @Test
  void theNettyHeadCarriesTheFieldsAndTheCallersKeepAliveChoice() {
    MirrorReply reply = MirrorReplies.stored("GET", none(), META, NOW, 16, () -> "B");

    HttpResponse open = reply.head(true);
    HttpResponse closing = reply.head(false);

    assertThat(open.status().code()).isEqualTo(200);
    assertThat(open.headers().get(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo("1000");
    assertThat(open.headers().contains(HttpHeaderNames.CONNECTION)).isFalse();
    assertThat(closing.headers().get(HttpHeaderNames.CONNECTION)).isEqualTo("close");
  }

  /**
   * One request against a fill of {@code declared} bytes (-1: chunked) of which 1 MiB is written;
   * {@code status} 0 means forward the request.
   */
  record GrowingRow(
      String says,
      String method,
      HeaderLookup request,
      long declared,
      boolean http11,
      int status,
      String framing,
      String body) {
    @Override
    public String toString() {
      return says;
    }
  }

  static Stream<GrowingRow> growing() {
    long mib = 1 << 20;
    long ten = 10 * mib;
    return Stream.of(
        new GrowingRow(
            "GET: the whole body", "GET", none(), ten, true, 200, "length " + ten, "span 0+" + ten),
        new GrowingRow("HEAD: the head", "HEAD", none(), ten, true, 200, "length " + ten, "none"),
        new GrowingRow(
            "range within the fill",
            "GET",
            req("Range", "bytes=0-99"),
            ten,
            true,
            206,
            "length 100",
            "span 0+100"),
        new GrowingRow(
            "range just inside the window",
            "GET",
            req("Range", "bytes=" + (5 * mib - 1) + "-" + (5 * mib)),
            ten,
            true,
            206,
            "length 2",
            "span " + (5 * mib - 1) + "+2"),
        new GrowingRow(
            "range beyond the window: forward",
            "GET",
            req("Range", "bytes=" + (5 * mib) + "-"),
            ten,
            true,
            0,
            null,
            null),
        new GrowingRow(
            "several ranges: forward",
            "GET",
            req("Range", "bytes=0-1,10-11"),
            ten,
            true,
            0,
            null,
            null),
        new GrowingRow(
            "beyond the declared end: 416",
            "GET",
            req("Range", "bytes=" + ten + "-"),
            ten,
            true,
            416,
            "length 0",
            "none"),
        new GrowingRow(
            "invalid range: the whole body",
            "GET",
            req("Range", "bytes=x"),
            ten,
            true,
            200,
            "length " + ten,
            "span 0+" + ten),
        new GrowingRow(
            "If-None-Match its version: 304",
            "GET",
            req("If-None-Match", "\"g\""),
            ten,
            true,
            304,
            "none",
            "none"),
        new GrowingRow(
            "unknown length: chunked", "GET", none(), -1, true, 200, "chunked", "span 0+-1"),
        new GrowingRow(
            "unknown length, HEAD: no framing", "HEAD", none(), -1, true, 200, "none", "none"),
        new GrowingRow(
            "unknown length, range: forward",
            "GET",
            req("Range", "bytes=0-9"),
            -1,
            true,
            0,
            null,
            null),
        new GrowingRow(
            "unknown length, HTTP/1.0: forward", "GET", none(), -1, false, 0, null, null),
        new GrowingRow(
            "known length, HTTP/1.0: served",
            "GET",
            none(),
            ten,
            false,
            200,
            "length " + ten,
            "span 0+" + ten));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("growing")
  void aFillInProgressIsAnsweredOrForwarded(GrowingRow row) {
    ResponseHead head =
        new ResponseHead(
            200,
            List.of(
                new HeaderField("Content-Type", "application/octet-stream"),
                new HeaderField("ETag", "\"g\"")),
            row.declared(),
            NOW);

    Optional<MirrorReply> reply =
        MirrorReplies.growing(row.method(), row.request(), head, 1 << 20, row.http11(), NOW, 16);

    if (row.status() == 0) {
      assertThat(reply).as("forwarded").isEmpty();
      return;
    }
    assertThat(reply).isPresent();
    MirrorReply r = reply.get();
    assertThat(r.status()).as("status").isEqualTo(row.status());
    assertThat(framing(r)).as("framing").isEqualTo(row.framing());
    assertThat(describe(r.body())).as("body").isEqualTo(row.body());
    assertThat(r.header("X-Cache")).isEqualTo("MISS from patchgate");
    assertThat(r.header("Age")).isNull();
    assertNoHopByHop(r);
  }

  private static String framing(MirrorReply r) {
    if (r.header("Transfer-Encoding") != null) {
      return r.header("Content-Length") == null ? r.header("Transfer-Encoding") : "both!";
    }
    return r.header("Content-Length") == null ? "none" : "length " + r.header("Content-Length");
  }

  private static String describe(MirrorReply.Body body) {
    if (body instanceof MirrorReply.Span span) {
      return "span " + span.offset() + "+" + span.length();
    }
    if (body instanceof MirrorReply.Parts parts) {
      return "parts " + parts.plan().parts().size();
    }
    return "none";
  }

  private static void assertNoHopByHop(MirrorReply reply) {
    for (String name : NEVER_SENT) {
      assertThat(reply.header(name)).as(name).isNull();
    }
  }

  private static HeaderLookup none() {
    return HeaderLookup.none();
  }

  private static HeaderLookup req(String... namesAndValues) {
    return HeaderLookup.of(namesAndValues);
  }

  private static String manyRanges(int n) {
    List<String> specs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      specs.add((i * 20) + "-" + (i * 20 + 9));
    }
    return "bytes=" + String.join(",", specs);
  }
}
