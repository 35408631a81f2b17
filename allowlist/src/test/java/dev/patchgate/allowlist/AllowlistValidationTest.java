package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class AllowlistValidationTest {
  private static final String WILDCARD_TWO_LABELS =
      "a wildcard must cover at least two labels, e.g. *.windowsupdate.com";

  @TempDir Path dir;

  @Test
  void fileWithSeveralMistakesReportsEachWithItsLineAndAFix() {
    String file =
        String.join(
            "\n",
            /* 1 */ "entries {",
            /* 2 */ "  ok        { hosts = [\"download.windowsupdate.com\"] }",
            /* 3 */ "  typo      { host = [\"a.example.com\"] }",
            /* 4 */ "  too-broad { hosts = [\"*.com\"] }",
            /* 5 */ "  country   { hosts = [\"*.co.jp\"] }",
            /* 6 */ "  everything { hosts = [\"*\"] }",
            /* 7 */ "  inner     { hosts = [\"updates.*.example.com\"] }",
            /* 8 */ "  idn       { hosts = [\"w\u00edndowsupdate.com\"] }",
            /* 9 */ "  hex-ip    { hosts = [\"0x7f000001\"] }",
            /* 10 */ "  ports     { hosts = [\"a.example\"], ports = [0, 70000, \"443\", 80.5] }",
            /* 11 */ "  empty     { hosts = [] }",
            /* 12 */ "  no-hosts  { ports = [443] }",
            /* 13 */ "  multi {",
            /* 14 */ "    hosts = [",
            /* 15 */ "      \"ok.example.com\",",
            /* 16 */ "      \"bad..example.com\"",
            /* 17 */ "    ]",
            /* 18 */ "  }",
            /* 19 */ "}",
            /* 20 */ "version = 2");

    assertThatThrownBy(() -> Allowlist.parse(file, "allowlist.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .map(Problem::toString)
                    .containsExactly(
                        "allowlist.conf:3: unknown key 'host' in entry 'typo' (expected one of:"
                            + " profile, hosts, ports, schemes, methods, paths, clients, schedule,"
                            + " addresses, mode, sni-check, mirror, mirror-drop-query, mirror-max-age, kb-files, upstream); did you mean 'hosts'?",
                        "allowlist.conf:3: entry 'typo' has neither 'hosts' nor 'profile';"
                            + " add e.g. hosts = [\"updates.example.com\"] or"
                            + " profile = windows-update",
                        "allowlist.conf:4: entry 'too-broad': host '*.com': " + WILDCARD_TWO_LABELS,
                        "allowlist.conf:5: entry 'country': host '*.co.jp': 'co.jp' is a public"
                            + " suffix shared by many owners; name the owner's domain,"
                            + " e.g. *.example.co.jp",
                        "allowlist.conf:6: entry 'everything': host '*': '*' alone would allow"
                            + " every host; list the update hosts instead, e.g."
                            + " *.windowsupdate.com",
                        "allowlist.conf:7: entry 'inner': host 'updates.*.example.com': a wildcard"
                            + " is allowed only as a leading '*.', e.g. *.windowsupdate.com",
                        "allowlist.conf:8: entry 'idn': host 'w\u00edndowsupdate.com': non-ASCII"
                            + " host; use the punycode form xn--wndowsupdate-sfb.com",
                        "allowlist.conf:9: entry 'hex-ip': host '0x7f000001': write an IPv4"
                            + " address as a dotted quad without leading zeros, e.g. 10.0.0.1",
                        "allowlist.conf:10: entry 'ports': port '0' is outside 1..65535",
                        "allowlist.conf:10: entry 'ports': port '70000' is outside 1..65535",
                        "allowlist.conf:10: entry 'ports': port '443' must be a number without"
                            + " quotes, e.g. ports = [8080]",
                        "allowlist.conf:10: entry 'ports': port '80.5' must be a whole number"
                            + " from 1 to 65535",
                        "allowlist.conf:11: 'hosts' in entry 'empty' is empty; list at least one,"
                            + " e.g. hosts = [\"updates.example.com\"]",
                        "allowlist.conf:12: entry 'no-hosts' has neither 'hosts' nor 'profile';"
                            + " add e.g. hosts = [\"updates.example.com\"] or"
                            + " profile = windows-update",
                        "allowlist.conf:16: entry 'multi': host 'bad..example.com': not a valid"
                            + " host; expected a name like updates.example.com, a wildcard like"
                            + " *.example.com, an IPv4 address like 10.0.0.1 or an IPv6 address"
                            + " like 2001:db8::1",
                        "allowlist.conf:20: unknown top-level key 'version'"
                            + " (expected one of: time-zone, clients, limits, entries)"));
  }

  static Stream<Arguments> refusedHostPatterns() {
    return Stream.of(
        // wildcard over a whole TLD
        arguments("*.com", WILDCARD_TWO_LABELS),
        // wildcard over a TLD written with its root dot
        arguments("*.com.", WILDCARD_TWO_LABELS),
        // wildcard over public second-level suffixes
        arguments("*.co.uk", "'co.uk' is a public suffix"),
        arguments("*.com.au", "'com.au' is a public suffix"),
        arguments("*.ac.jp", "'ac.jp' is a public suffix"),
        arguments("*.go.jp", "'go.jp' is a public suffix"),
        arguments("*.ne.jp", "'ne.jp' is a public suffix"),
        arguments("*.or.jp", "'or.jp' is a public suffix"),
        arguments("*.gov.uk", "'gov.uk' is a public suffix"),
        arguments("*.edu.au", "'edu.au' is a public suffix"),
        arguments("*.net.br", "'net.br' is a public suffix"),
        arguments("*.org.nz", "'org.nz' is a public suffix"),
        // wildcard that is not a leading "*."
        arguments("*windowsupdate.com", "only as a leading '*.'"),
        arguments("download.*", "only as a leading '*.'"),
        arguments("*.*.windowsupdate.com", "only as a leading '*.'"),
        // wildcard over an address
        arguments("*.10.0.0.1", "a wildcard needs a domain name, not an address"),
        // alternate IPv4 spellings, as for requests
        arguments("2130706433", "dotted quad"),
        arguments("127.1", "dotted quad"),
        arguments("0177.0.0.1", "dotted quad"),
        // non-ASCII look-alike under a wildcard: the fix keeps the wildcard
        arguments("*.w\u00edndowsupdate.com", "use the punycode form *.xn--wndowsupdate-sfb.com"),
        // zone ID
        arguments("fe80::1%eth0", "an IPv6 zone ID is not allowed"),
        arguments("[fe80::1%eth0]", "an IPv6 zone ID is not allowed"),
        // a port in the host
        arguments("download.windowsupdate.com:8080", "list ports in the entry instead"),
        // a URL instead of a host
        arguments("http://download.windowsupdate.com/", "without scheme or path"),
        // empty labels, leading dot, whitespace, percent-encoding, userinfo
        arguments("a..example.com", "not a valid host"),
        arguments(".example.com", "not a valid host"),
        arguments(" example.com", "not a valid host"),
        arguments("example%2ecom", "not a valid host"),
        arguments("user@example.com", "not a valid host"),
        arguments("", "not a valid host"),
        // malformed IPv6
        arguments("1::2::3", "not a valid host"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("refusedHostPatterns")
  void riskyOrInvalidHostPatternIsRefusedWithAFix(String pattern, String fix) {
    String file = "entries {\n  x { hosts = [\"" + pattern.replace("\\", "\\\\") + "\"] }\n}\n";

    assertThatThrownBy(() -> Allowlist.parse(file, "a.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              Problem problem = e.problems().get(0);
              assertThat(problem.line()).isEqualTo(2);
              assertThat(problem.message()).startsWith("entry 'x': host '" + pattern + "': ");
              assertThat(problem.message()).contains(fix);
            });
  }

  static Stream<String> acceptedHostPatterns() {
    return Stream.of(
        "download.windowsupdate.com",
        "Download.WindowsUpdate.COM.",
        "*.windowsupdate.com",
        "*.example.co.jp",
        "*.co.example",
        "wsus",
        "xn--wndowsupdate-sfb.com",
        "10.0.0.1",
        "::1",
        "[2001:db8::1]",
        "::ffff:10.0.0.1");
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("acceptedHostPatterns")
  void validHostPatternIsAccepted(String pattern) throws AllowlistException {
    String file = "entries {\n  x { hosts = [\"" + pattern + "\"] }\n}\n";

    assertThat(Allowlist.parse(file, "a.conf").entryNames()).containsExactly("x");
  }

  static Stream<Arguments> malformedStructures() {
    return Stream.of(
        arguments(
            "entries = [\"a.example.com\"]",
            1,
            "'entries' must be an object of named entries, e.g. entries { windows-update {"
                + " hosts = [\"updates.example.com\"] } }"),
        arguments(
            "entries {\n  x = \"a.example.com\"\n}",
            2,
            "entry 'x' must be an object, e.g. x { hosts = [\"updates.example.com\"] }"),
        arguments(
            "entries {\n  x { hosts = \"a.example.com\" }\n}",
            2,
            "'hosts' in entry 'x' must be a list, not 'a.example.com',"
                + " e.g. hosts = [\"updates.example.com\"]"),
        arguments(
            "entries {\n  x { hosts = [\n    42\n  ] }\n}",
            3,
            "entry 'x': host '42' must be a quoted string, e.g. \"updates.example.com\""),
        arguments(
            "entries {\n  x { hosts = [\"a.example.com\"], ports = 8080 }\n}",
            2,
            "'ports' in entry 'x' must be a list, not '8080', e.g. ports = [8080]"),
        arguments(
            "entries {\n  x { hosts = [\"a.example.com\"], ports = [] }\n}",
            2,
            "'ports' in entry 'x' is empty; remove it to allow the defaults (80 for http,"
                + " 443 for CONNECT) or list the ports, e.g. ports = [8080]"),
        arguments(
            "entries {\n  \"windows update\" { hosts = [\"a.example.com\"] }\n}",
            2,
            "entry name 'windows update' may contain only letters, digits, '-' and '_'"
                + " (at most 64), e.g. windows-update"));
  }

  @ParameterizedTest(name = "[{index}] {2}")
  @MethodSource("malformedStructures")
  void malformedStructureIsReportedWithItsLine(String text, int line, String message) {
    assertThatThrownBy(() -> Allowlist.parse(text, "a.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e -> assertThat(e.problems()).containsExactly(new Problem("a.conf", line, message)));
  }

  @Test
  void hoconSyntaxErrorBecomesAProblemWithALine() {
    String text = "entries {\n  x { hosts = [\"a.example.com\" }\n}\n";

    assertThatThrownBy(() -> Allowlist.parse(text, "broken.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e -> {
              assertThat(e.problems()).hasSize(1);
              Problem problem = e.problems().get(0);
              assertThat(problem.file()).isEqualTo("broken.conf");
              assertThat(problem.line()).isEqualTo(2);
              assertThat(problem.message())
                  .startsWith("syntax error: ")
                  .doesNotContain("broken.conf");
            });
  }

  @Test
  void unresolvedSubstitutionBecomesAProblemWithALine() {
    String text = "entries {\n  x { hosts = ${hosts} }\n}\n";

    assertThatThrownBy(() -> Allowlist.parse(text, "a.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e -> {
              assertThat(e.problems()).extracting(Problem::line).containsExactly(2);
              assertThat(e.problems().get(0).message()).contains("${hosts}");
            });
  }

  @Test
  void problemQuotesInvisibleCharactersEscaped() {
    // A right-to-left override would make the message show a different host than the file holds.
    String text = "entries {\n  x { hosts = [\"moc.\\u202eexample\"] }\n}\n";

    assertThatThrownBy(() -> Allowlist.parse(text, "a.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems().get(0).message())
                    .startsWith("entry 'x': host 'moc.\\u202eexample': non-ASCII host"));
  }

  @Test
  void exceptionMessageJoinsAllProblemsByLine() {
    String text = "entries {\n  a { hosts = [\"*.com\"] }\n  b { hosts = [\"*\"] }\n}\n";

    assertThatThrownBy(() -> Allowlist.parse(text, "a.conf"))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.getMessage())
                    .isEqualTo(
                        e.problems().stream()
                            .map(Problem::toString)
                            .collect(Collectors.joining("\n")))
                    .contains("a.conf:2: ", "\na.conf:3: "));
  }

  @Test
  void loadOfAMissingFileGivesOneProblemOnLineZero() {
    Path missing = dir.resolve("allowlist.conf");

    assertThatThrownBy(() -> Allowlist.load(missing))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            missing.toString(),
                            0,
                            "file not found; check the path or create the file")));
  }

  @Test
  void loadOfADirectoryGivesOneProblemOnLineZero() {
    assertThatThrownBy(() -> Allowlist.load(dir))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e -> {
              assertThat(e.problems()).extracting(Problem::line).containsExactly(0);
              assertThat(e.problems().get(0).message()).startsWith("cannot read the file");
            });
  }

  @Test
  void loadOfAFileThatIsNotUtf8GivesOneProblemOnLineZero() throws IOException {
    Path file = dir.resolve("latin1.conf");
    Files.write(
        file,
        "entries { x { hosts = [\"caf\u00e9.example\"] } }".getBytes(StandardCharsets.ISO_8859_1));

    assertThatThrownBy(() -> Allowlist.load(file))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            file.toString(), 0, "not valid UTF-8; save the file as UTF-8")));
  }

  @Test
  void loadReadsAValidFileAndNamesItInProblems() throws IOException, AllowlistException {
    Path good = dir.resolve("good.conf");
    Files.writeString(
        good,
        String.join(
            "\n",
            "entries {",
            "  # Windows Update payloads come over plain HTTP; metadata over CONNECT :443",
            "  windows-update { hosts = [\"*.windowsupdate.com\", \"*.update.microsoft.com\"] }",
            "  lab-origin     { hosts = [\"127.0.0.1\"], ports = [18080, 18443] }",
            "}"));
    Path bad = dir.resolve("bad.conf");
    Files.writeString(bad, "entries {\n  x { hosts = [\"*.com\"] }\n}\n");

    assertThat(Allowlist.load(good).entryNames()).containsExactly("windows-update", "lab-origin");
    assertThatThrownBy(() -> Allowlist.load(bad))
        .isInstanceOfSatisfying(
            AllowlistException.class,
            e ->
                assertThat(e.problems())
                    .containsExactly(
                        new Problem(
                            bad.toString(), 2, "entry 'x': host '*.com': " + WILDCARD_TWO_LABELS)));
  }

  @Test
  void loadIgnoresAUtf8ByteOrderMark() throws IOException, AllowlistException {
    Path file = dir.resolve("notepad.conf");
    Files.writeString(file, "\uFEFFentries {\n  x { hosts = [\"a.example.com\"] }\n}\n");

    assertThat(Allowlist.load(file).entryNames()).containsExactly("x");
  }

  @Test
  void problemPrintsAsFileLineMessage() {
    assertThat(new Problem("a.conf", 7, "unknown key 'host'"))
        .hasToString("a.conf:7: unknown key 'host'");
    assertThat(List.of(new Problem("a.conf", 0, "file not found")))
        .map(Problem::toString)
        .containsExactly("a.conf:0: file not found");
  }
}
