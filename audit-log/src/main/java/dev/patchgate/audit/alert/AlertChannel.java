package dev.patchgate.audit.alert;

import java.io.IOException;

/**
 * One place alerts are delivered to. Each channel is driven by its own thread, so a channel may
 * block while it sends; it must not block longer than its own timeouts allow, and {@link #close}
 * must end a blocked send.
 */
interface AlertChannel extends AutoCloseable {
  /** A short name for counters, thread names and log lines: {@code syslog}, {@code webhook}. */
  String name();

  /**
   * Delivers one alert.
   *
   * @throws IOException if it was not delivered; the caller retries
   */
  void send(Alert alert) throws IOException;

  /** Releases sockets; never throws. */
  @Override
  void close();
}
