package dev.patchgate.allowlist;

import java.net.InetAddress;

/** Builds requests for tests from a request line's method and target. */
final class Requests {
  static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

  private Requests() {}

  /** {@code "CONNECT host:port"} or {@code "GET http://..."}; the target must parse. */
  static AccessRequest request(String method, String target) {
    try {
      Target parsed =
          method.equals("CONNECT")
              ? TargetParser.parseConnect(target)
              : TargetParser.parseAbsolute(target);
      return new AccessRequest(CLIENT, method, parsed);
    } catch (TargetException e) {
      throw new AssertionError("test target does not parse: " + target + " (" + e.reason() + ")");
    }
  }
}
