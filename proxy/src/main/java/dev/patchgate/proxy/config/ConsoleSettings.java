package dev.patchgate.proxy.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The web console on the admin listener ({@code patchgate.console}): whether it is served, how long
 * a session lives, and the keystore that makes the whole admin listener speak TLS.
 *
 * @param enabled true to serve the console's pages and API next to the monitoring paths
 * @param sessionIdle a session not used for this long ends
 * @param sessionMax a session ends this long after its sign-in, used or not
 * @param tls the PKCS#12 keystore and its password, or empty for plain HTTP
 *     <p>Public for the gateway's wiring and the tests.
 */
public record ConsoleSettings(
    boolean enabled, Duration sessionIdle, Duration sessionMax, Optional<Keystore> tls) {

  /** A PKCS#12 keystore with the admin listener's certificate and key. */
  public record Keystore(Path file, String password) {
    @Override
    public String toString() {
      return "Keystore[" + file + "]"; // never the password
    }
  }

  /** No console: what tests that do not look at it use. */
  public static ConsoleSettings off() {
    return new ConsoleSettings(
        false, Duration.ofMinutes(30), Duration.ofHours(12), Optional.empty());
  }
}
