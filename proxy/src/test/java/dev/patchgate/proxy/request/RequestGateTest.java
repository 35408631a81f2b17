package dev.patchgate.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.Scheme;
import dev.patchgate.allowlist.Target;
import dev.patchgate.proxy.upstream.HostHeader;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

class RequestGateTest {

  private static HttpRequest request(String method, String uri, String... headers) {
    HttpRequest request =
        new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.valueOf(method), uri);
    for (int i = 0; i < headers.length; i += 2) {
      request.headers().add(headers[i], headers[i + 1]);
    }
    return request;
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        // smuggling: any Transfer-Encoding on a request
        Arguments.of(
            request("GET", "http://a.example/", "Transfer-Encoding", "chunked"),
            400,
            RequestGate.TRANSFER_ENCODING),
        Arguments.of(
            request("GET", "http://a.example/", "Transfer-Encoding", "identity"),
            400,
            RequestGate.TRANSFER_ENCODING),
        // smuggling: repeated or odd lengths
        Arguments.of(
            request("GET", "http://a.example/", "Content-Length", "0", "Content-Length", "0"),
            400,
            RequestGate.BAD_CONTENT_LENGTH),
        Arguments.of(
            request("GET", "http://a.example/", "Content-Length", "0, 0"),
            400,
            RequestGate.BAD_CONTENT_LENGTH),
        Arguments.of(
            request("GET", "http://a.example/", "Content-Length", "+1"),
            400,
            RequestGate.BAD_CONTENT_LENGTH),
        Arguments.of(
            request("GET", "http://a.example/", "Content-Length", ""),
            400,
            RequestGate.BAD_CONTENT_LENGTH),
        // smuggling: a body where none belongs
        Arguments.of(
            request("GET", "http://a.example/", "Content-Length", "3"),
            400,
            RequestGate.BODY_NOT_ALLOWED),
        Arguments.of(
            request("CONNECT", "a.example:443", "Content-Length", "10"),
            400,
            RequestGate.BODY_NOT_ALLOWED),
        // methods an update proxy never needs
        Arguments.of(request("POST", "http://a.example/"), 405, RequestGate.METHOD_NOT_ALLOWED),
        Arguments.of(request("OPTIONS", "*"), 405, RequestGate.METHOD_NOT_ALLOWED),
        Arguments.of(request("TRACE", "http://a.example/"), 405, RequestGate.METHOD_NOT_ALLOWED),
        // host confusion: the origin would see another host than the one decided
        Arguments.of(
            request("GET", "http://a.example/", "Host", "b.example"),
            400,
            RequestGate.HOST_MISMATCH),
        Arguments.of(
            request("GET", "http://a.example/", "Host", "a.example:8080"),
            400,
            RequestGate.HOST_MISMATCH),
        Arguments.of(
            request("GET", "http://a.example:8080/", "Host", "a.example"),
            400,
            RequestGate.HOST_MISMATCH),
        Arguments.of(
            request("GET", "http://a.example/", "Host", "a.example", "Host", "b.example"),
            400,
            RequestGate.SEVERAL_HOSTS),
        Arguments.of(
            request("GET", "http://a.example/", "Host", "user@a.example"),
            400,
            RequestGate.HOST_MISMATCH),
        // host confusion: a Host header that a URL parser would cut short to a matching prefix
        Arguments.of(
            request("GET", "http://a.example/", "Host", "a.example/evil"),
            400,
            RequestGate.HOST_MISMATCH),
        Arguments.of(
            request("GET", "http://a.example/", "Host", "a.example?x"),
            400,
            RequestGate.HOST_MISMATCH),
        Arguments.of(
            request("GET", "http://a.example/", "Host", "a.example#x"),
            400,
            RequestGate.HOST_MISMATCH),
        Arguments.of(
            request("CONNECT", "a.example:443", "Host", "b.example:443"),
            400,
            RequestGate.HOST_MISMATCH));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void check_refusesWithTheStatusAndReason(HttpRequest request, int status, String reason) {
    Admission admission = RequestGate.check(request);

    assertThat(admission).isInstanceOf(Admission.Rejected.class);
    Admission.Rejected rejected = (Admission.Rejected) admission;
    assertThat(rejected.status().code()).isEqualTo(status);
    assertThat(rejected.reason()).isEqualTo(reason);
  }

  @Test
  void check_refusesAnUnparseableTargetWithTheParsersReason() {
    Admission admission = RequestGate.check(request("GET", "/files/kb.cab", "Host", "a.example"));

    assertThat(admission).isInstanceOf(Admission.Rejected.class);
    assertThat(((Admission.Rejected) admission).reason()).contains("origin-form");
  }

  @ParameterizedTest
  @CsvSource({"GET, /proxy.pac", "HEAD, /proxy.pac", "GET, /wpad.dat", "HEAD, /wpad.dat"})
  void check_admitsTheAutoConfigPathsInOriginForm(String method, String path) {
    assertThat(RequestGate.check(request(method, path, "Host", "wpad.hospital.local")))
        .isEqualTo(new Admission.AutoConfig());
  }

  @ParameterizedTest
  @CsvSource({
    // only the two exact paths; a look-alike is still an origin-form request to refuse
    "GET, /proxy.pac?x=1",
    "GET, /PROXY.PAC",
    "GET, //proxy.pac",
    // a body is refused before the path is looked at
    "POST, /proxy.pac",
  })
  void check_refusesAnyOtherOriginFormRequest(String method, String path) {
    assertThat(RequestGate.check(request(method, path, "Host", "a.example")))
        .isInstanceOf(Admission.Rejected.class);
  }

  @Test
  void check_refusesAutoConfigWithABody() {
    assertThat(
            RequestGate.check(
                request("GET", "/proxy.pac", "Host", "a.example", "Content-Length", "5")))
        .isEqualTo(
            new Admission.Rejected(
                io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST,
                RequestGate.BODY_NOT_ALLOWED));
  }

  @Test
  void check_refusesHttp2VersionLabels() {
    HttpRequest request =
        new DefaultHttpRequest(
            HttpVersion.valueOf("HTTP/2.0"), HttpMethod.GET, "http://a.example/");

    assertThat(RequestGate.check(request))
        .isEqualTo(
            new Admission.Rejected(
                io.netty.handler.codec.http.HttpResponseStatus.BAD_REQUEST,
                RequestGate.BAD_VERSION));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // valid spellings that must keep working
        "GET     | http://a.example/x     | a.example       | a.example | 80",
        "GET     | http://a.example/x     | A.EXAMPLE.      | a.example | 80",
        "GET     | http://a.example/x     | a.example:80    | a.example | 80",
        "HEAD    | http://a.example:81/x  | a.example:81    | a.example | 81",
        "GET     | http://A.Example./x    |                 | a.example | 80",
        "CONNECT | a.example:443          | a.example:443   | a.example | 443",
        "CONNECT | a.example:443          | a.example       | a.example | 443",
        "GET     | http://[::1]:8080/x    | [::1]:8080      | ::1       | 8080",
        "GET     | http://a.example/x     |                 | a.example | 80",
      })
  void check_admitsWellFormedRequests(
      String method, String uri, String host, String canonicalHost, int port) {
    HttpRequest request = host == null ? request(method, uri) : request(method, uri, "Host", host);
    request.headers().add("Content-Length", "0");

    Admission admission = RequestGate.check(request);

    assertThat(admission).isInstanceOf(Admission.Admitted.class);
    Target target = ((Admission.Admitted) admission).target();
    assertThat(target.host()).isEqualTo(canonicalHost);
    assertThat(target.port()).isEqualTo(port);
    assertThat(target.scheme()).isEqualTo(method.equals("CONNECT") ? Scheme.HTTPS : Scheme.HTTP);
  }

  @ParameterizedTest
  @CsvSource({
    "http://a.example/x, a.example",
    "http://a.example:8080/x, a.example:8080",
    "'http://[::1]/x', '[::1]'",
    "'http://[::1]:81/x', '[::1]:81'",
  })
  void hostHeader_leavesOutTheDefaultPortAndKeepsIpv6Brackets(String uri, String expected) {
    Target target = ((Admission.Admitted) RequestGate.check(request("GET", uri))).target();

    assertThat(HostHeader.of(target)).isEqualTo(expected);
  }
}
