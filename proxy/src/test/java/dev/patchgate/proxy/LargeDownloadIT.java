package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Update files are several GB: the gateway streams them and never holds a body in memory. */
class LargeDownloadIT {
  private static final long TWO_GIB = 2L << 30;

  @TempDir Path dir;

  @Test
  void twoGibResponseStreamsThroughAGatewayWith128MibOfHeap() throws Exception {
    try (HttpOrigin origin = HttpOrigin.plain()) {
      try (GatewayProcess gateway =
          GatewayProcess.runAllowingLoopbackPort(dir, origin.port(), List.of("-Xmx128m"), "")) {
        int port = gateway.awaitPort();
        HttpClient client =
            HttpClient.newBuilder()
                .proxy(
                    ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
                .build();
        URI uri = URI.create(origin.base() + "/generated/" + TWO_GIB);

        HttpResponse<InputStream> response =
            client.send(
                HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofInputStream());

        assertThat(response.statusCode()).isEqualTo(200);
        long position = 0;
        long mismatches = 0;
        byte[] buffer = new byte[1 << 16];
        try (InputStream body = response.body()) {
          int n;
          while ((n = body.read(buffer)) > 0) {
            for (int i = 0; i < n; i++) {
              if (buffer[i] != HttpOrigin.generatedByte(position + i)) {
                mismatches++;
              }
            }
            position += n;
          }
        }
        assertThat(position).isEqualTo(TWO_GIB);
        assertThat(mismatches).isZero();
        assertThat(gateway.output()).noneMatch(line -> line.contains("OutOfMemoryError"));
      }
    }
  }
}
