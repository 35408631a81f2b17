package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.proxy.exchange.GatewayResponses;
import java.net.Socket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The proxy listener serves the PAC file at its two paths, and no other origin-form request. */
class AutoConfigIT {
  private static final String ALLOWLIST =
      """
      entries {
        lab { hosts = ["127.0.0.1"], ports = [1] }
      }
      """;

  @TempDir Path dir;
  private GatewayHarness gateway;

  @AfterEach
  void stop() {
    if (gateway != null) {
      gateway.close();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/proxy.pac", "/wpad.dat"})
  void bothPathsServeTheGeneratedFileAndAreAudited(String path) throws Exception {
    gateway =
        GatewayHarness.with(dir, ALLOWLIST)
            .config(
                """
                patchgate.pac {
                  proxies = ["gw1.hospital.local:3128", "gw2.hospital.local:3128"]
                  direct = ["wsus.hospital.local"]
                }
                """)
            .start();

    RawHttp.Response response;
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, "GET " + path + " HTTP/1.1\r\nHost: wpad.hospital.local\r\n\r\n");
      response = RawHttp.read(socket, false);
    }

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.headers()).containsEntry("content-type", GatewayResponses.AUTO_CONFIG_TYPE);
    assertThat(response.bodyText())
        .contains("function FindProxyForURL(url, host)")
        .contains("\"PROXY gw1.hospital.local:3128; PROXY gw2.hospital.local:3128\"")
        .contains("\"wsus.hospital.local\"");
    Map<String, Object> record = gateway.awaitRecordFor(path);
    assertThat(record)
        .containsEntry("decision", "allow")
        .containsEntry("method", "GET")
        .containsEntry("status", 200L)
        .containsEntry("content_type", GatewayResponses.AUTO_CONFIG_TYPE)
        .containsEntry("entry", null)
        .containsEntry("reason", null)
        .containsEntry("host", null)
        .containsEntry("upstream", null);
  }

  @Test
  void withoutProxiesTheFileNamesTheBoundListenAddress() throws Exception {
    gateway = GatewayHarness.start(dir, ALLOWLIST);

    RawHttp.Response response;
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, "GET /proxy.pac HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      response = RawHttp.read(socket, false);
    }

    assertThat(response.bodyText()).contains("\"PROXY 127.0.0.1:" + gateway.port() + "\"");
  }

  @Test
  void listeningOnEveryInterfaceTheFileNamesTheAddressTheClientReached() throws Exception {
    gateway =
        GatewayHarness.with(dir, ALLOWLIST).config("patchgate.listen = \"0.0.0.0:0\"\n").start();

    for (String reached : List.of("127.0.0.1", "127.0.0.2")) {
      RawHttp.Response response;
      try (Socket socket = new Socket(reached, gateway.port())) {
        socket.setSoTimeout(15_000);
        RawHttp.send(socket, "GET /wpad.dat HTTP/1.1\r\nHost: wpad\r\n\r\n");
        response = RawHttp.read(socket, false);
      }

      assertThat(response.bodyText())
          .contains("\"PROXY " + reached + ":" + gateway.port() + "\"")
          .doesNotContain("0.0.0.0");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"/", "/proxy.pac.bak", "/wpad.dat?x=1", "/Proxy.pac", "/x/proxy.pac"})
  void anyOtherOriginFormRequestIsStillRefused(String path) throws Exception {
    gateway = GatewayHarness.start(dir, ALLOWLIST);

    RawHttp.Response response;
    try (Socket socket = gateway.socket()) {
      RawHttp.send(socket, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
      response = RawHttp.read(socket, false);
    }

    assertThat(response.status()).isEqualTo(400);
    assertThat(gateway.awaitRecordFor(path)).containsEntry("decision", "error");
  }
}
