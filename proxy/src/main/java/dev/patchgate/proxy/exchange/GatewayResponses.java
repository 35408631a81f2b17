package dev.patchgate.proxy.exchange;

import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;

/**
 * The gateway's own answers. The body names the status and the reason phrase and nothing else: no
 * host names, addresses or versions of the network behind the gateway.
 *
 * <p>Public for the request path and the mirror, which answer with it.
 */
public final class GatewayResponses {
  public static final String AUTO_CONFIG_TYPE = "application/x-ns-proxy-autoconfig";

  private GatewayResponses() {}

  /**
   * The proxy auto-configuration file, 200 with {@code application/x-ns-proxy-autoconfig}.
   *
   * @param script the PAC file's text, generated from the configuration
   * @param head true for a HEAD request: headers only
   */
  public static FullHttpResponse autoConfig(String script, boolean head) {
    byte[] body = script.getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            HttpResponseStatus.OK,
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, AUTO_CONFIG_TYPE);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    // Clients cache it as they see fit; a changed configuration must reach them within minutes.
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "max-age=300");
    HttpUtil.setKeepAlive(response, true);
    return response;
  }

  /**
   * A refusal with a short plain-text body.
   *
   * @param reason a fixed phrase (never request data)
   * @param head true for a HEAD request: headers only, with the Content-Length a GET would get
   * @param close true to close the connection after it, whenever the request's framing is suspect
   */
  public static FullHttpResponse refusal(
      HttpResponseStatus status, String reason, boolean head, boolean close) {
    byte[] body =
        (status.code() + " " + status.reasonPhrase() + ": " + reason + "\n")
            .getBytes(StandardCharsets.UTF_8);
    FullHttpResponse response =
        new DefaultFullHttpResponse(
            HttpVersion.HTTP_1_1,
            status,
            head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE);
    if (status.equals(HttpResponseStatus.METHOD_NOT_ALLOWED)) {
      response.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD, CONNECT");
    }
    HttpUtil.setKeepAlive(response, !close);
    return response;
  }
}
