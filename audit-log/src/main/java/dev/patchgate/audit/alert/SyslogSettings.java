package dev.patchgate.audit.alert;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Alerts go to a syslog collector as RFC 5424 messages, over UDP (RFC 5426, one datagram each) or
 * TCP (RFC 6587 octet counting).
 *
 * @param host the collector's name or address
 * @param port its port, 1..65535 (514 is the usual UDP port, 601 or 514 for TCP)
 * @param protocol UDP or TCP
 * @param facility the facility code, 0..23; see {@link #facilityCode}
 * @param connectTimeout how long a TCP connection attempt may take; positive
 */
public record SyslogSettings(
    String host, int port, Protocol protocol, int facility, Duration connectTimeout)
    implements AlertChannelSettings {

  /** {@code local4}: a facility left to local use, so the collector can route the gateway's. */
  public static final int DEFAULT_FACILITY = 20;

  /** The TCP connect timeout unless configured otherwise. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  private static final List<String> FACILITIES =
      List.of(
          "kern",
          "user",
          "mail",
          "daemon",
          "auth",
          "syslog",
          "lpr",
          "news",
          "uucp",
          "cron",
          "authpriv",
          "ftp",
          "ntp",
          "audit",
          "alert",
          "clock",
          "local0",
          "local1",
          "local2",
          "local3",
          "local4",
          "local5",
          "local6",
          "local7");

  /** How messages travel to the collector. */
  public enum Protocol {
    /** One datagram per message (RFC 5426); nothing tells the gateway of a loss. */
    UDP,
    /** A kept-open connection, messages framed by octet counting (RFC 6587); reconnects. */
    TCP
  }

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException with a message naming the value and what is expected
   */
  public SyslogSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(protocol, "protocol");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host: empty (expected: the collector's name or address)");
    }
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (facility < 0 || facility > 23) {
      throw new IllegalArgumentException("facility: " + facility + " (expected: 0..23)");
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout: " + connectTimeout + " (expected: > 0)");
    }
  }

  /**
   * The code of a facility name as syslog.conf writes it ({@code local4} is 20), or of its number.
   *
   * @throws IllegalArgumentException naming the valid names otherwise
   */
  public static int facilityCode(String name) {
    String lower = name.strip().toLowerCase(Locale.ROOT);
    int code = FACILITIES.indexOf(lower);
    if (code >= 0) {
      return code;
    }
    try {
      int number = Integer.parseInt(lower);
      if (number >= 0 && number <= 23) {
        return number;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException(
        "facility: '" + name + "' (expected: one of " + String.join(", ", FACILITIES) + ")");
  }
}
