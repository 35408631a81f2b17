package dev.patchgate.audit.alert;

import dev.patchgate.audit.text.DisplayText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes alerts to the gateway's own log: one SLF4J WARN line each, on the logger {@value #LOGGER},
 * e.g. {@code alert kind=denied client=10.10.1.5 host=evil.example count=1 summary=false:
 * patchgate: denied request from ...}. Values are made single-line and visible ({@link
 * DisplayText#clean}), so a hostile host name cannot forge log lines.
 */
final class LogChannel implements AlertChannel {
  /** The logger name, so that a log configuration can route alerts on their own. */
  static final String LOGGER = "dev.patchgate.audit.alert";

  private final Logger log;

  LogChannel() {
    this(LoggerFactory.getLogger(LOGGER));
  }

  LogChannel(Logger log) {
    this.log = log;
  }

  @Override
  public String name() {
    return "log";
  }

  @Override
  public void send(Alert alert) {
    log.warn("{}", line(alert));
  }

  static String line(Alert alert) {
    return DisplayText.clean(
        "alert kind="
            + alert.kind().wireName()
            + " client="
            + alert.client()
            + " host="
            + alert.host()
            + " count="
            + alert.count()
            + " summary="
            + alert.summary()
            + ": "
            + alert.text());
  }

  @Override
  public void close() {}
}
