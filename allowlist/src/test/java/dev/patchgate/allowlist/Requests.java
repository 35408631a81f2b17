package dev.patchgate.allowlist;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.ZoneId;

/** Builds requests and allowlists for tests. */
final class Requests {
  static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  /** Wednesday 2024-01-10 12:00 in Tokyo: inside office hours, outside night windows. */
  static final Instant AT = Instant.parse("2024-01-10T03:00:00Z");

  static final ZoneId TOKYO = ZoneId.of("Asia/Tokyo");

  private Requests() {}

  /**
   * {@code "CONNECT host:port"} or {@code "GET http://..."} from the loopback client at {@link
   * #AT}.
   */
  static AccessRequest request(String method, String target) {
    return new AccessRequest(CLIENT, method, target(method, target), AT);
  }

  /** A request from {@code client} (an IP literal) at {@code at}. */
  static AccessRequest request(String client, String method, String target, Instant at) {
    return new AccessRequest(address(client), method, target(method, target), at);
  }

  /** The target of a request line; it must parse. */
  static Target target(String method, String target) {
    try {
      return method.equals("CONNECT")
          ? TargetParser.parseConnect(target)
          : TargetParser.parseAbsolute(target);
    } catch (TargetException e) {
      throw new AssertionError("test target does not parse: " + target + " (" + e.reason() + ")");
    }
  }

  /** An address from an IP literal; never does DNS. */
  static InetAddress address(String literal) {
    if (!literal.matches("[0-9a-fA-F:.]+")) {
      throw new AssertionError("not an IP literal: " + literal);
    }
    try {
      return InetAddress.getByName(literal);
    } catch (UnknownHostException e) {
      throw new AssertionError(e);
    }
  }

  /** A valid allowlist from text, with the given profiles and Tokyo as the default zone. */
  static Allowlist allowlist(String text, Profile... profiles) {
    try {
      return Allowlist.parse(text, "test.conf", ProfileCatalog.of(profiles), TOKYO);
    } catch (AllowlistException e) {
      throw new AssertionError(e.getMessage(), e);
    }
  }

  /** Lines joined with newlines, so a file in a test reads as a file. */
  static String lines(String... lines) {
    return String.join("\n", lines) + "\n";
  }
}
