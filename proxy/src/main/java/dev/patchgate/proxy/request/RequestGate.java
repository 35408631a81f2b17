package dev.patchgate.proxy.request;

import dev.patchgate.allowlist.Target;
import dev.patchgate.allowlist.TargetException;
import dev.patchgate.allowlist.TargetParser;
import dev.patchgate.proxy.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.List;

/**
 * Checks the form of a proxy request: method, framing headers, target and Host. The only
 * origin-form requests it lets through are GET and HEAD of the PAC file's two paths. Pure: no I/O,
 * no state; each refusal carries a fixed reason phrase.
 *
 * <p>Refusing every request body closes the smuggling class outright: an update proxy only needs
 * GET, HEAD and CONNECT, none of which carries a body, so any {@code Transfer-Encoding} or non-zero
 * {@code Content-Length} means a client (or an attacker) disagrees with us about framing.
 *
 * <p>Public for the end-to-end tests, which name its reason phrases.
 */
public final class RequestGate {
  static final String METHOD_NOT_ALLOWED = "method not allowed (GET, HEAD and CONNECT only)";
  public static final String MALFORMED = Exchange.MALFORMED_REQUEST;
  static final String BAD_VERSION = "unsupported HTTP version";
  static final String TRANSFER_ENCODING = "Transfer-Encoding not allowed on requests";
  static final String BAD_CONTENT_LENGTH = "invalid or repeated Content-Length";
  static final String BODY_NOT_ALLOWED = "request body not allowed";
  static final String SEVERAL_HOSTS = "more than one Host header";
  static final String HOST_MISMATCH = "Host header differs from the request URL";

  /** The origin-form paths answered with the PAC file (a browser's URL, and WPAD's). */
  public static final List<String> AUTO_CONFIG_PATHS = List.of("/proxy.pac", "/wpad.dat");

  private RequestGate() {}

  static Admission check(HttpRequest request) {
    if (request.decoderResult().isFailure()) {
      return reject(HttpResponseStatus.BAD_REQUEST, MALFORMED);
    }
    HttpVersion version = request.protocolVersion();
    if (version.majorVersion() != 1 || version.minorVersion() > 1) {
      return reject(HttpResponseStatus.BAD_REQUEST, BAD_VERSION);
    }
    HttpMethod method = request.method();
    boolean connect = HttpMethod.CONNECT.equals(method);
    if (!connect && !HttpMethod.GET.equals(method) && !HttpMethod.HEAD.equals(method)) {
      return reject(HttpResponseStatus.METHOD_NOT_ALLOWED, METHOD_NOT_ALLOWED);
    }
    HttpHeaders headers = request.headers();
    if (headers.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
      return reject(HttpResponseStatus.BAD_REQUEST, TRANSFER_ENCODING);
    }
    List<String> lengths = headers.getAll(HttpHeaderNames.CONTENT_LENGTH);
    if (lengths.size() > 1 || (lengths.size() == 1 && !isDecimal(lengths.get(0)))) {
      return reject(HttpResponseStatus.BAD_REQUEST, BAD_CONTENT_LENGTH);
    }
    if (lengths.size() == 1 && !lengths.get(0).chars().allMatch(c -> c == '0')) {
      return reject(HttpResponseStatus.BAD_REQUEST, BODY_NOT_ALLOWED);
    }
    if (isAutoConfig(request)) {
      // Asked of the gateway itself, not through it: there is no target and no Host to check.
      return new Admission.AutoConfig();
    }
    Target target;
    try {
      target =
          connect
              ? TargetParser.parseConnect(request.uri())
              : TargetParser.parseAbsolute(request.uri());
    } catch (TargetException e) {
      return reject(HttpResponseStatus.BAD_REQUEST, e.reason());
    }
    List<String> hosts = headers.getAll(HttpHeaderNames.HOST);
    if (hosts.size() > 1) {
      return reject(HttpResponseStatus.BAD_REQUEST, SEVERAL_HOSTS);
    }
    if (hosts.size() == 1 && !TargetParser.hostHeaderNames(hosts.get(0), target)) {
      return reject(HttpResponseStatus.BAD_REQUEST, HOST_MISMATCH);
    }
    return new Admission.Admitted(target);
  }

  /**
   * True for the two origin-form paths browsers and WPAD ask for the PAC file; any other
   * origin-form request goes on to be refused as not absolute-form.
   */
  private static boolean isAutoConfig(HttpRequest request) {
    return !HttpMethod.CONNECT.equals(request.method())
        && AUTO_CONFIG_PATHS.contains(request.uri());
  }

  private static boolean isDecimal(String value) {
    return !value.isEmpty()
        && value.length() <= 19
        && value.chars().allMatch(c -> c >= '0' && c <= '9');
  }

  private static Admission reject(HttpResponseStatus status, String reason) {
    return new Admission.Rejected(status, reason);
  }
}
