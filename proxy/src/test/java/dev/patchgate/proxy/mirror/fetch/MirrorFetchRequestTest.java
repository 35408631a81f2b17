package dev.patchgate.proxy.mirror.fetch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.mirror.HeaderField;
import dev.patchgate.mirror.MirrorStrategy;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.EmptyHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MirrorFetchRequestTest {
  private static final InetSocketAddress PINNED =
      new InetSocketAddress(InetAddress.getLoopbackAddress(), 8080);

  private static HttpHeaders sent(HttpHeaders client) {
    return MirrorFetchRequest.of(PINNED, "dl.example.test:8080", "/a.cab", client, List.of())
        .headers();
  }

  @ParameterizedTest(name = "{0}: {1} -> forwarded={2}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # the few fields that cannot make the answer personal
          User-Agent          | Windows-Update-Agent/10.0 | true
          Accept              | */*                       | true
          Cache-Control       | no-cache                  | true
          Pragma              | no-cache                  | true
          # issue 10, finding 9: the first client's identity must not decide what everyone gets
          Cookie              | session=alice             | false
          Authorization       | Bearer alice-token        | false
          X-Vendor-Token      | 42                        | false
          X-Api-Key           | alice                     | false
          Accept-Language     | ja-JP                     | false
          From                | alice@hospital.example    | false
          X-Forwarded-For     | 10.0.0.7                  | false
          # a fill fetches the whole 200: never the client's range or conditionals
          Range               | bytes=0-99                | false
          If-Range            | "v1"                      | false
          If-None-Match       | "client"                  | false
          If-Modified-Since   | Mon, 01 Jan 2024 00:00:00 GMT | false
          If-Match            | "x"                       | false
          If-Unmodified-Since | Mon, 01 Jan 2024 00:00:00 GMT | false
          # hop-by-hop: meant for the gateway, not the upstream
          Proxy-Authorization | Basic Zm9vOmJhcg==        | false
          Proxy-Connection    | keep-alive                | false
          Keep-Alive          | timeout=5                 | false
          TE                  | trailers                  | false
          Trailer             | X-Sum                     | false
          Upgrade             | h2c                       | false
          Transfer-Encoding   | chunked                   | false
          # a GET fill has no body
          Content-Length      | 0                         | false
          Expect              | 100-continue              | false
          """)
  void clientFieldIsForwardedOnlyWhenEndToEnd(String name, String value, boolean forwarded) {
    HttpHeaders client = new DefaultHttpHeaders().add(name, value);

    assertThat(sent(client).getAll(name).contains(value)).isEqualTo(forwarded);
  }

  @Test
  void toAParentTheFillGoesInAbsoluteFormWithTheParentsCredentialsOnly() {
    FetchRoute.Hop parent =
        new FetchRoute.Hop() {
          @Override
          public InetSocketAddress address() {
            return InetSocketAddress.createUnresolved("proxy.internet-side.example", 8080);
          }

          @Override
          public boolean parent() {
            return true;
          }

          @Override
          public Optional<String> authorization() {
            return Optional.of("Basic Z3c6c2VjcmV0");
          }
        };
    HttpHeaders client = new DefaultHttpHeaders().add("Proxy-Authorization", "Basic Y2xpZW50");
    MirrorFetchRequest request =
        MirrorFetchRequest.of(
            new FetchRoute(List.of(parent)),
            "dl.example.test:8080",
            "/a.cab?x=1",
            client,
            List.of());

    HttpRequest toParent = request.toHttpRequest(parent);
    HttpRequest toOrigin = request.toHttpRequest(FetchRoute.origin(PINNED));

    assertThat(toParent.uri()).isEqualTo("http://dl.example.test:8080/a.cab?x=1");
    assertThat(toParent.headers().getAll("Proxy-Authorization"))
        .as("the gateway's credentials for the parent, never the client's")
        .containsExactly("Basic Z3c6c2VjcmV0");
    assertThat(toParent.headers().get("Host")).isEqualTo("dl.example.test:8080");
    assertThat(toOrigin.uri()).isEqualTo("/a.cab?x=1");
    assertThat(toOrigin.headers().contains("Proxy-Authorization")).isFalse();
    ReferenceCountUtil.release(toParent);
    ReferenceCountUtil.release(toOrigin);
  }

  @Test
  void anOriginHopMustBeACheckedAddressButAParentMayBeAName() {
    assertThatThrownBy(
            () ->
                MirrorFetchRequest.of(
                    FetchRoute.direct(InetSocketAddress.createUnresolved("dl.example.test", 80)),
                    "dl.example.test",
                    "/a.cab",
                    EmptyHttpHeaders.INSTANCE,
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a fill never resolves an origin");
  }

  @Test
  void fieldsTheClientsConnectionNamesAreNotForwarded() {
    HttpHeaders client =
        new DefaultHttpHeaders()
            .add("Connection", "keep-alive, Accept")
            .add("Accept", "*/*")
            .add("User-Agent", "apt/2.6");

    HttpHeaders sent = sent(client);

    assertThat(sent.contains("Accept")).isFalse();
    assertThat(sent.get("User-Agent")).isEqualTo("apt/2.6");
    assertThat(sent.getAll("Connection")).containsExactly("close");
  }

  @Test
  void aFillSendsNothingButTheAllowedFieldsAndItsOwn() {
    HttpHeaders client =
        new DefaultHttpHeaders()
            .add("User-Agent", "Microsoft-Delivery-Optimization/10.0")
            .add("Cookie", "session=alice")
            .add("cookie", "second=1")
            .add("Authorization", "Basic YWxpY2U6cHc=")
            .add("Proxy-Authorization", "Basic YWxpY2U6cHc=")
            .add("X-Anything-New", "alice");

    assertThat(sent(client).names().stream().map(n -> n.toLowerCase(Locale.ROOT)))
        .containsExactlyInAnyOrder("host", "user-agent", "via", "accept-encoding", "connection");
  }

  @Test
  void noFieldTheFillAllowsIsOneThatWouldMakeItsAnswerPartialOrConditional() {
    assertThat(MirrorFetchRequest.FORWARDED)
        .doesNotContainAnyElementsOf(
            MirrorStrategy.FILL_DROPPED_REQUEST_HEADERS.stream()
                .map(n -> n.toLowerCase(Locale.ROOT))
                .toList());
  }

  @Test
  void hostAcceptEncodingAndConnectionAreTheFillsOwn() {
    HttpHeaders client =
        new DefaultHttpHeaders()
            .add("Host", "elsewhere.example.test")
            .add("Accept-Encoding", "gzip, br")
            .add("Connection", "keep-alive");

    HttpHeaders sent = sent(client);

    assertThat(sent.getAll("Host")).containsExactly("dl.example.test:8080");
    assertThat(sent.getAll("Accept-Encoding")).containsExactly("identity");
    assertThat(sent.getAll("Connection")).containsExactly("close");
  }

  @Test
  void viaNamesTheGatewayAfterEarlierProxies() {
    HttpHeaders client = new DefaultHttpHeaders().add("Via", "1.1 branch-proxy");

    assertThat(sent(client).getAll("Via")).containsExactly("1.1 branch-proxy", "1.1 patchgate");
  }

  @Test
  void revalidationSendsTheStoresValidatorsInsteadOfTheClients() {
    HttpHeaders client =
        new DefaultHttpHeaders()
            .add("If-None-Match", "\"client\"")
            .add("If-Modified-Since", "Mon, 01 Jan 2024 00:00:00 GMT");
    List<HeaderField> stored =
        List.of(
            new HeaderField("If-None-Match", "\"v1\""),
            new HeaderField("If-Modified-Since", "Tue, 02 Jan 2024 00:00:00 GMT"));

    MirrorFetchRequest request =
        MirrorFetchRequest.of(PINNED, "dl.example.test", "/a.cab", client, stored);

    assertThat(request.revalidation()).isTrue();
    assertThat(request.headers().getAll("If-None-Match")).containsExactly("\"v1\"");
    assertThat(request.headers().getAll("If-Modified-Since"))
        .containsExactly("Tue, 02 Jan 2024 00:00:00 GMT");
  }

  @Test
  void plainFillIsNotARevalidation() {
    MirrorFetchRequest request =
        MirrorFetchRequest.of(
            PINNED, "dl.example.test", "/a.cab", EmptyHttpHeaders.INSTANCE, List.of());

    assertThat(request.revalidation()).isFalse();
  }

  @Test
  void requestIsAGetOfTheOriginFormTarget() {
    HttpRequest request =
        MirrorFetchRequest.of(
                PINNED, "dl.example.test", "/x/a.cab?v=1", EmptyHttpHeaders.INSTANCE, List.of())
            .toHttpRequest();
    try {
      assertThat(request.method()).isEqualTo(HttpMethod.GET);
      assertThat(request.uri()).isEqualTo("/x/a.cab?v=1");
      assertThat(request.protocolVersion()).isEqualTo(HttpVersion.HTTP_1_1);
    } finally {
      ReferenceCountUtil.release(request);
    }
  }

  @Test
  void unresolvedAddressIsRefusedBecauseAFillNeverResolves() {
    InetSocketAddress unresolved = InetSocketAddress.createUnresolved("dl.example.test", 80);

    assertThatThrownBy(
            () ->
                MirrorFetchRequest.of(
                    unresolved, "dl.example.test", "/a", EmptyHttpHeaders.INSTANCE, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("never resolves");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          # absolute form: the fill speaks to the origin, not to a proxy
          http://dl.example.test/a
          # request splitting
          /a b
          /a\tb
          ''
          *
          """)
  void malformedTargetIsRefused(String target) {
    assertThatThrownBy(
            () ->
                MirrorFetchRequest.of(
                    PINNED, "dl.example.test", target, EmptyHttpHeaders.INSTANCE, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("origin-form");
  }

  @Test
  void targetWithALineBreakIsRefused() {
    assertThatThrownBy(
            () ->
                MirrorFetchRequest.of(
                    PINNED,
                    "dl.example.test",
                    "/a HTTP/1.1\r\nX: y",
                    EmptyHttpHeaders.INSTANCE,
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("origin-form");
  }

  @Test
  void hostWithALineBreakIsRefused() {
    assertThatThrownBy(
            () ->
                MirrorFetchRequest.of(
                    PINNED, "a.test\r\nX: y", "/a", EmptyHttpHeaders.INSTANCE, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
  }
}
