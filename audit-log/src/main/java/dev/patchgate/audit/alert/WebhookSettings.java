package dev.patchgate.audit.alert;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * Alerts are POSTed as JSON to a URL (a Teams or Slack incoming webhook, or any receiver that takes
 * {@code {"text": ...}}).
 *
 * @param url an {@code http} or {@code https} URL
 * @param timeout the longest a connection and then a request may take; positive
 */
public record WebhookSettings(URI url, Duration timeout) implements AlertChannelSettings {
  /** The timeout unless configured otherwise. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException with a message naming the value and what is expected
   */
  public WebhookSettings {
    Objects.requireNonNull(url, "url");
    Objects.requireNonNull(timeout, "timeout");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if ((!scheme.equals("http") && !scheme.equals("https")) || url.getHost() == null) {
      throw new IllegalArgumentException(
          "url: " + url + " (expected: an http or https URL, e.g. https://collector.example/hook)");
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("timeout: " + timeout + " (expected: > 0)");
    }
  }
}
