package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The client groups an address is in, as the audit reports ask for them. */
class ClientGroupsOfTest {
  private static final Allowlist GROUPS =
      parse(
          """
          clients {
            pcs     = ["10.10.0.0/16", "fd00:10::/64"]
            wsus    = ["10.20.0.10"]
            servers = ["10.20.0.0/24"]
          }
          entries { wu { hosts = ["download.windowsupdate.com"] } }
          """);

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "10.10.3.4          | pcs",
        "fd00:10::5         | pcs",
        "::ffff:10.10.3.4   | pcs", // IPv4-mapped: the same host, the same group
        "10.20.0.10         | wsus servers", // in two groups, in file order
        "10.20.0.11         | servers",
        "192.168.1.1        | ''", // unregistered
        "fd00:11::1         | ''"
      })
  void anAddressIsInTheGroupsThatNameIt(String address, String groups) throws Exception {
    List<String> expected = groups.isEmpty() ? List.of() : List.of(groups.split(" "));
    assertThat(GROUPS.clientGroupsOf(InetAddress.getByName(address))).isEqualTo(expected);
  }

  @Test
  void theGroupNamesAreInFileOrderAndNoneWithoutAClientsBlock() throws Exception {
    assertThat(GROUPS.clientGroupNames()).containsExactly("pcs", "wsus", "servers");
    Allowlist open = parse("entries { wu { hosts = [\"download.windowsupdate.com\"] } }");
    assertThat(open.clientGroupNames()).isEmpty();
    assertThat(open.clientGroupsOf(InetAddress.getByName("10.10.3.4"))).isEmpty();
  }

  private static Allowlist parse(String text) {
    try {
      return Allowlist.parse(text, "allowlist.conf");
    } catch (AllowlistException e) {
      throw new IllegalStateException(e);
    }
  }
}
