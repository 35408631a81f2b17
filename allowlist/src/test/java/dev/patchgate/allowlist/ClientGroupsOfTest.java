package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

/** A client's group names, which the live anomaly watch judges it with. */
class ClientGroupsOfTest {

  @Test
  void aClientsGroupsAreNamedInFileOrderAndAnUnregisteredClientHasNone() throws Exception {
    Allowlist allowlist =
        Allowlist.parse(
            """
            clients {
              pcs = ["10.10.0.0/16"]
              wsus = ["10.20.0.10"]
              nat = ["10.20.0.0/24"]
            }
            entries { wu { hosts = ["download.windowsupdate.com"] } }
            """,
            "allowlist.conf");

    assertThat(allowlist.groupsOf(InetAddress.getByName("10.10.3.4"))).containsExactly("pcs");
    assertThat(allowlist.groupsOf(InetAddress.getByName("10.20.0.10")))
        .containsExactly("wsus", "nat");
    assertThat(allowlist.groupsOf(InetAddress.getByName("192.168.1.1"))).isEmpty();
  }

  @Test
  void withoutAClientsBlockNoClientHasAGroup() throws Exception {
    Allowlist allowlist =
        Allowlist.parse(
            "entries { wu { hosts = [\"download.windowsupdate.com\"] } }", "allowlist.conf");

    assertThat(allowlist.groupsOf(InetAddress.getByName("10.10.3.4"))).isEmpty();
  }
}
