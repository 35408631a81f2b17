package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every mistake the full language can hold, one row each, with the exact message: the value, and
 * what to write instead.
 */
class AllowlistLanguageValidationTest {
  private static final String GROUPS =
      "clients {\n  his-pcs = [\"10.10.0.0/16\"]\n  emr-servers = [\"10.20.0.0/24\"]\n}\n";
  private static final String HOST = "hosts = [\"a.example.com\"]";

  /** One entry {@code x} on line 2 (line 6 with the client groups above it). */
  private static String entry(String keys) {
    return "entries {\n  x { " + HOST + ", " + keys + " }\n}\n";
  }

  private static String entryWithGroups(String keys) {
    return GROUPS + entry(keys);
  }

  static Stream<Arguments> problems() {
    return Stream.of(
        // top level: a typo of a known key
        arguments(
            "entry { }\n",
            1,
            "unknown top-level key 'entry' (expected one of: time-zone, clients, limits, entries);"
                + " did you mean 'entries'?"),
        arguments(
            "timezone = \"Asia/Tokyo\"\n",
            1,
            "unknown top-level key 'timezone' (expected one of: time-zone, clients, limits, entries);"
                + " did you mean 'time-zone'?"),
        // time zones
        arguments(
            "time-zone = \"Asia/Tokio\"\n",
            1,
            "unknown time-zone 'Asia/Tokio'; did you mean 'Asia/Tokyo'?"
                + " (use a region id such as Asia/Tokyo or UTC)"),
        // an ambiguous abbreviation, which ZoneId refuses too
        arguments(
            "time-zone = \"JST\"\n",
            1,
            "unknown time-zone 'JST'; did you mean 'Asia/Tokyo'?"
                + " (use a region id such as Asia/Tokyo or UTC)"),
        arguments(
            "time-zone = \"Mars/Olympus\"\n",
            1,
            "unknown time-zone 'Mars/Olympus' (use a region id such as Asia/Tokyo or UTC)"),
        arguments(
            "time-zone = 9\n",
            1,
            "'time-zone' must be a zone id in quotes, not '9', e.g. time-zone = \"Asia/Tokyo\""),
        // client groups
        arguments(
            "clients = [\"10.0.0.0/8\"]\n",
            1,
            "'clients' must be an object of named groups,"
                + " e.g. clients { his-pcs = [\"10.10.0.0/16\"] }"),
        arguments(
            "clients {}\n",
            1,
            "'clients' has no groups, so every client would be refused; add a group,"
                + " e.g. clients { his-pcs = [\"10.10.0.0/16\"] }, or remove the block to let"
                + " every client use every entry"),
        arguments(
            "clients {\n  his-pcs = []\n}\n",
            2,
            "client group 'his-pcs' has no addresses; list at least one,"
                + " e.g. his-pcs = [\"10.10.0.0/16\"]"),
        arguments(
            "clients {\n  his-pcs = \"10.10.0.0/16\"\n}\n",
            2,
            "client group 'his-pcs' must be a list of addresses, not '10.10.0.0/16',"
                + " e.g. his-pcs = [\"10.10.0.0/16\"]"),
        arguments(
            "clients {\n  \"his pcs\" = [\"10.10.0.0/16\"]\n}\n",
            2,
            "client group name 'his pcs' may contain only letters, digits, '-' and '_'"
                + " (at most 64), e.g. his-pcs"),
        // address ranges: host bits set
        arguments(
            "clients {\n  his-pcs = [\"10.10.0.1/16\"]\n}\n",
            2,
            "client group 'his-pcs': address '10.10.0.1/16': host bits are set;"
                + " write 10.10.0.0/16"),
        arguments(
            "clients {\n  g = [\"fd00:20::1/64\"]\n}\n",
            2,
            "client group 'g': address 'fd00:20::1/64': host bits are set; write fd00:20::/64"),
        // address ranges: prefix out of range
        arguments(
            "clients {\n  g = [\"10.10.0.0/33\"]\n}\n",
            2,
            "client group 'g': address '10.10.0.0/33': prefix /33 is out of range for IPv4"
                + " (0 to 32)"),
        arguments(
            "clients {\n  g = [\"fd00::/129\"]\n}\n",
            2,
            "client group 'g': address 'fd00::/129': prefix /129 is out of range for IPv6"
                + " (0 to 128)"),
        // address ranges: syntax
        arguments(
            "clients {\n  g = [\"10.10.0.0/\"]\n}\n",
            2,
            "client group 'g': address '10.10.0.0/': expected an address or a range,"
                + " e.g. 10.10.0.0/16, 10.20.0.10 or fd00:20::/64"),
        arguments(
            "clients {\n  g = [\"10.10.0.0/016\"]\n}\n",
            2,
            "client group 'g': address '10.10.0.0/016': expected an address or a range,"
                + " e.g. 10.10.0.0/16, 10.20.0.10 or fd00:20::/64"),
        arguments(
            "clients {\n  g = [\"pcs.hospital.example\"]\n}\n",
            2,
            "client group 'g': address 'pcs.hospital.example': expected an address or a range,"
                + " e.g. 10.10.0.0/16, 10.20.0.10 or fd00:20::/64"),
        // an alternate IPv4 spelling, read differently by different parsers
        arguments(
            "clients {\n  g = [\"10.10/16\"]\n}\n",
            2,
            "client group 'g': address '10.10/16': write an IPv4 address as a dotted quad"
                + " without leading zeros, e.g. 10.0.0.1"),
        arguments(
            "clients {\n  g = [\"[fd00::]/64\"]\n}\n",
            2,
            "client group 'g': address '[fd00::]/64': write an IPv6 range without brackets,"
                + " e.g. fd00:20::/64"),
        // entry keys: typos with a suggestion, and without one
        arguments(
            entry("shedule = [\"Mon 00:00-24:00\"]"),
            2,
            "unknown key 'shedule' in entry 'x' (expected one of: profile, hosts, ports, schemes,"
                + " methods, paths, clients, schedule, addresses, mode, sni-check, mirror, mirror-drop-query, mirror-max-age, kb-files, upstream);"
                + " did you mean 'schedule'?"),
        arguments(
            entry("sni_check = false"),
            2,
            "unknown key 'sni_check' in entry 'x' (expected one of: profile, hosts, ports,"
                + " schemes, methods, paths, clients, schedule, addresses, mode, sni-check, mirror, mirror-drop-query, mirror-max-age, kb-files, upstream);"
                + " did you mean 'sni-check'?"),
        // The mirror's keys: typed, positive, and meaningless for tunnels.
        arguments(entry("mirror = yes"), 2, "entry 'x': 'mirror' must be true or false, not 'yes'"),
        arguments(
            entry("mirror-max-age = soon"),
            2,
            "entry 'x': 'mirror-max-age' must be a positive duration such as 1h or 7d, not"
                + " 'soon'"),
        arguments(
            entry("schemes = [https], mirror-drop-query = true"),
            2,
            "entry 'x': 'mirror-drop-query' applies to plain HTTP downloads only (tunnels are never"
                + " mirrored), but the entry's schemes are [https]; remove it"),
        arguments(
            entry("comment = \"x\""),
            2,
            "unknown key 'comment' in entry 'x' (expected one of: profile, hosts, ports, schemes,"
                + " methods, paths, clients, schedule, addresses, mode, sni-check, mirror, mirror-drop-query, mirror-max-age, kb-files, upstream)"),
        // client groups of an entry
        arguments(
            entryWithGroups("clients = [his-pc]"),
            6,
            "entry 'x': unknown client group 'his-pc' (known groups: his-pcs, emr-servers);"
                + " did you mean 'his-pcs'?"),
        arguments(
            entry("clients = [his-pcs]"),
            2,
            "entry 'x': client group 'his-pcs' is not defined: the file has no clients { } block;"
                + " add one, e.g. clients { his-pcs = [\"10.10.0.0/16\"] }"),
        arguments(
            entryWithGroups("clients = []"),
            6,
            "'clients' in entry 'x' is empty; remove it to serve every registered client,"
                + " or list groups, e.g. clients = [his-pcs]"),
        // profiles
        arguments(
            "entries {\n  x { profile = windows-updates }\n}\n",
            2,
            "entry 'x': unknown profile 'windows-updates' (known profiles: windows-update);"
                + " did you mean 'windows-update'?"),
        arguments(
            "entries {\n  x { profile = [windows-update] }\n}\n",
            2,
            "'profile' in entry 'x' must be one profile name, not '[\"windows-update\"]',"
                + " e.g. profile = windows-update"),
        arguments(
            "entries {\n  x { profile = windows-update, ports = [8080] }\n}\n",
            2,
            "'ports' in entry 'x' applies to the entry's own hosts, and it has none: a profile's"
                + " hosts bring their own ports; remove 'ports' or add 'hosts'"),
        // schemes
        arguments(
            entry("schemes = [ftp]"),
            2,
            "entry 'x': scheme 'ftp' is not one of: http, https (https means CONNECT tunnels)"),
        arguments(
            entry("schemes = [connect]"),
            2,
            "entry 'x': scheme 'connect' is not one of: http, https (https means CONNECT"
                + " tunnels)"),
        arguments(
            entry("schemes = []"),
            2,
            "'schemes' in entry 'x' is empty; remove it to allow both, or list them,"
                + " e.g. schemes = [http]"),
        arguments(
            entry("schemes = http"),
            2,
            "'schemes' in entry 'x' must be a list, not 'http', e.g. schemes = [http]"),
        // methods
        arguments(
            entry("methods = [POST]"),
            2,
            "entry 'x': method 'POST' is not one of: GET, HEAD (patchgate answers every other"
                + " method with 405)"),
        arguments(
            entry("methods = [CONNECT]"),
            2,
            "entry 'x': method 'CONNECT' is not one of: GET, HEAD; tunnels are allowed with"
                + " schemes = [https]"),
        arguments(
            entry("methods = []"),
            2,
            "'methods' in entry 'x' is empty; remove it to allow GET and HEAD, or list them,"
                + " e.g. methods = [GET]"),
        arguments(
            entry("schemes = [https], methods = [GET]"),
            2,
            "entry 'x': 'methods' applies to plain HTTP only, but the entry's schemes are"
                + " [https]; remove 'methods' or add http to 'schemes'"),
        // paths: a tunnel's path cannot be checked, so the entry must say what tunnels get
        arguments(
            entry("paths = [\"/c/msdownload/\"]"),
            2,
            "entry 'x': 'paths' can be checked on plain HTTP only (a CONNECT tunnel hides the"
                + " path); add schemes = [http] to serve plain HTTP only, or"
                + " schemes = [http, https] to let tunnels to these hosts through without a path"
                + " check"),
        arguments(
            entry("schemes = [https], paths = [\"/c/\"]"),
            2,
            "entry 'x': 'paths' applies to plain HTTP only, but the entry's schemes are"
                + " [https]; remove 'paths' or add http to 'schemes'"),
        arguments(
            entry("schemes = [http], paths = [\"c/msdownload/\"]"),
            2,
            "entry 'x': path 'c/msdownload/': a path must start with '/', e.g. /c/msdownload/"),
        // path traversal in a prefix
        arguments(
            entry("schemes = [http], paths = [\"/c/../admin/\"]"),
            2,
            "entry 'x': path '/c/../admin/': a path must not contain '..': requests with"
                + " dot-segments are refused, so it could never match"),
        arguments(
            entry("schemes = [http], paths = [\"/c/./msdownload/\"]"),
            2,
            "entry 'x': path '/c/./msdownload/': a path must not contain a '.' segment, with or"
                + " without ';' parameters: requests with dot-segments are refused, so it could"
                + " never match"),
        // a "." segment with matrix parameters, which Tomcat reads as "."
        arguments(
            entry("schemes = [http], paths = [\"/c/.;x/msdownload/\"]"),
            2,
            "entry 'x': path '/c/.;x/msdownload/': a path must not contain a '.' segment, with or"
                + " without ';' parameters: requests with dot-segments are refused, so it could"
                + " never match"),
        // a "." segment with an encoded ';'
        arguments(
            entry("schemes = [http], paths = [\"/c/.%3b/msdownload/\"]"),
            2,
            "entry 'x': path '/c/.%3b/msdownload/': a path must not contain a '.' segment, with"
                + " or without ';' parameters: requests with dot-segments are refused, so it could"
                + " never match"),
        arguments(
            entry("schemes = [http], paths = [\"/c\\\\msdownload/\"]"),
            2,
            "entry 'x': path '/c\\msdownload/': a path must not contain '\\'; write '/'"),
        // encoded separators in a prefix
        arguments(
            entry("schemes = [http], paths = [\"/c%2fmsdownload/\"]"),
            2,
            "entry 'x': path '/c%2fmsdownload/': a path must not contain %2e, %2f or %5c (an"
                + " encoded '.', '/' or '\\'): requests with them are refused, so it could never"
                + " match"),
        arguments(
            entry("schemes = [http], paths = [\"/c/%2Emsdownload/\"]"),
            2,
            "entry 'x': path '/c/%2Emsdownload/': a path must not contain %2e, %2f or %5c (an"
                + " encoded '.', '/' or '\\'): requests with them are refused, so it could never"
                + " match"),
        arguments(
            entry("schemes = [http], paths = [\"/c%5Cmsdownload/\"]"),
            2,
            "entry 'x': path '/c%5Cmsdownload/': a path must not contain %2e, %2f or %5c (an"
                + " encoded '.', '/' or '\\'): requests with them are refused, so it could never"
                + " match"),
        arguments(
            entry("schemes = [http], paths = [\"/c/ms%zzdownload/\"]"),
            2,
            "entry 'x': path '/c/ms%zzdownload/': every '%' must be followed by two hex digits,"
                + " e.g. %20"),
        arguments(
            entry("schemes = [http], paths = [\"/c/msdownload/?v=1\"]"),
            2,
            "entry 'x': path '/c/msdownload/?v=1': a path prefix is matched against the path"
                + " only, never the query or a fragment; remove everything from '?' or '#' on"),
        arguments(
            entry("schemes = [http], paths = [\"/c/msdownload/#top\"]"),
            2,
            "entry 'x': path '/c/msdownload/#top': a path prefix is matched against the path"
                + " only, never the query or a fragment; remove everything from '?' or '#' on"),
        arguments(
            entry("schemes = [http], paths = [\"/caf\u00e9/\"]"),
            2,
            "entry 'x': path '/caf\u00e9/': a path must be printable ASCII without spaces;"
                + " percent-encode other characters as the URL does, e.g. %20"),
        // schedules
        arguments(
            entry("schedule = [\"Mon-Fry 22:00-06:00\"]"),
            2,
            "entry 'x': schedule 'Mon-Fry 22:00-06:00': unknown day 'Fry'; use Mon, Tue, Wed,"
                + " Thu, Fri, Sat or Sun"),
        arguments(
            entry("schedule = [\"Monday 22:00-06:00\"]"),
            2,
            "entry 'x': schedule 'Monday 22:00-06:00': unknown day 'Monday'; use Mon, Tue, Wed,"
                + " Thu, Fri, Sat or Sun"),
        arguments(
            entry("schedule = [\"Mon-Fri 25:00-06:00\"]"),
            2,
            "entry 'x': schedule 'Mon-Fri 25:00-06:00': '25:00' is not a time of day; use 00:00"
                + " to 24:00"),
        arguments(
            entry("schedule = [\"Mon 22:60-23:00\"]"),
            2,
            "entry 'x': schedule 'Mon 22:60-23:00': '22:60' is not a time of day; use 00:00 to"
                + " 24:00"),
        arguments(
            entry("schedule = [\"Mon 22:00-24:30\"]"),
            2,
            "entry 'x': schedule 'Mon 22:00-24:30': '24:30' is not a time of day; use 00:00 to"
                + " 24:00"),
        arguments(
            entry("schedule = [\"Mon 24:00-06:00\"]"),
            2,
            "entry 'x': schedule 'Mon 24:00-06:00': a window cannot start at 24:00; start it at"
                + " 00:00 of the next day"),
        arguments(
            entry("schedule = [\"Mon 06:00-06:00\"]"),
            2,
            "entry 'x': schedule 'Mon 06:00-06:00': start and end are both 06:00; for a whole"
                + " day write 00:00-24:00"),
        arguments(
            entry("schedule = [\"22:00-06:00\"]"),
            2,
            "entry 'x': schedule '22:00-06:00': expected days and a time range,"
                + " e.g. \"Mon-Fri 22:00-06:00\" or \"Sat,Sun 00:00-24:00\""),
        arguments(
            entry("schedule = [\"Mon-Fri 22-06\"]"),
            2,
            "entry 'x': schedule 'Mon-Fri 22-06': expected days and a time range,"
                + " e.g. \"Mon-Fri 22:00-06:00\" or \"Sat,Sun 00:00-24:00\""),
        arguments(
            entry("schedule = []"),
            2,
            "'schedule' in entry 'x' is empty; remove it to allow every hour, or list windows,"
                + " e.g. schedule = [\"Mon-Fri 22:00-06:00\"]"),
        // addresses
        arguments(
            entry("addresses = [\"10.20.0.1/24\"]"),
            2,
            "entry 'x': address range '10.20.0.1/24': host bits are set; write 10.20.0.0/24"),
        arguments(
            entry("addresses = [\"10.20.0.0/40\"]"),
            2,
            "entry 'x': address range '10.20.0.0/40': prefix /40 is out of range for IPv4"
                + " (0 to 32)"),
        // an exemption that would switch the address check off
        arguments(
            entry("addresses = [\"0.0.0.0/0\"]"),
            2,
            "entry 'x': address range '0.0.0.0/0': this would switch the address check off for"
                + " the entry; name the internal range its hosts resolve into, e.g. 10.20.0.0/24"),
        arguments(
            entry("addresses = [\"::/0\"]"),
            2,
            "entry 'x': address range '::/0': this would switch the address check off for the"
                + " entry; name the internal range its hosts resolve into, e.g. 10.20.0.0/24"),
        // mode and sni-check
        arguments(
            entry("mode = audit"),
            2,
            "entry 'x': mode 'audit' is not one of: enforce, report (report lets requests"
                + " through and records what enforce would deny)"),
        arguments(
            entry("mode = [report]"),
            2,
            "entry 'x': mode '[\"report\"]' is not one of: enforce, report (report lets requests"
                + " through and records what enforce would deny)"),
        arguments(
            entry("sni-check = yes"), 2, "entry 'x': 'sni-check' must be true or false, not 'yes'"),
        arguments(
            entry("schemes = [http], sni-check = false"),
            2,
            "entry 'x': 'sni-check' applies to CONNECT tunnels only, but the entry's schemes are"
                + " [http]; remove it"),
        // kb-files: typed, and meaningless for tunnels (issue 10, finding 11)
        arguments(
            entry("kb-files = yes"), 2, "entry 'x': 'kb-files' must be true or false, not 'yes'"),
        arguments(
            entry("kb-files = \"true\""),
            2,
            "entry 'x': 'kb-files' must be true or false, not 'true'"),
        arguments(
            entry("schemes = [https], kb-files = true"),
            2,
            "entry 'x': 'kb-files' applies to plain HTTP downloads only (the patch report reads KB"
                + " numbers from the file names of plain-HTTP URLs), but the entry's schemes are"
                + " [https]; remove it"),
        // upstream: one of two words (issue 14)
        arguments(
            entry("upstream = local"),
            2,
            "entry 'x': upstream 'local' is not one of: parent, direct (direct sends the entry's"
                + " requests straight to the origin even when patchgate.upstream.proxies names"
                + " parent proxies, e.g. for an internal WSUS)"),
        arguments(
            entry("kb_files = true"),
            2,
            "unknown key 'kb_files' in entry 'x' (expected one of: profile, hosts, ports, schemes,"
                + " methods, paths, clients, schedule, addresses, mode, sni-check, mirror,"
                + " mirror-drop-query, mirror-max-age, kb-files, upstream); did you mean 'kb-files'?"),
        // duplicates HOCON would merge or overwrite without a word
        arguments(
            "entries {\n  a { hosts = [\"a.example.com\"] }\n  a { ports = [8080] }\n}\n",
            3,
            "entry 'a' on line 3 repeats the entry from line 2; HOCON would merge the two"
                + " silently: rename one, or join them into one entry"),
        arguments(
            "clients {\n  g = [\"10.10.0.0/16\"]\n  g = [\"10.20.0.0/16\"]\n}\n",
            3,
            "client group 'g' on line 3 repeats the group from line 2; HOCON would keep only the"
                + " last: rename one, or join their addresses"),
        arguments(
            "entries {\n  a {\n    hosts = [\"a.example.com\"]\n    hosts = [\"b.example.com\"]\n"
                + "  }\n}\n",
            4,
            "'hosts' in entry 'a' on line 4 repeats the one from line 3; HOCON would keep only"
                + " the last: remove one"),
        arguments(
            "time-zone = \"UTC\"\ntime-zone = \"Asia/Tokyo\"\n",
            2,
            "'time-zone' on line 2 repeats the one from line 1; HOCON would keep only the last:"
                + " remove one"),
        // two entries blocks, each with an entry of the same name
        arguments(
            "entries { a { hosts = [\"a.example.com\"] } }\nentries {\n  a { ports = [8080] }\n}\n",
            3,
            "entry 'a' on line 3 repeats the entry from line 1; HOCON would merge the two"
                + " silently: rename one, or join them into one entry"),
        // the same name quoted once and bare once, and through a dotted key
        arguments(
            "entries {\n  \"a\" { hosts = [\"a.example.com\"] }\n}\nentries.a.ports = [8080]\n",
            4,
            "entry 'a' on line 4 repeats the entry from line 2; HOCON would merge the two"
                + " silently: rename one, or join them into one entry"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("problems")
  void mistakeIsReportedWithItsLineValueAndFix(String text, int line, String message) {
    assertThatThrownBy(
            () ->
                Allowlist.parse(
                    text,
                    "a.conf",
                    ProfileCatalog.of(AllowlistRulesTest.WINDOWS_UPDATE),
                    Requests.TOKYO))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e -> assertThat(e.problems()).containsExactly(new Problem("a.conf", line, message)));
  }

  @Test
  void unknownProfileSaysSoWhenNoneAreShipped() {
    String text = "entries {\n  x { profile = windows-update }\n}\n";

    assertThatThrownBy(() -> Allowlist.parse(text, "a.conf", ProfileCatalog.of(), Requests.TOKYO))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            "a.conf",
                            2,
                            "entry 'x': unknown profile 'windows-update' (this patchgate ships no"
                                + " profiles; list the hosts instead)")));
  }

  @Test
  void everyProblemOfAFileIsReportedAtOnceInLineOrder() {
    String text =
        Requests.lines(
            /* 1 */ "time-zone = \"Asia/Tokio\"",
            /* 2 */ "clients {",
            /* 3 */ "  his-pcs = [\"10.10.0.1/16\"]",
            /* 4 */ "  empty = []",
            /* 5 */ "}",
            /* 6 */ "entries {",
            /* 7 */ "  a { hosts = [\"*.com\"], clients = [his-pc], schedule = [\"Mon 9-17\"] }",
            /* 8 */ "  b { hosts = [\"b.example.com\"], ports = [0], mode = audit }",
            /* 9 */ "  a { hosts = [\"a.example.com\"] }",
            /* 10 */ "}");

    assertThatThrownBy(() -> Allowlist.parse(text, "a.conf", ProfileCatalog.of(), Requests.TOKYO))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .extracting(Problem::toString)
                    .containsExactly(
                        "a.conf:1: unknown time-zone 'Asia/Tokio'; did you mean 'Asia/Tokyo'?"
                            + " (use a region id such as Asia/Tokyo or UTC)",
                        "a.conf:3: client group 'his-pcs': address '10.10.0.1/16': host bits are"
                            + " set; write 10.10.0.0/16",
                        "a.conf:4: client group 'empty' has no addresses; list at least one,"
                            + " e.g. empty = [\"10.10.0.0/16\"]",
                        "a.conf:7: entry 'a': unknown client group 'his-pc' (known groups:"
                            + " his-pcs, empty); did you mean 'his-pcs'?",
                        "a.conf:7: entry 'a': schedule 'Mon 9-17': expected days and a time"
                            + " range, e.g. \"Mon-Fri 22:00-06:00\" or \"Sat,Sun 00:00-24:00\"",
                        "a.conf:8: entry 'b': port '0' is outside 1..65535",
                        "a.conf:8: entry 'b': mode 'audit' is not one of: enforce, report (report"
                            + " lets requests through and records what enforce would deny)",
                        // HOCON merged the two entries 'a', so the first one's "*.com" is lost
                        "a.conf:9: entry 'a' on line 9 repeats the entry from line 7; HOCON would"
                            + " merge the two silently: rename one, or join them into one entry"));
  }
}
