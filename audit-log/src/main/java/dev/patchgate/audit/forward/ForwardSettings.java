package dev.patchgate.audit.forward;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and how the audit forwarder sends the audit lines. Immutable.
 *
 * @param tls true for {@code syslog+tls} (RFC 5425), false for {@code syslog+tcp} (RFC 6587)
 * @param host the collector's name or address; with TLS its certificate must name it
 * @param port the collector's port, 1..65535
 * @param name the HOSTNAME of every message: how the collector tells gateways apart
 * @param ca PEM file of the certificate authorities the collector's certificate must chain to;
 *     required with TLS
 * @param clientCert PEM certificate (chain) the gateway shows the collector, or a PKCS#12 file
 *     holding both the key and the chain (then without {@code clientKey}; its password, if any, in
 *     the environment variable {@value #P12_PASSWORD_ENV}), or empty
 * @param clientKey the PEM certificate's PKCS#8 PEM private key, or empty
 * @param maxBacklog bytes of audit lines not yet forwarded beyond which the gateway alerts and is
 *     not ready; nothing is dropped
 * @param facility the syslog facility code, 0..23
 * @param connectTimeout how long a connection attempt (TLS handshake included) may take
 */
public record ForwardSettings(
    boolean tls,
    String host,
    int port,
    String name,
    Optional<Path> ca,
    Optional<Path> clientCert,
    Optional<Path> clientKey,
    long maxBacklog,
    int facility,
    Duration connectTimeout) {

  /** The environment variable with the password of a PKCS#12 client certificate file. */
  public static final String P12_PASSWORD_ENV = "PATCHGATE_AUDIT_FORWARD_P12_PASSWORD";

  /** The default connect (and TLS handshake) timeout. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Checks the settings.
   *
   * @throws IllegalArgumentException naming the value and what is expected
   */
  public ForwardSettings {
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(ca, "ca");
    Objects.requireNonNull(clientCert, "clientCert");
    Objects.requireNonNull(clientKey, "clientKey");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (port < 1 || port > 65_535) {
      throw new IllegalArgumentException("port: " + port + " (expected: 1..65535)");
    }
    if (tls && ca.isEmpty()) {
      throw new IllegalArgumentException(
          "syslog+tls needs the CA that signed the collector's certificate"
              + " (expected: patchgate.audit.forward.ca = \"/etc/patchgate/collector-ca.pem\")");
    }
    if (clientKey.isPresent() && clientCert.isEmpty()) {
      throw new IllegalArgumentException(
          "a client key needs its certificate (expected: client-cert with client-key, or"
              + " client-cert alone naming a PKCS#12 file)");
    }
    if (!tls && clientCert.isPresent()) {
      throw new IllegalArgumentException(
          "a client certificate needs syslog+tls (expected: syslog+tls://HOST:PORT)");
    }
    if (maxBacklog < 1) {
      throw new IllegalArgumentException("maxBacklog: " + maxBacklog + " (expected: >= 1)");
    }
    if (facility < 0 || facility > 23) {
      throw new IllegalArgumentException("facility: " + facility + " (expected: 0..23)");
    }
  }

  /** The collector as the operator wrote it, e.g. {@code syslog+tls://collector:6514}. */
  public String url() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return (tls ? "syslog+tls://" : "syslog+tcp://") + h + ":" + port;
  }

  /**
   * The collector's address of a {@code patchgate.audit.forward.url} value.
   *
   * @throws IllegalArgumentException saying what is expected
   */
  public static Target parseUrl(String url) {
    String expected =
        "expected syslog+tls://HOST:PORT, or syslog+tcp://127.0.0.1:PORT for a collector on this"
            + " host";
    URI uri;
    try {
      uri = new URI(url.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(expected, e);
    }
    boolean tls;
    if ("syslog+tls".equalsIgnoreCase(uri.getScheme())) {
      tls = true;
    } else if ("syslog+tcp".equalsIgnoreCase(uri.getScheme())) {
      tls = false;
    } else {
      throw new IllegalArgumentException(expected);
    }
    String host = uri.getHost();
    if (host == null
        || uri.getPort() < 1
        || uri.getUserInfo() != null
        || !(uri.getRawPath() == null || uri.getRawPath().isEmpty())
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(expected);
    }
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return new Target(tls, host, uri.getPort());
  }

  /**
   * A parsed collector URL.
   *
   * @param tls whether it is {@code syslog+tls}
   * @param host the host name or address literal
   * @param port the port
   */
  public record Target(boolean tls, String host, int port) {}
}
