package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.report.KbSources;
import dev.patchgate.proxy.console.data.AuditData;
import dev.patchgate.proxy.console.data.AuditPage;
import dev.patchgate.proxy.console.data.ChainStatus;
import dev.patchgate.proxy.console.data.DeniedItem;
import dev.patchgate.proxy.console.data.DeniedPage;
import dev.patchgate.proxy.console.data.Download;
import dev.patchgate.proxy.console.data.DownloadsPage;
import dev.patchgate.proxy.console.data.Filters;
import dev.patchgate.proxy.console.data.MirrorData;
import dev.patchgate.proxy.console.data.MirrorObject;
import dev.patchgate.proxy.console.data.MirrorView;
import dev.patchgate.proxy.console.data.OutOfScopeException;
import dev.patchgate.proxy.console.data.Scope;
import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.Role;
import java.net.Socket;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's data after real traffic: a gateway with the mirror on serves a vendor's package
 * twice (upstream, then from the mirror) and refuses a request on another port; the console's
 * sources then read the audit directory, the mirror directory and the allowlist it used.
 */
class ConsoleDataIT {
  private static final byte[] PACKAGE = new byte[256 * 1024 + 3];

  /** Named with its SHA-1, as update files are, so that the mirror serves it without asking. */
  private static final String NAME = "emr-client-5.2_" + sha1(PACKAGE) + ".msi";

  @TempDir Path dir;

  @Test
  void theConsolesSourcesShowWhatTheGatewayServedAndRefused() throws Exception {
    try (HttpOrigin origin = HttpOrigin.plain()) {
      origin.put(NAME, PACKAGE);
      int refusedPort = origin.port() == 65535 ? 65534 : origin.port() + 1;
      String allowlist =
          """
          clients { lab = ["127.0.0.0/8"] }
          entries { emr-vendor { hosts = ["127.0.0.1"], ports = [%d] } }
          """
              .formatted(origin.port());
      try (GatewayHarness gateway = GatewayHarness.with(dir, allowlist).mirror().start()) {
        assertThat(get(gateway, origin.port(), "/files/" + NAME).status()).isEqualTo(200);
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> gateway.registry.get("patchgate.mirror.objects").gauge().value() == 1);
        assertThat(get(gateway, origin.port(), "/files/" + NAME).status()).isEqualTo(200);
        assertThat(get(gateway, refusedPort, "/files/other.msi").status()).isEqualTo(403);
        Awaitility.await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> gateway.records().size() == 3);

        AuditData audit =
            new AuditData(
                dir.resolve("audit"),
                () -> KbSources.of("none", (h, e) -> false),
                Clock.systemUTC());
        Allowlist inForce = Allowlist.load(gateway.allowlistFile);
        Scope vendor =
            Scope.of(
                new ConsoleUser("emr-eng", Role.VENDOR, List.of("emr-vendor"), List.of()), inForce);
        Filters lastWeek = Filters.lastWeek(Clock.systemUTC());

        DownloadsPage downloads = audit.downloads(lastWeek, vendor, 100);
        assertThat(downloads.rows()).hasSize(1);
        Download row = downloads.rows().get(0);
        assertThat(row.row().client()).isEqualTo("127.0.0.1");
        assertThat(row.row().fileName()).isEqualTo(NAME);
        assertThat(row.row().completeness().label()).isEqualTo("complete");
        assertThat(row.row().source()).isEqualTo("mirror+upstream");
        assertThat(row.row().requests()).isEqualTo(2);

        DeniedPage denied = audit.denied(lastWeek, Scope.admin(), inForce, 100);
        assertThat(denied.rows()).hasSize(1);
        DeniedItem refused = denied.rows().get(0);
        assertThat(refused.row().reason()).isEqualTo("port not allowed for this host");
        assertThat(refused.explained().orElseThrow().lines())
            .anySatisfy(l -> assertThat(l).contains("port " + refusedPort));
        assertThat(refused.snippet().orElseThrow())
            .contains("ports   = [" + refusedPort + "]")
            .contains("clients = [lab]");

        AuditPage search = audit.search(lastWeek, Scope.admin());
        assertThat(search.total()).isEqualTo(3);
        // Newest first in the log's own order (seq): a download's record is written when its last
        // byte has left, which may be after the refusal sent next.
        assertThat(search.rows())
            .extracting(r -> ((Number) r.fields().get("seq")).longValue())
            .isSortedAccordingTo(java.util.Comparator.reverseOrder());
        assertThat(search.rows())
            .anySatisfy(r -> assertThat(r.fields()).containsEntry("decision", "deny"));
        assertThat(search.chain().state()).isEqualTo(ChainStatus.State.OK);

        MirrorView mirror =
            new MirrorData(dir.resolve("mirror"), Optional.empty()).objects(Scope.admin(), 100);
        assertThat(mirror.objects())
            .extracting(MirrorObject::url, MirrorObject::size)
            .containsExactly(
                org.assertj.core.groups.Tuple.tuple(
                    "http://127.0.0.1:" + origin.port() + "/files/" + NAME, (long) PACKAGE.length));
        assertThatThrownBy(
                () -> new MirrorData(dir.resolve("mirror"), Optional.empty()).objects(vendor, 100))
            .isInstanceOf(OutOfScopeException.class);
      }
    }
  }

  private static RawHttp.Response get(GatewayHarness gateway, int port, String path)
      throws Exception {
    try (Socket socket = gateway.socket()) {
      RawHttp.send(
          socket,
          "GET http://127.0.0.1:%d%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n"
              .formatted(port, path, port));
      return RawHttp.read(socket, false);
    }
  }

  private static String sha1(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
