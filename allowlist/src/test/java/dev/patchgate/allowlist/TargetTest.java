package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetTest {

  static Stream<Arguments> renderings() {
    return Stream.of(
        // the default HTTP port is left out of the URL
        arguments(
            new Target(Scheme.HTTP, "windowsupdate.com", 80, "/x?y"),
            "windowsupdate.com:80",
            "http://windowsupdate.com/x?y"),
        // another port is kept
        arguments(
            new Target(Scheme.HTTP, "windowsupdate.com", 8080, "/"),
            "windowsupdate.com:8080",
            "http://windowsupdate.com:8080/"),
        // an IPv6 host is bracketed
        arguments(
            new Target(Scheme.HTTP, "2001:db8::1", 80, "/"),
            "[2001:db8::1]:80",
            "http://[2001:db8::1]/"),
        // a tunnel is named by its authority
        arguments(
            new Target(Scheme.HTTPS, "fe2.update.microsoft.com", 443, ""),
            "fe2.update.microsoft.com:443",
            "fe2.update.microsoft.com:443"),
        // a tunnel to an IPv6 host
        arguments(new Target(Scheme.HTTPS, "::1", 443, ""), "[::1]:443", "[::1]:443"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("renderings")
  void authorityAndUrlAreRenderedForLogsAndPages(Target target, String authority, String url) {
    assertThat(target.authority()).isEqualTo(authority);
    assertThat(target.url()).isEqualTo(url);
  }

  static Stream<Arguments> ipLiterals() {
    return Stream.of(
        arguments("10.0.0.1", true),
        arguments("::1", true),
        arguments("::ffff:127.0.0.1", true),
        arguments("windowsupdate.com", false),
        arguments("1e100.net", false),
        arguments("localhost", false));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("ipLiterals")
  void isIpLiteralTellsAddressesFromNames(String host, boolean literal) {
    assertThat(new Target(Scheme.HTTPS, host, 443, "").isIpLiteral()).isEqualTo(literal);
  }

  static Stream<Arguments> nonCanonicalTargets() {
    return Stream.of(
        // upper case
        arguments(Scheme.HTTP, "WindowsUpdate.com", 80, "/"),
        // trailing dot
        arguments(Scheme.HTTP, "windowsupdate.com.", 80, "/"),
        // brackets belong in the authority, not the host
        arguments(Scheme.HTTP, "[::1]", 80, "/"),
        // uncompressed IPv6
        arguments(Scheme.HTTP, "0:0:0:0:0:0:0:1", 80, "/"),
        // alternate IPv4
        arguments(Scheme.HTTP, "127.1", 80, "/"),
        // port 0
        arguments(Scheme.HTTP, "windowsupdate.com", 0, "/"),
        // port above 65535
        arguments(Scheme.HTTPS, "windowsupdate.com", 65536, ""),
        // empty HTTP path
        arguments(Scheme.HTTP, "windowsupdate.com", 80, ""),
        // HTTP path that is not origin-form
        arguments(Scheme.HTTP, "windowsupdate.com", 80, "x"),
        // HTTP path with a space
        arguments(Scheme.HTTP, "windowsupdate.com", 80, "/a b"),
        // a tunnel has no path
        arguments(Scheme.HTTPS, "windowsupdate.com", 443, "/"),
        // a dot-segment, which the parser refuses: a Target cannot carry one around it
        arguments(Scheme.HTTP, "windowsupdate.com", 80, "/c/../admin"),
        // an encoded slash
        arguments(Scheme.HTTP, "windowsupdate.com", 80, "/c%2fadmin"));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} {3}")
  @MethodSource("nonCanonicalTargets")
  void constructorRefusesNonCanonicalComponents(Scheme scheme, String host, int port, String path) {
    assertThatThrownBy(() -> new Target(scheme, host, port, path))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
