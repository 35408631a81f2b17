package dev.patchgate.proxy.config;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * One parent proxy the gateway sends its upstream traffic through (an internet-side Squid, a UTM, a
 * central patchgate), with the Basic credentials it wants, if any.
 *
 * <p>The password never leaves this object except as the {@code Proxy-Authorization} value and to
 * LittleProxy, which builds the same header: {@link #toString()} and {@link #label()} name the
 * proxy only, so a log line, an audit record or an exception message that mentions a parent cannot
 * carry its password. Immutable; no value equality on the credentials.
 *
 * <p>Public for the gateway's wiring and the parent-proxy chain.
 */
public final class ParentProxy {
  /** What {@link #label()} starts with. */
  public static final String LABEL_PREFIX = "parent:";

  private final String host;
  private final int port;
  private final String username;
  private final String password;

  private ParentProxy(String host, int port, String username, String password) {
    this.host = host;
    this.port = port;
    this.username = username;
    this.password = password;
  }

  /** A parent without credentials. */
  public static ParentProxy of(String host, int port) {
    return new ParentProxy(Objects.requireNonNull(host, "host"), port, null, null);
  }

  /** The same parent, answering its Basic challenge with {@code username} and {@code password}. */
  ParentProxy withCredentials(String username, String password) {
    return new ParentProxy(
        host,
        port,
        Objects.requireNonNull(username, "username"),
        Objects.requireNonNull(password, "password"));
  }

  /**
   * Parses one entry of {@code patchgate.upstream.proxies}: {@code http://host:port}, nothing else.
   * The message of a refusal never repeats the value (it may hold a password).
   *
   * @throws IllegalArgumentException naming what is wrong and the fix
   */
  static ParentProxy parse(String value) {
    URI uri;
    try {
      uri = new URI(value.strip());
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a URL (expected e.g. http://proxy.internet-side.example:8080)");
    }
    if (uri.getRawUserInfo() != null
        || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
      throw new IllegalArgumentException(
          "credentials do not go in the URL, where configuration dumps and logs would show them;"
              + " write http://host:port here and the user name and password in"
              + " patchgate.upstream.credentials-file");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw new IllegalArgumentException(
          "the scheme must be http (the gateway speaks plain HTTP to its parent and tunnels TLS"
              + " through it with CONNECT), e.g. http://proxy.internet-side.example:8080");
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw new IllegalArgumentException(
          "no host (expected e.g. http://proxy.internet-side.example:8080)");
    }
    if (uri.getPort() < 1) {
      throw new IllegalArgumentException(
          "no port: write it out, e.g. http://" + uri.getHost() + ":8080 (Squid listens on 3128)");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/"))
        || uri.getRawQuery() != null
        || uri.getRawFragment() != null) {
      throw new IllegalArgumentException(
          "a parent proxy is host and port only, no path (expected e.g. http://"
              + uri.getHost()
              + ":"
              + uri.getPort()
              + ")");
    }
    String host = uri.getHost();
    if (host.startsWith("[") && host.endsWith("]")) {
      host = host.substring(1, host.length() - 1);
    }
    return of(host.toLowerCase(Locale.ROOT), uri.getPort());
  }

  /**
   * A URL as it may be shown in a message: any user information replaced by {@code ***}.
   * Configuration problems quote values, and this one may hold a password.
   */
  static String redacted(String value) {
    int scheme = value.indexOf("://");
    int start = scheme < 0 ? 0 : scheme + 3;
    int at = value.lastIndexOf('@');
    return at >= start ? value.substring(0, start) + "***" + value.substring(at) : value;
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }

  /** Where to dial: unresolved when the parent is named by a host name. */
  public InetSocketAddress address() {
    return InetSocketAddress.createUnresolved(host, port);
  }

  /** {@code host:port}, an IPv6 address in brackets: how the credentials file names the parent. */
  public String authority() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** {@code parent:host:port}, as the audit record's {@code upstream} names it. */
  public String label() {
    return LABEL_PREFIX + authority();
  }

  /** The user name for the parent's Basic challenge, if it wants one. */
  public Optional<String> username() {
    return Optional.ofNullable(username);
  }

  /** The password that goes with {@link #username()}. Never logged. */
  public Optional<String> password() {
    return Optional.ofNullable(password);
  }

  /** The {@code Proxy-Authorization} field's value, if the parent wants credentials. */
  public Optional<String> authorization() {
    if (username == null) {
      return Optional.empty();
    }
    byte[] pair = (username + ":" + password).getBytes(StandardCharsets.UTF_8);
    return Optional.of("Basic " + Base64.getEncoder().encodeToString(pair));
  }

  /** {@code http://host:port}: never the credentials. */
  @Override
  public String toString() {
    return "http://" + authority();
  }
}
