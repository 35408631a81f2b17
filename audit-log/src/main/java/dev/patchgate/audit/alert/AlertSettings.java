package dev.patchgate.audit.alert;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The alerts configuration: the deduplication window and where alerts go. Parsed once by the
 * gateway from {@code patchgate.alerts}.
 *
 * @param window events of one kind, client and host within this time make one alert and one
 *     summary; positive
 * @param channels where alerts go; empty turns alerting off
 */
public record AlertSettings(Duration window, List<AlertChannelSettings> channels) {
  /** The window unless configured otherwise. */
  public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);

  /**
   * Checks the settings and copies the list.
   *
   * @throws IllegalArgumentException if the window is not positive
   */
  public AlertSettings {
    Objects.requireNonNull(window, "window");
    channels = List.copyOf(channels);
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("window: " + window + " (expected: > 0)");
    }
  }

  /** No channels: nothing is sent. */
  public static AlertSettings disabled() {
    return new AlertSettings(DEFAULT_WINDOW, List.of());
  }
}
