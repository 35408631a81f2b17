package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.Requests.allowlist;
import static dev.patchgate.allowlist.Requests.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Client groups, profiles, schemes, ports, methods, paths and schedules, one row per case. */
class AllowlistRulesTest {
  /** A curated profile as the shipped ones look: each host with its own scheme and port. */
  static final Profile WINDOWS_UPDATE =
      new Profile(
          "windows-update",
          "Windows Update (clients)",
          "2024-01-01",
          List.of("https://learn.microsoft.com/"),
          List.of(
              new ProfileHost("*.windowsupdate.com", Scheme.HTTP, 80, "payloads"),
              new ProfileHost("*.update.microsoft.com", Scheme.HTTPS, 443, "metadata")));

  /** A profile with a path-restricted rule: a host that must never be opened whole. */
  static final Profile MICROSOFT_PKI =
      new Profile(
          "microsoft-pki",
          "Microsoft certificates and revocation lists",
          "2024-01-01",
          List.of("https://learn.microsoft.com/"),
          List.of(new ProfileHost("crl.microsoft.com", Scheme.HTTP, 80, "revocation lists")),
          List.of(
              new ProfileHost(
                  "www.microsoft.com",
                  Scheme.HTTP,
                  80,
                  "certificates",
                  ProfileHost.Evidence.DOC,
                  List.of("/pkiops/", "/pki/certs"))));

  private static final String HIS_PC = "10.10.1.5";
  private static final String EMR = "10.20.0.10";
  private static final String EMR_V6 = "fd00:20::5";
  private static final String DEVICE = "10.30.0.7";
  private static final String STRANGER = "10.9.1.1";

  // Tokyo is UTC+9 all year; 2024-01-08 is a Monday.
  /** Mon 21:59 Tokyo. */
  private static final Instant MON_2159 = Instant.parse("2024-01-08T12:59:00Z");

  /** Mon 22:00 Tokyo: a night window opens. */
  private static final Instant MON_2200 = Instant.parse("2024-01-08T13:00:00Z");

  /** Mon 23:00 Tokyo. */
  private static final Instant MON_2300 = Instant.parse("2024-01-08T14:00:00Z");

  /** Tue 05:59 Tokyo: still Monday's night window. */
  private static final Instant TUE_0559 = Instant.parse("2024-01-08T20:59:00Z");

  /** Tue 06:00 Tokyo: the window's end is excluded. */
  private static final Instant TUE_0600 = Instant.parse("2024-01-08T21:00:00Z");

  /** Mon 03:00 Tokyo: after Sunday, which has no night window in Mon-Fri. */
  private static final Instant MON_0300 = Instant.parse("2024-01-07T18:00:00Z");

  /** Wed 12:00 Tokyo: office hours. */
  private static final Instant WED_1200 = Instant.parse("2024-01-10T03:00:00Z");

  /** Sat 14:00 Tokyo. */
  private static final Instant SAT_1400 = Instant.parse("2024-01-13T05:00:00Z");

  /** Sat 03:00 Tokyo: inside Friday's night window and Saturday's whole day. */
  private static final Instant SAT_0300 = Instant.parse("2024-01-12T18:00:00Z");

  /** Sat 23:00 Tokyo. */
  private static final Instant SAT_2300 = Instant.parse("2024-01-13T14:00:00Z");

  /** Sun 23:00 Tokyo. */
  private static final Instant SUN_2300 = Instant.parse("2024-01-14T14:00:00Z");

  /** Mon 01:59 Tokyo: Sunday's window, which runs past the end of the week. */
  private static final Instant MON_0159 = Instant.parse("2024-01-14T16:59:00Z");

  /** Mon 02:00 Tokyo. */
  private static final Instant MON_0200 = Instant.parse("2024-01-14T17:00:00Z");

  static final String FILE =
      Requests.lines(
          "time-zone = \"Asia/Tokyo\"",
          "clients {",
          "  his-pcs     = [\"10.10.0.0/16\"]",
          "  emr-servers = [\"10.20.0.10\", \"10.20.0.11\", \"fd00:20::/64\"]",
          "  devices     = [\"10.30.0.0/24\"]",
          "}",
          "entries {",
          "  windows-update {",
          "    profile  = windows-update",
          "    hosts    = [\"download.example.com\"]",
          "    ports    = [80, 8080]",
          "    schemes  = [http, https]",
          "    paths    = [\"/c/msdownload/\", \"/d/msdownload\"]",
          "    clients  = [his-pcs]",
          "    schedule = [\"Mon-Fri 22:00-06:00\", \"Sat,Sun 00:00-24:00\"]",
          "  }",
          "  emr-patches { hosts = [\"patches.emr-vendor.example\"], schemes = [https],"
              + " clients = [emr-servers] }",
          "  av-signatures { hosts = [\"*.av-vendor.example\"], schemes = [http], methods = [GET] }",
          "  device-firmware {",
          "    hosts    = [\"fw.device-vendor.example\"]",
          "    clients  = [devices]",
          "    schedule = [\"Sun 22:00-02:00\"]",
          "  }",
          "  mirror-a { hosts = [\"mirror.vendor.example\"], clients = [his-pcs], ports = [8080] }",
          "  mirror-b { hosts = [\"mirror.vendor.example\"], clients = [emr-servers] }",
          "  pki { profile = microsoft-pki }",
          "}");

  static final Allowlist ALLOWLIST = allowlist(FILE, WINDOWS_UPDATE, MICROSOFT_PKI);

  private static final String WU = "http://download.windowsupdate.com/c/msdownload/x.cab";

  static Stream<Arguments> decisions() {
    return Stream.of(
        // a registered PC, a profile host, an allowed path, inside the night window
        arguments(HIS_PC, "GET", WU, MON_2300, "ALLOW windows-update"),
        // the same during office hours
        arguments(HIS_PC, "GET", WU, WED_1200, "DENY outside the allowed schedule"),
        // the window's start is included
        arguments(HIS_PC, "GET", WU, MON_2200, "ALLOW windows-update"),
        // a minute before the window
        arguments(HIS_PC, "GET", WU, MON_2159, "DENY outside the allowed schedule"),
        // after midnight the window still belongs to Monday, the day it started
        arguments(HIS_PC, "GET", WU, TUE_0559, "ALLOW windows-update"),
        // the window's end is excluded
        arguments(HIS_PC, "GET", WU, TUE_0600, "DENY outside the allowed schedule"),
        // early Monday is not covered: only Sunday could have started a window running into it
        arguments(HIS_PC, "GET", WU, MON_0300, "DENY outside the allowed schedule"),
        // a whole-day weekend window
        arguments(HIS_PC, "GET", WU, SAT_1400, "ALLOW windows-update"),
        // Friday's night window and Saturday's whole day overlap
        arguments(HIS_PC, "GET", WU, SAT_0300, "ALLOW windows-update"),
        // a registered client outside the entry's groups
        arguments(EMR, "GET", WU, MON_2300, "DENY client not allowed for this host"),
        // a client in no group at all, to a listed host
        arguments(STRANGER, "GET", WU, MON_2300, "DENY unregistered client"),
        // a client in no group at all, to a host no entry names
        arguments(STRANGER, "GET", "http://example.org/", MON_2300, "DENY unregistered client"),
        // a registered client to a host no entry names
        arguments(HIS_PC, "GET", "http://example.org/", MON_2300, "DENY host not in allowlist"),
        // the profile's HTTPS host over CONNECT
        arguments(
            HIS_PC, "CONNECT", "fe2.update.microsoft.com:443", MON_2300, "ALLOW windows-update"),
        // the profile lists that host for CONNECT only
        arguments(
            HIS_PC,
            "GET",
            "http://fe2.update.microsoft.com/c/msdownload/x",
            MON_2300,
            "DENY scheme not allowed for this host"),
        // the profile lists the payload host for plain HTTP only
        arguments(
            HIS_PC,
            "CONNECT",
            "download.windowsupdate.com:443",
            MON_2300,
            "DENY scheme not allowed for this host"),
        // the entry's ports are for its own hosts; the profile host keeps its port 80
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com:8080/c/msdownload/x.cab",
            MON_2300,
            "DENY port not allowed for this host"),
        // an own host on one of the entry's ports
        arguments(
            HIS_PC,
            "GET",
            "http://download.example.com:8080/c/msdownload/x.cab",
            MON_2300,
            "ALLOW windows-update"),
        // an own host on another port
        arguments(
            HIS_PC,
            "GET",
            "http://download.example.com:8443/c/msdownload/x.cab",
            MON_2300,
            "DENY port not allowed for this host"),
        // own hosts get the entry's ports for CONNECT too
        arguments(HIS_PC, "CONNECT", "download.example.com:8080", MON_2300, "ALLOW windows-update"),
        // ports replace the default 443 of CONNECT
        arguments(
            HIS_PC,
            "CONNECT",
            "download.example.com:443",
            MON_2300,
            "DENY port not allowed for this host"),
        // path-prefix confusion: a prefix without a slash is bounded by a segment
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com/d/msdownloadevil/x.cab",
            MON_2300,
            "DENY path not allowed for this host"),
        // path-prefix confusion: a sibling directory sharing the prefix's text
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com/c/msdownloadevil/x.cab",
            MON_2300,
            "DENY path not allowed for this host"),
        // a prefix without a trailing slash covers itself
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com/d/msdownload",
            MON_2300,
            "ALLOW windows-update"),
        // and everything below it
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com/d/msdownload/x.cab?v=1",
            MON_2300,
            "ALLOW windows-update"),
        // a prefix with a trailing slash does not cover the directory without it
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com/c/msdownload",
            MON_2300,
            "DENY path not allowed for this host"),
        // the query is not part of the path: an allowed prefix there does not count
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com/admin?p=/c/msdownload/",
            MON_2300,
            "DENY path not allowed for this host"),
        // paths are case-sensitive bytes
        arguments(
            HIS_PC,
            "GET",
            "http://download.windowsupdate.com/C/MSDOWNLOAD/x.cab",
            MON_2300,
            "DENY path not allowed for this host"),
        // HEAD is allowed by default
        arguments(HIS_PC, "HEAD", WU, MON_2300, "ALLOW windows-update"),
        // an IPv6 client in an IPv6 group, over CONNECT only
        arguments(
            EMR_V6, "CONNECT", "patches.emr-vendor.example:443", WED_1200, "ALLOW emr-patches"),
        // an IPv6 client just outside the group's /64
        arguments(
            "fd00:21::5",
            "CONNECT",
            "patches.emr-vendor.example:443",
            WED_1200,
            "DENY unregistered client"),
        // a PC to the EMR vendor's host
        arguments(
            HIS_PC,
            "CONNECT",
            "patches.emr-vendor.example:443",
            WED_1200,
            "DENY client not allowed for this host"),
        // plain HTTP to a CONNECT-only entry
        arguments(
            EMR,
            "GET",
            "http://patches.emr-vendor.example/",
            WED_1200,
            "DENY scheme not allowed for this host"),
        // an entry without clients serves every registered client, at any time
        arguments(
            EMR, "GET", "http://sig.av-vendor.example/x.dat", WED_1200, "ALLOW av-signatures"),
        // methods narrowed to GET
        arguments(
            EMR,
            "HEAD",
            "http://sig.av-vendor.example/x.dat",
            WED_1200,
            "DENY method not allowed for this host"),
        // a method the gate should have refused already is still denied here
        arguments(
            EMR,
            "POST",
            "http://sig.av-vendor.example/x.dat",
            WED_1200,
            "DENY method not allowed for this host"),
        // schemes narrowed to http
        arguments(
            EMR,
            "CONNECT",
            "sig.av-vendor.example:443",
            WED_1200,
            "DENY scheme not allowed for this host"),
        // a Sunday night window
        arguments(
            DEVICE,
            "GET",
            "http://fw.device-vendor.example/fw.bin",
            SUN_2300,
            "ALLOW device-firmware"),
        // Sunday's window runs past the end of the week into Monday
        arguments(
            DEVICE,
            "GET",
            "http://fw.device-vendor.example/fw.bin",
            MON_0159,
            "ALLOW device-firmware"),
        // and ends there
        arguments(
            DEVICE,
            "GET",
            "http://fw.device-vendor.example/fw.bin",
            MON_0200,
            "DENY outside the allowed schedule"),
        // the day before is not Sunday
        arguments(
            DEVICE,
            "CONNECT",
            "fw.device-vendor.example:443",
            SAT_2300,
            "DENY outside the allowed schedule"),
        // two entries name the host; the one serving the client allows the port
        arguments(HIS_PC, "GET", "http://mirror.vendor.example:8080/", WED_1200, "ALLOW mirror-a"),
        arguments(EMR, "GET", "http://mirror.vendor.example/", WED_1200, "ALLOW mirror-b"),
        // the entry that serves the client got further (to the port) than the other (client)
        arguments(
            HIS_PC,
            "GET",
            "http://mirror.vendor.example/",
            WED_1200,
            "DENY port not allowed for this host"),
        arguments(
            EMR,
            "GET",
            "http://mirror.vendor.example:8080/",
            WED_1200,
            "DENY port not allowed for this host"),
        // a profile's path-restricted rule allows its paths
        arguments(EMR, "GET", "http://www.microsoft.com/pkiops/certs/x.crt", WED_1200, "ALLOW pki"),
        arguments(EMR, "GET", "http://www.microsoft.com/pki/certs/y.crl", WED_1200, "ALLOW pki"),
        // and never opens the rest of the host
        arguments(
            EMR,
            "GET",
            "http://www.microsoft.com/en-us/download",
            WED_1200,
            "DENY path not allowed for this host"),
        arguments(
            EMR,
            "GET",
            "http://www.microsoft.com/pki/certsevil/x",
            WED_1200,
            "DENY path not allowed for this host"),
        // nor tunnels to it
        arguments(
            EMR,
            "CONNECT",
            "www.microsoft.com:443",
            WED_1200,
            "DENY scheme not allowed for this host"),
        // the profile's ordinary rules allow every path
        arguments(
            EMR, "GET", "http://crl.microsoft.com/pki/crl/products/x.crl", WED_1200, "ALLOW pki"),
        // neither entry serves the client
        arguments(
            DEVICE,
            "GET",
            "http://mirror.vendor.example/",
            WED_1200,
            "DENY client not allowed for this host"));
  }

  @ParameterizedTest(name = "[{index}] {0} {1} {2} at {3} -> {4}")
  @MethodSource("decisions")
  void decide_appliesEveryRuleOfTheEntry(
      String client, String method, String target, Instant at, String expected) {
    AccessRequest request = request(client, method, target, at);

    Decision decision = ALLOWLIST.decide(request);

    assertThat(decision).hasToString(expected);
    assertThat(ScanningPolicy.decide(ALLOWLIST, request)).isEqualTo(expected);
  }

  @Test
  void withoutAClientsBlockEveryClientMayUseEveryEntry() {
    Allowlist starter =
        allowlist(Requests.lines("entries {", "  wu { hosts = [\"*.windowsupdate.com\"] }", "}"));

    for (String client : List.of(HIS_PC, STRANGER, "2001:db8::1", "127.0.0.1")) {
      assertThat(starter.decide(request(client, "GET", WU, WED_1200))).hasToString("ALLOW wu");
    }
    assertThat(starter.decide(request(STRANGER, "GET", "http://example.org/", WED_1200)))
        .hasToString("DENY host not in allowlist");
  }

  @Test
  void aClientInSeveralGroupsIsServedByEntriesOfEach() {
    Allowlist overlapping =
        allowlist(
            Requests.lines(
                "clients { wide = [\"10.0.0.0/8\"], narrow = [\"10.10.0.0/16\"] }",
                "entries {",
                "  a { hosts = [\"a.example.com\"], clients = [wide] }",
                "  b { hosts = [\"b.example.com\"], clients = [narrow] }",
                "}"));

    assertThat(overlapping.decide(request(HIS_PC, "GET", "http://a.example.com/", WED_1200)))
        .hasToString("ALLOW a");
    assertThat(overlapping.decide(request(HIS_PC, "GET", "http://b.example.com/", WED_1200)))
        .hasToString("ALLOW b");
    assertThat(overlapping.decide(request(EMR, "GET", "http://b.example.com/", WED_1200)))
        .hasToString("DENY client not allowed for this host");
  }

  @Test
  void aFileWithClientGroupsButNoEntriesStillTellsUnregisteredClientsApart() {
    Allowlist empty = allowlist("clients { his-pcs = [\"10.10.0.0/16\"] }\n");

    assertThat(empty.decide(request(HIS_PC, "GET", WU, WED_1200)))
        .hasToString("DENY host not in allowlist");
    assertThat(empty.decide(request(STRANGER, "GET", WU, WED_1200)))
        .hasToString("DENY unregistered client");
  }

  @Test
  void schedulesFollowTheWallClockOfTheFilesZoneAcrossDaylightSaving() {
    // Berlin: 2024-03-31 02:00 CET jumps to 03:00 CEST. A window read in Berlin moves with it.
    Allowlist berlin =
        allowlist(
            Requests.lines(
                "time-zone = \"Europe/Berlin\"",
                "entries { night { hosts = [\"a.example.com\"], schedule = [\"Sun 03:00-04:00\"] } }"));

    // 01:30 UTC is 03:30 CEST, inside; an hour earlier on the same day it was 01:30 CET, outside.
    assertThat(
            berlin.decide(
                request(
                    HIS_PC, "GET", "http://a.example.com/", Instant.parse("2024-03-31T01:30:00Z"))))
        .hasToString("ALLOW night");
    assertThat(
            berlin.decide(
                request(
                    HIS_PC, "GET", "http://a.example.com/", Instant.parse("2024-03-31T00:30:00Z"))))
        .hasToString("DENY outside the allowed schedule");
    assertThat(berlin.timeZone().getId()).isEqualTo("Europe/Berlin");
  }

  @Test
  void withoutATimeZoneSchedulesAreReadInTheDefaultZone() {
    Allowlist defaulted =
        allowlist(
            "entries { night { hosts = [\"a.example.com\"], schedule = [\"Mon 23:00-23:30\"] } }");

    assertThat(defaulted.timeZone()).isEqualTo(Requests.TOKYO);
    assertThat(defaulted.decide(request(HIS_PC, "GET", "http://a.example.com/", MON_2300)))
        .hasToString("ALLOW night");
  }
}
