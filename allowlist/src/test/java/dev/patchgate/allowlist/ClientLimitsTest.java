package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** The allowlist's {@code limits} block: per client group, limits above or below the gateway's. */
class ClientLimitsTest {
  private static final String GROUPS =
      """
      clients {
        pcs = ["10.10.0.0/16"]
        wsus = ["10.20.0.10"]
        nat = ["10.20.0.0/24"]
      }
      entries { wu { hosts = ["download.windowsupdate.com"] } }
      """;

  @Test
  void withoutALimitsBlockEveryClientGetsTheGatewaysLimits() throws Exception {
    Allowlist allowlist = Allowlist.parse(GROUPS, "allowlist.conf");

    assertThat(allowlist.limitsFor(address("10.10.0.5"))).isEqualTo(ClientLimits.NONE);
    assertThat(allowlist.limitsFor(address("10.20.0.10"))).isEqualTo(ClientLimits.NONE);
  }

  @Test
  void aGroupsLimitsApplyToItsClientsOnly() throws Exception {
    Allowlist allowlist =
        Allowlist.parse(
            GROUPS
                + """
                limits {
                  pcs { connections-per-client = 50, requests-per-client { rate = 20, burst = 100 } }
                }
                """,
            "allowlist.conf");

    assertThat(allowlist.limitsFor(address("10.10.3.4")))
        .isEqualTo(new ClientLimits(OptionalInt.of(50), Optional.of(new RequestRate(20, 100))));
    assertThat(allowlist.limitsFor(address("10.20.0.99"))).isEqualTo(ClientLimits.NONE);
    assertThat(allowlist.limitsFor(address("192.168.1.1"))).isEqualTo(ClientLimits.NONE);
  }

  @Test
  void aClientInSeveralGroupsGetsTheMostGenerousOfEachLimit() throws Exception {
    Allowlist allowlist =
        Allowlist.parse(
            GROUPS
                + """
                limits {
                  wsus { connections-per-client = 2000, requests-per-client { rate = 0 } }
                  nat { connections-per-client = 500, requests-per-client { rate = 50 } }
                }
                """,
            "allowlist.conf");

    // 10.20.0.10 is in wsus and in nat: the larger connection limit, and no rate limit.
    assertThat(allowlist.limitsFor(address("10.20.0.10")))
        .isEqualTo(new ClientLimits(OptionalInt.of(2000), Optional.of(RequestRate.UNLIMITED)));
    // Without a burst, one second's worth may come at once.
    assertThat(allowlist.limitsFor(address("10.20.0.11")))
        .isEqualTo(new ClientLimits(OptionalInt.of(500), Optional.of(new RequestRate(50, 50))));
  }

  @Test
  void mistakesAreReportedWithTheirLineAndAFix() {
    String file =
        String.join(
            "\n",
            /* 1 */ "clients { pcs = [\"10.10.0.0/16\"], wsus = [\"10.20.0.10\"] }",
            /* 2 */ "limits {",
            /* 3 */ "  pc { connections-per-client = 5 }",
            /* 4 */ "  pcs { connections = 5 }",
            /* 5 */ "  wsus {",
            /* 6 */ "    connections-per-client = 0",
            /* 7 */ "    requests-per-client { burst = 10 }",
            /* 8 */ "  }",
            /* 9 */ "}",
            /* 10 */ "entries { wu { hosts = [\"download.windowsupdate.com\"] } }");

    assertThatThrownBy(() -> Allowlist.parse(file, "allowlist.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .map(Problem::toString)
                    .containsExactly(
                        "allowlist.conf:3: 'limits' names client group 'pc', which the 'clients'"
                            + " block does not define; did you mean 'pcs'?",
                        "allowlist.conf:4: limits of client group 'pcs': unknown key"
                            + " 'connections' (expected connections-per-client or"
                            + " requests-per-client)",
                        "allowlist.conf:6: limits of client group 'wsus': 'connections-per-client'"
                            + " must be a whole number from 1 to 1000000, not '0'",
                        "allowlist.conf:7: limits of client group 'wsus': 'requests-per-client'"
                            + " needs a rate (requests a second; 0: no limit), e.g. { rate = 20,"
                            + " burst = 100 }"));
  }

  @Test
  void limitsNeedClientGroups() {
    String file =
        "limits { pcs { connections-per-client = 5 } }\n"
            + "entries { wu { hosts = [\"download.windowsupdate.com\"] } }";

    assertThatThrownBy(() -> Allowlist.parse(file, "allowlist.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .map(Problem::toString)
                    .singleElement()
                    .asString()
                    .startsWith("allowlist.conf:1: 'limits' sets limits for client groups"));
  }

  private static InetAddress address(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
