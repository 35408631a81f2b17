package dev.patchgate.audit.alert;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * POSTs each alert as JSON ({@link WebhookMessage}) to the configured URL with {@code
 * java.net.http.HttpClient} over HTTP/1.1. A response other than 2xx, a redirect included, is a
 * failure; the connection and the whole request are bounded by the configured timeout.
 */
final class WebhookChannel implements AlertChannel {
  private final WebhookSettings settings;
  private final HttpClient client;

  WebhookChannel(WebhookSettings settings) {
    this.settings = settings;
    this.client =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.timeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String name() {
    return "webhook";
  }

  @Override
  public void send(Alert alert) throws IOException {
    HttpRequest request =
        HttpRequest.newBuilder(settings.url())
            .timeout(settings.timeout())
            .header("Content-Type", "application/json; charset=utf-8")
            .header("User-Agent", "patchgate-alerts")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    WebhookMessage.json(alert), StandardCharsets.UTF_8))
            .build();
    HttpResponse<Void> response;
    try {
      response = client.send(request, HttpResponse.BodyHandlers.discarding());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while posting the alert");
    }
    int status = response.statusCode();
    if (status < 200 || status > 299) {
      throw new IOException("webhook answered HTTP " + status);
    }
  }

  @Override
  public void close() {
    // HttpClient has no close() before Java 21; its threads are daemons and end with it idle.
  }
}
