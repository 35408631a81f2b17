package dev.patchgate.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.allowlist.Cidr;
import dev.patchgate.allowlist.RequestRate;
import dev.patchgate.audit.alert.WebhookSettings;
import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.forward.ForwardSettings;
import dev.patchgate.mirror.MirrorSettings;
import dev.patchgate.proxy.Gateway;
import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GatewaySettingsTest {
  @TempDir Path dir;

  @Test
  void embeddedDefaultsMatchTheDocumentedOnes() throws Exception {
    GatewaySettings s = GatewaySettings.load(Optional.empty());

    assertThat(Gateway.describe(s.listen())).isEqualTo("127.0.0.1:3128");
    assertThat(s.allowlist()).isEqualTo(Path.of("deploy/allowlist.conf"));
    assertThat(s.auditDir()).isEqualTo(Path.of("var/audit"));
    assertThat(storeOf(s).dir()).isEqualTo(Path.of("var/mirror"));
    assertThat(storeOf(s).maxSizeBytes()).isEqualTo(50L << 30);
    assertThat(storeOf(s).memoryBytes()).isEqualTo(32L << 20);
    assertThat(storeOf(s).memoryMaxObjectBytes()).isEqualTo(64 << 10);
    assertThat(storeOf(s).maxUnreadFillsPerClient()).isEqualTo(2);
    assertThat(s.audit().flushInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(s.audit().retainDays()).isEqualTo(400);
    assertThat(s.audit().squidLog()).isFalse();
    assertThat(s.auditFailClosed()).isTrue();
    assertThat(s.auditMinFree()).isEqualTo(1L << 30);
    assertThat(s.connectTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(s.maxHeaderSize()).isEqualTo(16 * 1024);
    assertThat(s.maxRequestLine()).isEqualTo(8 * 1024);
    assertThat(s.clientThreads()).isEqualTo(2 * Runtime.getRuntime().availableProcessors());
    assertThat(s.requestsPerClient())
        .as("generous by default")
        .isEqualTo(new RequestRate(100, 1000));
    assertThat(s.connections())
        .isEqualTo(new ConnectionSettings(256, ConnectionSettings.DERIVED, Duration.ofSeconds(30)));
  }

  @Test
  void noDownstreamIsTrustedByDefaultAndTheSiteGatewaysCanBeNamed() throws Exception {
    assertThat(GatewaySettings.load(Optional.empty()).hierarchy())
        .isEqualTo(new HierarchySettings(List.of(), true));

    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        "patchgate.trusted-downstreams = [\"10.1.0.5\", \"10.2.0.0/24\"]\n"
            + "patchgate.upstream.forwarded-for = off\n");
    HierarchySettings hierarchy = GatewaySettings.load(Optional.of(file)).hierarchy();

    assertThat(hierarchy.trustedDownstreams())
        .map(Cidr::toString)
        .containsExactly("10.1.0.5", "10.2.0.0/24");
    assertThat(hierarchy.forwardedForToParent()).isFalse();
  }

  @Test
  void theRequestRateIsReadAsATokenBucketAndRateZeroIsOff() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.limits.requests-per-client { rate = 20, burst = 200 }\n");
    assertThat(GatewaySettings.load(Optional.of(file)).requestsPerClient())
        .isEqualTo(new RequestRate(20, 200));

    Files.writeString(file, "patchgate.limits.requests-per-client { rate = 0, burst = 5 }\n");
    assertThat(GatewaySettings.load(Optional.of(file)).requestsPerClient())
        .isEqualTo(RequestRate.UNLIMITED);
  }

  @Test
  void theConnectionLimitsAndTheHeaderTimeoutCanBeSet() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        "patchgate.limits { connections-per-client = 100, connections = 50 }\n"
            + "patchgate.timeouts.request-header = 1s\n");

    assertThat(GatewaySettings.load(Optional.of(file)).connections())
        .isEqualTo(new ConnectionSettings(100, 50, Duration.ofSeconds(1)));
  }

  @Test
  void theBoundOnUnreadFillsPerClientCanBeSetAndZeroTurnsRangeFillsOff() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.mirror.max-unread-fills-per-client = 0\n");

    assertThat(storeOf(GatewaySettings.load(Optional.of(file))).maxUnreadFillsPerClient()).isZero();
  }

  @Test
  void theAnomalyThresholdsDefaultToTheDocumentedOnesAndEachKindCanBeTurnedOff() throws Exception {
    assertThat(GatewaySettings.load(Optional.empty()).anomalies())
        .isEqualTo(AnomalySettings.defaults());

    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        "patchgate.anomalies { unusual-hours.enabled = false, beaconing.min-attempts = 20 }\n");
    AnomalySettings anomalies = GatewaySettings.load(Optional.of(file)).anomalies();
    assertThat(anomalies.on(AnomalyKind.UNUSUAL_HOURS)).isFalse();
    assertThat(anomalies.on(AnomalyKind.BEACONING)).isTrue();
    assertThat(anomalies.beaconMinAttempts()).isEqualTo(20);
  }

  @Test
  void theAuditDiskGuardTakesASizeAndZeroTurnsItOff() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.audit.min-free = 0\n");
    assertThat(GatewaySettings.load(Optional.of(file)).auditMinFree()).isZero();

    Files.writeString(file, "patchgate.audit.min-free = 512m\n");
    assertThat(GatewaySettings.load(Optional.of(file)).auditMinFree()).isEqualTo(512L << 20);
  }

  @Test
  void auditForwardingIsOffUntilAUrlIsSetAndThenNamesItsCollectorAndGateway() throws Exception {
    assertThat(GatewaySettings.load(Optional.empty()).auditForward()).isEmpty();
    Path ca = Files.writeString(dir.resolve("ca.pem"), "a CA");
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        """
        patchgate.audit.forward {
          url = "syslog+tls://collector.example:6514"
          ca = "%s"
          name = "gw-site1"
        }
        """
            .formatted(ca));

    ForwardSettings forward = GatewaySettings.load(Optional.of(file)).auditForward().orElseThrow();

    assertThat(forward.url()).isEqualTo("syslog+tls://collector.example:6514");
    assertThat(forward.name()).isEqualTo("gw-site1");
    assertThat(forward.ca()).contains(ca);
    assertThat(forward.maxBacklog()).isEqualTo(1L << 30);
    assertThat(forward.facility()).isEqualTo(20);
  }

  @Test
  void aMirrorThatIsOffIsTheOffSwitchNotNull() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.mirror.enabled = false\n");

    GatewaySettings s = GatewaySettings.load(Optional.of(file));

    assertThat(s.mirroring()).isEqualTo(MirrorSwitch.off());
  }

  @Test
  void aMirrorThatIsOnCarriesItsStoreSettings() throws Exception {
    GatewaySettings s = GatewaySettings.load(Optional.empty());

    assertThat(s.mirroring()).isInstanceOf(MirrorSwitch.On.class);
  }

  @Test
  void theShippedSampleConfigurationLoadsWithTheDocumentedBound() throws Exception {
    Path sample = Path.of("../deploy/patchgate.conf");

    assertThat(storeOf(GatewaySettings.load(Optional.of(sample))).maxUnreadFillsPerClient())
        .isEqualTo(2);
  }

  @Test
  void aWebhookIsAnAlertChannelOnlyWhenItsUrlIsSet() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        "patchgate.alerts.webhook.url = \" https://collector.example/hook \"\n"
            + "patchgate.alerts.webhook.timeout = 3s\n");

    assertThat(GatewaySettings.load(Optional.of(file)).alerts().channels())
        .contains(
            new WebhookSettings(
                URI.create("https://collector.example/hook"), Duration.ofSeconds(3)));
    assertThat(GatewaySettings.load(Optional.empty()).alerts().channels())
        .noneMatch(c -> c instanceof WebhookSettings);
  }

  @Test
  void aConfigFileOverridesOnlyWhatItSets() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.listen = \"[::1]:8080\"\npatchgate.timeouts.idle = 5m\n");

    GatewaySettings s = GatewaySettings.load(Optional.of(file));

    assertThat(Gateway.describe(s.listen())).isEqualTo("[::1]:8080");
    assertThat(s.idleTimeout()).isEqualTo(Duration.ofMinutes(5));
    assertThat(s.allowlist()).isEqualTo(Path.of("deploy/allowlist.conf"));
    assertThat(s.configFile()).contains(file);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "patchgate.listen = \"3128\"                 | patchgate.conf:1: patchgate.listen: \"3128\" (expected host:port",
        "patchgate.listen = \"::1:3128\"             | an IPv6 address goes in brackets",
        "patchgate.listen = \"127.0.0.1:99999\"      | port must be 0..65535",
        "patchgate.timeouts.connect = forever       | patchgate.conf:1: Invalid value at 'patchgate.timeouts.connect'",
        "patchgate.timeouts.idle = 0s               | patchgate.timeouts.idle: must be positive",
        "patchgate.limits.header-size = 1g          | out of range",
        "patchgate.limits.connections-per-client = 0 | patchgate.limits.connections-per-client: 0 is out of range (expected 1..1000000)",
        "patchgate.limits.connections = -1          | patchgate.limits.connections: -1 is out of range (expected 0..1000000)",
        "patchgate.timeouts.request-header = 0s     | patchgate.timeouts.request-header: must be positive",
        "patchgate.threads.client = -1              | out of range",
        "patchgate.limits.requests-per-client { rate = 20, burst = 0 } | patchgate.limits.requests-per-client.burst: 0 lets no request through at rate 20 (expected: 1 or more",
        "patchgate.limits.requests-per-client.rate = -1 | patchgate.limits.requests-per-client.rate: -1 is out of range",
        "patchgate.limits.requests-per-client { rate = 5, brust = 9 } | unknown key 'patchgate.limits.requests-per-client.brust'",
        "patchgate.audit.on-failure = ignore        | patchgate.audit.on-failure: \"ignore\" (expected fail-closed or fail-open)",
        "patchgate.audit.retain-days = 0            | patchgate.audit.retain-days: 0 is out of range",
        "patchgate.audit.squid-log = maybe          | patchgate.audit.squid-log",
        "patchgate.auditt.dir = x                   | patchgate.conf:1: unknown key 'patchgate.auditt.dir'",
        "patchgate { listen =                       | patchgate.conf:",
        "patchgate = 5                              | patchgate.conf:1: patchgate has type NUMBER",
        "patchgate.alerts.webhook.url = \"http://a b\" | patchgate.alerts.webhook.url: \"http://a b\" (not a URL",
        "patchgate.mirror.memory-max-object-size = 2m | patchgate.mirror.memory-max-object-size",
        "patchgate.mirror.max-unread-fills-per-client = -1 | patchgate.mirror.max-unread-fills-per-client: -1 is out of range (expected 0..1000)",
        "patchgate.mirror.max-unread-fills-per-client = many | patchgate.mirror.max-unread-fills-per-client",
        "patchgate.admin.listen = \"9128\"           | patchgate.admin.listen: \"9128\" (expected host:port",
        "patchgate.admin.clients = [\"10.0.0.1/8\"]  | patchgate.admin.clients: \"10.0.0.1/8\" (host bits are set; write 10.0.0.0/8)",
        "patchgate.admin.clients = [\"everyone\"]    | patchgate.admin.clients: \"everyone\" (expected an address or a range",
        "patchgate.admin.clients = []               | patchgate.admin.clients: no client may use the admin listener",
        "patchgate.audit.min-free = -1m              | (expected a size such as 1g, or 0 for off)",
        "patchgate.audit.min-free = lots             | patchgate.audit.min-free",
        "patchgate.trusted-downstreams = [\"10.1.0.5/8\"] | patchgate.trusted-downstreams: \"10.1.0.5/8\" (host bits are set; write 10.0.0.0/8)",
        "patchgate.trusted-downstreams = [\"site-a\"] | patchgate.trusted-downstreams: \"site-a\" (expected an address or a range",
        "patchgate.trusted-downstreams = \"10.1.0.5\" | patchgate.trusted-downstreams",
        "patchgate.upstream.forwarded-for = maybe    | patchgate.upstream.forwarded-for",
        "patchgate.audit.forward.url = \"udp://c:514\" | patchgate.audit.forward.url: \"udp://c:514\" (expected syslog+tls://HOST:PORT",
        "patchgate.audit.forward.url = \"syslog+tls://c.example:6514\" | patchgate.audit.forward: syslog+tls needs the CA that signed the collector's certificate",
        "patchgate.audit.forward { url = \"syslog+tls://c:6514\", ca = \"/nonexistent/ca.pem\" } | patchgate.audit.forward.ca: cannot read /nonexistent/ca.pem",
        "patchgate.audit.forward.max-backlog = 0     | patchgate.audit.forward.max-backlog",
        "patchgate.anomalies.beaconing.max-spread = 2 | patchgate.anomalies.beaconing.max-spread: 2.0 is out of range (expected 0.0..1.0)",
        "patchgate.anomalies.burst.factor = lots     | patchgate.anomalies.burst.factor has type STRING rather than NUMBER (expected a number such as 0.1)",
        "patchgate.audit.forward { url = \"syslog+tls://c:6514\", ca = \"/nonexistent/ca.pem\" } | patchgate.conf:1: patchgate.audit.forward.ca: cannot read",
        "patchgate.audit.forward.url = \"syslog+tls://c.example:6514\" | patchgate.conf:1: patchgate.audit.forward: syslog+tls needs the CA",
        "patchgate.anomalies.baseline = 0s          | patchgate.conf:1: patchgate.anomalies.baseline: must be positive",
        "patchgate.anomalies.beaconing.enabled = maybe | patchgate.conf:1: patchgate.anomalies.beaconing.enabled has type STRING rather than BOOLEAN (expected true or false)",
        "patchgate.anomalies.live-max-tracked = 5   | patchgate.conf:1: patchgate.anomalies.live-max-tracked: 5 is out of range (expected 100..10000000)",
        "patchgate.console.session-max = forever    | patchgate.conf:1: Invalid value at 'patchgate.console.session-max'",
        "patchgate.console.enabled = sometimes      | patchgate.console.enabled",
        "patchgate.console.tls.keystore = \"/nonexistent/admin.p12\" | patchgate.conf:1: patchgate.console.tls.keystore: /nonexistent/admin.p12 cannot be read (expected a PKCS#12 file",
      })
  void aBadValueIsReportedWithFileLineAndFix(String content, String expected) throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, content + "\n");

    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(file)))
        .isInstanceOf(GatewaySettings.InvalidSettingsException.class)
        .message()
        .contains(expected);
  }

  @Test
  void everyProblemIsReportedAtOnce() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        "patchgate.listen = \"nope\"\npatchgate.timeouts.idle = 0s\npatchgate.colour = blue\n");

    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(file)))
        .isInstanceOfSatisfying(
            GatewaySettings.InvalidSettingsException.class,
            e -> assertThat(e.problems()).hasSize(3));
  }

  @Test
  void theAdminListenerDefaultsToLoopbackOnlyAndCanBeTurnedOff() throws Exception {
    AdminSettings defaults = GatewaySettings.load(Optional.empty()).admin();
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.admin { listen = \"\", clients = [] }\n");

    assertThat(defaults.listen().map(Gateway::describe)).hasValue("127.0.0.1:9128");
    assertThat(defaults.admits(InetAddress.getByName("127.0.0.1"))).isTrue();
    assertThat(defaults.admits(InetAddress.getByName("127.8.9.10"))).isTrue();
    assertThat(defaults.admits(InetAddress.getByName("::1"))).isTrue();
    assertThat(defaults.admits(InetAddress.getByName("10.20.0.5"))).isFalse();
    assertThat(defaults.admits(InetAddress.getByName("fd00::5"))).isFalse();
    assertThat(GatewaySettings.load(Optional.of(file)).admin().listen()).isEmpty();
  }

  @Test
  void theConsoleIsOffByDefaultAndItsKeystorePasswordComesFromTheEnvironment() throws Exception {
    ConsoleSettings defaults = GatewaySettings.load(Optional.empty()).admin().console();
    Path keystore = Files.writeString(dir.resolve("admin.p12"), "not checked here");
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        """
        patchgate.console {
          enabled = true
          session-idle = 10m
          tls { keystore = "%s", password-env = "PG_KS" }
        }
        """
            .formatted(keystore));

    ConsoleSettings on =
        GatewaySettings.load(Optional.of(file), Map.of("PG_KS", "secret")::get).admin().console();

    assertThat(defaults.enabled()).isFalse();
    assertThat(defaults.sessionIdle()).isEqualTo(Duration.ofMinutes(30));
    assertThat(defaults.sessionMax()).isEqualTo(Duration.ofHours(12));
    assertThat(defaults.tls()).isEmpty();
    assertThat(on.enabled()).isTrue();
    assertThat(on.sessionIdle()).isEqualTo(Duration.ofMinutes(10));
    assertThat(on.tls()).hasValue(new ConsoleSettings.Keystore(keystore, "secret"));
    assertThat(on.tls().orElseThrow().toString()).doesNotContain("secret");
    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(file), name -> null))
        .message()
        .contains("patchgate.console.tls.password-env: the environment variable PG_KS is not set");
  }

  @Test
  void aConsoleSessionIdleLongerThanItsMaximumIsRefused() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.console { session-idle = 13h, session-max = 12h }\n");

    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(file)))
        .message()
        .contains("patchgate.console.session-idle (PT13H) is longer than session-max (PT12H)");
  }

  @Test
  void anAdminClientListWhoseOnlyValueIsWrongIsOneProblem() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.admin.clients = [\"everyone\"]\n");

    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(file)))
        .isInstanceOfSatisfying(
            GatewaySettings.InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .singleElement()
                    .asString()
                    .contains("patchgate.admin.clients: \"everyone\""));
  }

  @Test
  void aMissingConfigFileIsOneClearProblem() {
    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(dir.resolve("nope.conf"))))
        .hasMessageContaining("nope.conf: cannot read configuration file");
  }

  @Test
  void theAutoConfigurationDefaultsToTheListenAddressAndNothingDirect() throws Exception {
    assertThat(GatewaySettings.load(Optional.empty()).pac()).isEqualTo(ProxyAutoConfig.defaults());
  }

  @Test
  void theAutoConfigurationKeysAreReadAndNormalised() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        """
        patchgate.pac {
          proxies = ["GW1.hospital.local:3128", "10.0.0.6:3128"]
          direct = ["wsus.hospital.local", "*.intranet.hospital.local", "10.20.0.0/16"]
        }
        """);

    ProxyAutoConfig pac = GatewaySettings.load(Optional.of(file)).pac();

    assertThat(pac.proxies()).containsExactly("gw1.hospital.local:3128", "10.0.0.6:3128");
    assertThat(pac.direct())
        .containsExactly("wsus.hospital.local", "*.intranet.hospital.local", "10.20.0.0/16");
  }

  @Test
  void hostileAutoConfigurationValuesAreRefusedWithFileLineKeyValueAndFix() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(
        file,
        """
        patchgate.pac {
          proxies = ["gw\\"; return \\"DIRECT\\"; \\":3128"]
          direct = [
            "wsus\\") || true || (\\"",
            "a\\nb",
            "10.20.3.4/16"
          ]
        }
        """);

    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(file)))
        .isInstanceOfSatisfying(
            GatewaySettings.InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        file
                            + ":2: patchgate.pac.proxies: \"gw\"; return \"DIRECT\"; \":3128\""
                            + " (expected host:port, e.g. \"gateway1.hospital.local:3128\" or"
                            + " \"10.0.0.5:3128\")",
                        file
                            + ":3: patchgate.pac.direct: \"wsus\") || true || (\"\" (expected a"
                            + " host name (wsus.hospital.local), a suffix (*.hospital.local) or an"
                            + " IPv4 network (10.20.0.0/16))",
                        file
                            + ":3: patchgate.pac.direct: \"a\\u000ab\" (expected a host name"
                            + " (wsus.hospital.local), a suffix (*.hospital.local) or an IPv4"
                            + " network (10.20.0.0/16))",
                        file
                            + ":3: patchgate.pac.direct: \"10.20.3.4/16\" (host bits are set;"
                            + " expected the network address, e.g. 10.20.0.0/16)"));
  }

  @Test
  void anAutoConfigurationKeyThatIsNotAListSaysSo() throws Exception {
    Path file = dir.resolve("patchgate.conf");
    Files.writeString(file, "patchgate.pac.direct = \"wsus.hospital.local\"\n");

    assertThatThrownBy(() -> GatewaySettings.load(Optional.of(file)))
        .hasMessageContaining("patchgate.pac.direct")
        .hasMessageContaining("expected a list of quoted strings");
  }

  /** The store's settings of a configuration whose mirror is on. */
  private static MirrorSettings storeOf(GatewaySettings settings) {
    return ((MirrorSwitch.On) settings.mirroring()).settings();
  }
}
