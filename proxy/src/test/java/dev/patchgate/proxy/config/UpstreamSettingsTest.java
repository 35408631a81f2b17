package dev.patchgate.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code patchgate.upstream}: parent proxies, their credentials and how they are used. */
class UpstreamSettingsTest {
  private static final String PASSWORD = "s3cret-Pa55";

  @TempDir Path dir;

  @Test
  void withoutParentsEveryRequestGoesDirectAndTheDefaultsAreTheDocumentedOnes() throws Exception {
    UpstreamSettings upstream = GatewaySettings.load(Optional.empty()).upstream();

    assertThat(upstream.hasParents()).isFalse();
    assertThat(upstream.connectFailLimit()).isEqualTo(3);
    assertThat(upstream.parentRetry()).isEqualTo(Duration.ofSeconds(30));
    assertThat(upstream.fallbackDirect()).as("fallback = none").isFalse();
    assertThat(upstream.resolveLocally()).as("resolve = local").isTrue();
  }

  @Test
  void parentsAreReadInOrderWithTheirOwnCredentialsFromTheFile() throws Exception {
    Path credentials = dir.resolve("parent-credentials");
    Files.writeString(
        credentials,
        "# parent proxies' Basic credentials\n\nproxy-b.example:3128 gateway:" + PASSWORD + "\n");
    UpstreamSettings upstream =
        load(
            """
            patchgate.upstream {
              proxies = ["http://Proxy-A.example:8080", "http://proxy-b.example:3128/"]
              credentials-file = "%s"
              connect-fail-limit = 5
              parent-retry = 2m
              fallback = direct
            }
            """
                .formatted(credentials));

    assertThat(upstream.proxies())
        .extracting(ParentProxy::label)
        .containsExactly("parent:proxy-a.example:8080", "parent:proxy-b.example:3128");
    assertThat(upstream.proxies().get(0).authorization()).isEmpty();
    assertThat(upstream.proxies().get(1).username()).hasValue("gateway");
    assertThat(upstream.proxies().get(1).password()).hasValue(PASSWORD);
    assertThat(upstream.proxies().get(1)).hasToString("http://proxy-b.example:3128");
    assertThat(upstream.connectFailLimit()).isEqualTo(5);
    assertThat(upstream.parentRetry()).isEqualTo(Duration.ofMinutes(2));
    assertThat(upstream.fallbackDirect()).isTrue();
  }

  @Test
  void credentialsMayComeFromAnEnvironmentVariableForEveryParent() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        """
        patchgate.upstream {
          proxies = ["http://10.0.0.5:8080", "http://[fd00::5]:8080"]
          credentials-env = "PATCHGATE_PARENT"
        }
        """);

    UpstreamSettings upstream =
        GatewaySettings.load(Optional.of(file), Map.of("PATCHGATE_PARENT", "gw:" + PASSWORD)::get)
            .upstream();

    assertThat(upstream.proxies())
        .allSatisfy(p -> assertThat(p.password()).hasValue(PASSWORD))
        .extracting(ParentProxy::label)
        .containsExactly("parent:10.0.0.5:8080", "parent:[fd00::5]:8080");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "proxies = [\"https://proxy.example:8443\"] | patchgate.conf:1: patchgate.upstream.proxies: \"https://proxy.example:8443\" (the scheme must be http",
        "proxies = [\"socks5://proxy.example:1080\"] | the scheme must be http",
        "proxies = [\"proxy.example:8080\"]         | the scheme must be http",
        "proxies = [\"http://proxy.example\"]       | \"http://proxy.example\" (no port: write it out, e.g. http://proxy.example:8080",
        "proxies = [\"http://proxy.example:8080/x\"] | no path",
        "proxies = [\"http://:8080\"]               | patchgate.upstream.proxies",
        "fallback = always                         | patchgate.upstream.fallback: \"always\" (expected none",
        "resolve = dns                             | patchgate.upstream.resolve: \"dns\" (expected local",
        "connect-fail-limit = 0                    | patchgate.upstream.connect-fail-limit: 0 is out of range",
        "parent-retry = 0s                         | patchgate.upstream.parent-retry: must be positive",
        "{ proxies = [\"http://p.example:3128\"], resolve = parent, fallback = direct } | fallback = direct needs resolve = local",
        "credentials-file = \"/nonexistent/creds\"  | credentials are set but patchgate.upstream.proxies names no parent proxy",
        "{ proxies = [\"http://p.example:3128\"], credentials-file = \"/nonexistent/creds\" } | patchgate.conf:1: patchgate.upstream.credentials-file: cannot read /nonexistent/creds",
        "{ proxies = [\"http://p.example:3128\"], credentials-env = \"PG_NONE\" } | patchgate.conf:1: patchgate.upstream.credentials-env: environment variable PG_NONE is not set",
      })
  void aBadUpstreamValueIsReportedWithFileLineAndFix(String content, String expected)
      throws Exception {
    String line = content.startsWith("{") ? "patchgate.upstream " : "patchgate.upstream.";
    assertThatThrownBy(() -> load(line + content))
        .isInstanceOf(GatewaySettings.InvalidSettingsException.class)
        .message()
        .contains(expected);
  }

  @Test
  void aPasswordInTheUrlIsRefusedWithoutBeingRepeated() {
    assertThatThrownBy(
            () ->
                load(
                    "patchgate.upstream.proxies = [\"http://gateway:"
                        + PASSWORD
                        + "@proxy.example:8080\"]"))
        .isInstanceOf(GatewaySettings.InvalidSettingsException.class)
        .message()
        .contains("patchgate.conf:1: patchgate.upstream.proxies: \"http://***@proxy.example:8080\"")
        .contains("credentials do not go in the URL")
        .contains("patchgate.upstream.credentials-file")
        .doesNotContain(PASSWORD)
        .doesNotContain("gateway:");
  }

  @Test
  void aCredentialsLineForAnUnknownParentNamesFileAndLineButNotThePassword() throws Exception {
    Path credentials = dir.resolve("parent-credentials");
    Files.writeString(credentials, "proxy-a.example:8080 gw:" + PASSWORD + "\nnonsense\n");

    assertThatThrownBy(
            () ->
                load(
                    "patchgate.upstream { proxies = [\"http://proxy-b.example:3128\"],"
                        + " credentials-file = \""
                        + credentials
                        + "\" }"))
        .isInstanceOfSatisfying(
            GatewaySettings.InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        credentials
                            + ":1: 'proxy-a.example:8080' is none of the parents in"
                            + " patchgate.upstream.proxies (expected one of: proxy-b.example:3128)",
                        credentials
                            + ":2: expected host:port user:password (the parent as"
                            + " patchgate.upstream.proxies names it, a space, then the"
                            + " credentials)"))
        .message()
        .doesNotContain(PASSWORD);
  }

  private UpstreamSettings load(String hocon) throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, hocon + "\n");
    return GatewaySettings.load(Optional.of(file), Map.<String, String>of()::get).upstream();
  }
}
