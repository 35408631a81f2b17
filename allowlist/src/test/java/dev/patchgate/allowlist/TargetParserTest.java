package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class TargetParserTest {
  private static final String MALFORMED = "malformed URL";
  private static final String ORIGIN_FORM = "origin-form request; configure patchgate as a proxy";
  private static final String HTTPS_PLAIN = "https URL sent in plain text; use CONNECT";
  private static final String CONTROL = "whitespace or control character not allowed";
  private static final String FRAGMENT = "fragment not allowed";
  private static final String USERINFO = "userinfo not allowed in URL";
  private static final String BACKSLASH = "backslash not allowed";
  private static final String PERCENT = "percent-encoding not allowed in host";
  private static final String NON_ASCII = "non-ASCII host; use the punycode (xn--) form";
  private static final String ALT_IPV4 = "alternate IPv4 notation not allowed";
  private static final String ZONE_ID = "IPv6 zone ID not allowed";
  private static final String HOST = "invalid host";
  private static final String PORT = "invalid port";
  private static final String NO_PORT = "CONNECT needs an explicit port";
  private static final String PATH = "non-ASCII character in path";
  private static final String DOT_SEGMENT = "dot-segment in path";
  private static final String ENCODED = "percent-encoded '.', '/' or '\\' in path";
  private static final String BAD_PERCENT = "malformed percent-encoding in path";

  private static final String LABEL_63 = "a".repeat(63);

  /** 253 characters: four 63-character labels minus one character, joined by dots. */
  private static final String NAME_253 =
      String.join(".", LABEL_63, LABEL_63, LABEL_63, "a".repeat(61));

  static Stream<Arguments> refusedAbsoluteTargets() {
    return Stream.of(
        // alternate IPv4: decimal integer that resolvers read as 127.0.0.1
        arguments("http://2130706433/", ALT_IPV4),
        // alternate IPv4: hexadecimal integer
        arguments("http://0x7f000001/", ALT_IPV4),
        // alternate IPv4: hexadecimal part, upper-case X
        arguments("http://0X7F.0.0.1/", ALT_IPV4),
        // alternate IPv4: octal part (0177 = 127)
        arguments("http://0177.0.0.1/", ALT_IPV4),
        // alternate IPv4: short form (127.1 = 127.0.0.1)
        arguments("http://127.1/", ALT_IPV4),
        // alternate IPv4: leading zero read as octal by some parsers
        arguments("http://127.0.0.01/", ALT_IPV4),
        // alternate IPv4: trailing dot after an address
        arguments("http://127.0.0.1./", ALT_IPV4),
        // alternate IPv4: five parts
        arguments("http://1.2.3.4.5/", ALT_IPV4),
        // alternate IPv4: part out of range, wraps in some parsers
        arguments("http://256.0.0.1/", ALT_IPV4),
        // a name ending in a number is parsed as IPv4 by browsers
        arguments("http://windowsupdate.123/", ALT_IPV4),
        // IPv6 zone ID, percent-encoded as RFC 6874 asks
        arguments("http://[fe80::1%25eth0]/", ZONE_ID),
        // IPv6 zone ID, raw
        arguments("http://[fe80::1%eth0]/", ZONE_ID),
        // userinfo: credentials in the URL
        arguments("http://user:pass@windowsupdate.com/", USERINFO),
        // userinfo: the allowlisted name is only the user part, evil.example is the host
        arguments("http://windowsupdate.com@evil.example/", USERINFO),
        // fragment inside the authority hides the real host from one of two parsers
        arguments("http://evil.example#@windowsupdate.com/", FRAGMENT),
        // fragment in the path: clients never send one
        arguments("http://windowsupdate.com/x.cab#part", FRAGMENT),
        // backslash read as "/" by browsers: the host would be windowsupdate.com to them
        arguments("http://windowsupdate.com\\.evil.example/", BACKSLASH),
        // percent-encoded dot in the host
        arguments("http://windowsupdate%2ecom/", PERCENT),
        // percent-encoded letter in the host
        arguments("http://%77indowsupdate.com/", PERCENT),
        // non-ASCII look-alike: i with acute accent
        arguments("http://w\u00edndowsupdate.com/", NON_ASCII),
        // non-ASCII look-alike: ideographic full stop, a dot to IDNA
        arguments("http://windowsupdate\u3002com/", NON_ASCII),
        // non-ASCII: invisible zero-width space
        arguments("http://windows\u200bupdate.com/", NON_ASCII),
        // empty label
        arguments("http://download..windowsupdate.com/", HOST),
        // leading dot: empty first label
        arguments("http://.windowsupdate.com/", HOST),
        // two trailing dots: only one is the root
        arguments("http://windowsupdate.com../", HOST),
        // label starting with a hyphen
        arguments("http://-evil.example/", HOST),
        // underscore is not LDH
        arguments("http://evil_host.example/", HOST),
        // label longer than 63 characters
        arguments("http://" + LABEL_63 + "a.example/", HOST),
        // name longer than 253 characters
        arguments("http://" + NAME_253 + "a/", HOST),
        // empty host
        arguments("http:///windowsupdate/x.cab", HOST),
        // empty host with a port
        arguments("http://:80/", HOST),
        // IPv6 without brackets: port and last group cannot be told apart
        arguments("http://::1/", HOST),
        // unclosed bracket
        arguments("http://[::1/", HOST),
        // junk after the bracket
        arguments("http://[::1]x/", HOST),
        // IPv4 in brackets
        arguments("http://[127.0.0.1]/", HOST),
        // two "::" in IPv6
        arguments("http://[1::2::3]/", HOST),
        // a name in brackets must never reach an address parser that might do DNS
        arguments("http://[windowsupdate.com]/", HOST),
        // two colons: an ambiguous port
        arguments("http://windowsupdate.com:80:80/", HOST),
        // empty port
        arguments("http://windowsupdate.com:/", PORT),
        // port 0
        arguments("http://windowsupdate.com:0/", PORT),
        // port above 65535
        arguments("http://windowsupdate.com:65536/", PORT),
        // signed port
        arguments("http://windowsupdate.com:+80/", PORT),
        // more than five digits, would overflow naive parsers
        arguments("http://windowsupdate.com:4294967376/", PORT),
        // https URL in plain text: we would fetch it unencrypted
        arguments("https://windowsupdate.com/", HTTPS_PLAIN),
        // https URL in plain text, upper-case scheme
        arguments("HTTPS://windowsupdate.com/", HTTPS_PLAIN),
        // another scheme
        arguments("ftp://windowsupdate.com/", MALFORMED),
        // one slash
        arguments("http:/windowsupdate.com/", MALFORMED),
        // authority-form on a GET
        arguments("windowsupdate.com:80", MALFORMED),
        // empty target
        arguments("", MALFORMED),
        // origin-form: the client treats us as the origin server
        arguments("/windowsupdate/x.cab", ORIGIN_FORM),
        // asterisk-form (OPTIONS *)
        arguments("*", ORIGIN_FORM),
        // space in the path
        arguments("http://windowsupdate.com/a b", CONTROL),
        // tab in the host
        arguments("http://windows\tupdate.com/", CONTROL),
        // CR LF: header and log injection
        arguments("http://windowsupdate.com/\r\nX-Injected: 1", CONTROL),
        // DEL
        arguments("http://windowsupdate.com/\u007f", CONTROL),
        // raw non-ASCII in the path
        arguments("http://windowsupdate.com/caf\u00e9.cab", PATH),
        // path traversal: climbs out of an allowed prefix on a server that resolves dot-segments
        arguments("http://windowsupdate.com/c/msdownload/../../admin/x", DOT_SEGMENT),
        // path traversal at the end of the path
        arguments("http://windowsupdate.com/c/msdownload/..", DOT_SEGMENT),
        // path traversal right before the query
        arguments("http://windowsupdate.com/c/msdownload/..?x=1", DOT_SEGMENT),
        // a "." segment: one file, two spellings, so the prefix check and the server could differ
        arguments("http://windowsupdate.com/c/./msdownload/x.cab", DOT_SEGMENT),
        // a trailing "." segment
        arguments("http://windowsupdate.com/c/msdownload/.", DOT_SEGMENT),
        // dot-dot with matrix parameters: Tomcat strips ";..." and then climbs out of the prefix
        arguments("http://windowsupdate.com/c/msdownload/..;/..;/admin", DOT_SEGMENT),
        // dot-dot with a named parameter (a session id)
        arguments("http://windowsupdate.com/c/msdownload/..;jsessionid=1/admin", DOT_SEGMENT),
        // a "." segment with an empty parameter
        arguments("http://windowsupdate.com/c/.;/msdownload/x.cab", DOT_SEGMENT),
        // dot-dot with parameters at the end of the path
        arguments("http://windowsupdate.com/c/msdownload/..;x", DOT_SEGMENT),
        // dot-dot with parameters right before the query
        arguments("http://windowsupdate.com/c/msdownload/..;?x=1", DOT_SEGMENT),
        // dot-dot with several parameters
        arguments("http://windowsupdate.com/c/msdownload/..;a;b=c/admin", DOT_SEGMENT),
        // dot-dot with an encoded ';': a server may decode before it splits off parameters
        arguments("http://windowsupdate.com/c/msdownload/..%3b/admin", DOT_SEGMENT),
        // the same in upper case
        arguments("http://windowsupdate.com/c/msdownload/..%3Bx/admin", DOT_SEGMENT),
        // encoded dots with parameters: refused for the encoded dot already
        arguments("http://windowsupdate.com/c/msdownload/%2e%2e;/admin", ENCODED),
        // half-encoded dot-dot with parameters
        arguments("http://windowsupdate.com/c/msdownload/.%2e;x/admin", ENCODED),
        // encoded traversal: the server decodes %2e%2e to ".." after our prefix check
        arguments("http://windowsupdate.com/c/msdownload/%2e%2e/%2e%2e/admin", ENCODED),
        // encoded traversal in upper case
        arguments("http://windowsupdate.com/c/msdownload/%2E%2E/admin", ENCODED),
        // half-encoded traversal
        arguments("http://windowsupdate.com/c/msdownload/.%2e/admin", ENCODED),
        // encoded slash: one segment to us, two to a server that decodes it
        arguments("http://windowsupdate.com/c%2fmsdownload/x.cab", ENCODED),
        // encoded slash in upper case
        arguments("http://windowsupdate.com/c%2Fmsdownload/x.cab", ENCODED),
        // encoded backslash: a separator to IIS
        arguments("http://windowsupdate.com/c/msdownload/..%5cadmin", ENCODED),
        // encoded backslash in upper case
        arguments("http://windowsupdate.com/c/msdownload/x%5Cy", ENCODED),
        // raw backslash in the path: a separator to IIS and to browsers
        arguments("http://windowsupdate.com/c/msdownload\\..\\admin", BACKSLASH),
        // percent without two hex digits: decoders disagree on what it means
        arguments("http://windowsupdate.com/x%2", BAD_PERCENT),
        // percent at the end of the path
        arguments("http://windowsupdate.com/x%", BAD_PERCENT),
        // percent followed by non-hex characters
        arguments("http://windowsupdate.com/x%zz.cab", BAD_PERCENT),
        // percent followed by another percent-encoding: double-decoding into "%2e"
        arguments("http://windowsupdate.com/x%%32%65", BAD_PERCENT),
        // percent before the query, cut short by it
        arguments("http://windowsupdate.com/x%4?a=1", BAD_PERCENT));
  }

  @ParameterizedTest(name = "[{index}] {0} -> {1}")
  @MethodSource("refusedAbsoluteTargets")
  void absoluteTargetIsRefused(String requestTarget, String reason) {
    assertThatThrownBy(() -> TargetParser.parseAbsolute(requestTarget))
        .isInstanceOfSatisfying(
            TargetException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static Stream<Arguments> acceptedAbsoluteTargets() {
    return Stream.of(
        // the plain case
        arguments("http://windowsupdate.com/", "windowsupdate.com", 80, "/"),
        // upper-case host is folded
        arguments("http://Download.WindowsUpdate.COM/x", "download.windowsupdate.com", 80, "/x"),
        // upper-case scheme
        arguments("HTTP://windowsupdate.com/", "windowsupdate.com", 80, "/"),
        // one trailing dot is the DNS root and is removed
        arguments("http://windowsupdate.com./x", "windowsupdate.com", 80, "/x"),
        // explicit default port
        arguments("http://windowsupdate.com:80/x", "windowsupdate.com", 80, "/x"),
        // other port
        arguments("http://windowsupdate.com:8080/x", "windowsupdate.com", 8080, "/x"),
        // highest port
        arguments("http://windowsupdate.com:65535/", "windowsupdate.com", 65535, "/"),
        // no path
        arguments("http://windowsupdate.com", "windowsupdate.com", 80, "/"),
        // query without path
        arguments("http://windowsupdate.com?a=1", "windowsupdate.com", 80, "/?a=1"),
        // query string kept as sent
        arguments(
            "http://download.windowsupdate.com/d/msdownload/update/software/secu/2024/01/"
                + "windows10.0-kb5034122-x64_0a1b2c.cab?cacheHostOrigin=au.download.windowsupdate.com",
            "download.windowsupdate.com",
            80,
            "/d/msdownload/update/software/secu/2024/01/"
                + "windows10.0-kb5034122-x64_0a1b2c.cab?cacheHostOrigin=au.download.windowsupdate.com"),
        // path kept byte for byte: other percent-encodings are not decoded
        arguments("http://windowsupdate.com/x%20y%3A%3a", "windowsupdate.com", 80, "/x%20y%3A%3a"),
        // an encoded percent stays as sent: "%252e" is the text "%2e", not a dot
        arguments("http://windowsupdate.com/x%252e", "windowsupdate.com", 80, "/x%252e"),
        // dots inside a segment are not dot-segments
        arguments(
            "http://windowsupdate.com/a..b/c...d/...", "windowsupdate.com", 80, "/a..b/c...d/..."),
        // parameters after a name that only starts or ends with dots are not dot-segments
        arguments(
            "http://windowsupdate.com/...;x/a..;b/.x;y/x.;z/",
            "windowsupdate.com",
            80,
            "/...;x/a..;b/.x;y/x.;z/"),
        // parameters on an ordinary segment, and an empty name with parameters
        arguments("http://windowsupdate.com/a;v=1/;x/b", "windowsupdate.com", 80, "/a;v=1/;x/b"),
        // a segment starting with a dot
        arguments(
            "http://windowsupdate.com/.well-known/x", "windowsupdate.com", 80, "/.well-known/x"),
        // empty segments are kept as sent
        arguments("http://windowsupdate.com/a//b/", "windowsupdate.com", 80, "/a//b/"),
        // the query is not checked: dot-segments, backslashes and encoded slashes pass through
        arguments(
            "http://windowsupdate.com/x?u=../a\\b%2f%2E&y=%",
            "windowsupdate.com", 80, "/x?u=../a\\b%2f%2E&y=%"),
        // strict dotted quad
        arguments("http://10.0.0.1:18080/", "10.0.0.1", 18080, "/"),
        // zero octets are written "0"
        arguments("http://0.0.0.0/", "0.0.0.0", 80, "/"),
        // IPv6 literal
        arguments("http://[::1]/", "::1", 80, "/"),
        // IPv6 literal, upper case and uncompressed, with a port
        arguments("http://[2001:DB8:0:0:0:0:0:1]:8080/", "2001:db8::1", 8080, "/"),
        // IPv4-mapped IPv6 stays IPv6: the address check sees it as written
        arguments("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1", 80, "/"),
        // punycode is ASCII and a host like any other
        arguments("http://xn--wndowsupdate-sfb.com/", "xn--wndowsupdate-sfb.com", 80, "/"),
        // labels may start with digits and contain 0x when the last label is a name
        arguments("http://0x1.1e100.net/", "0x1.1e100.net", 80, "/"),
        // longest label
        arguments("http://" + LABEL_63 + ".example/", LABEL_63 + ".example", 80, "/"),
        // longest name
        arguments("http://" + NAME_253 + "/", NAME_253, 80, "/"),
        // longest name with its trailing dot
        arguments("http://" + NAME_253 + "./", NAME_253, 80, "/"));
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @MethodSource("acceptedAbsoluteTargets")
  void absoluteTargetIsCanonicalised(String requestTarget, String host, int port, String path)
      throws TargetException {
    assertThat(TargetParser.parseAbsolute(requestTarget))
        .isEqualTo(new Target(Scheme.HTTP, host, port, path));
  }

  static Stream<Arguments> refusedConnectTargets() {
    return Stream.of(
        // missing port: loose proxies default to 80
        arguments("windowsupdate.com", NO_PORT),
        // missing port on an IPv6 literal
        arguments("[2001:db8::1]", NO_PORT),
        // empty port
        arguments("windowsupdate.com:", PORT),
        // port 0
        arguments("windowsupdate.com:0", PORT),
        // port above 65535
        arguments("windowsupdate.com:65536", PORT),
        // negative port
        arguments("windowsupdate.com:-443", PORT),
        // a path in an authority
        arguments("windowsupdate.com:443/x", MALFORMED),
        // a URL instead of an authority
        arguments("https://windowsupdate.com:443", MALFORMED),
        // userinfo
        arguments("windowsupdate.com@evil.example:443", USERINFO),
        // backslash
        arguments("evil.example\\windowsupdate.com:443", BACKSLASH),
        // alternate IPv4: decimal
        arguments("2130706433:443", ALT_IPV4),
        // alternate IPv4: short
        arguments("10.1:443", ALT_IPV4),
        // IPv6 zone ID
        arguments("[fe80::1%eth0]:443", ZONE_ID),
        // non-ASCII look-alike
        arguments("w\u00edndowsupdate.com:443", NON_ASCII),
        // percent-encoding
        arguments("windowsupdate%2ecom:443", PERCENT),
        // fragment
        arguments("windowsupdate.com:443#x", FRAGMENT),
        // whitespace
        arguments("windowsupdate.com :443", CONTROL),
        // empty label
        arguments("a..windowsupdate.com:443", HOST),
        // empty target
        arguments("", MALFORMED));
  }

  @ParameterizedTest(name = "[{index}] CONNECT {0} -> {1}")
  @MethodSource("refusedConnectTargets")
  void connectTargetIsRefused(String requestTarget, String reason) {
    assertThatThrownBy(() -> TargetParser.parseConnect(requestTarget))
        .isInstanceOfSatisfying(
            TargetException.class, e -> assertThat(e.reason()).isEqualTo(reason));
  }

  static Stream<Arguments> acceptedConnectTargets() {
    return Stream.of(
        // the plain case
        arguments("fe2.update.microsoft.com:443", "fe2.update.microsoft.com", 443),
        // case and trailing dot
        arguments("FE2.Update.Microsoft.com.:443", "fe2.update.microsoft.com", 443),
        // leading zeros in a port of at most five digits are plain decimal
        arguments("fe2.update.microsoft.com:00443", "fe2.update.microsoft.com", 443),
        // dotted quad
        arguments("10.0.0.1:18443", "10.0.0.1", 18443),
        // IPv6 literal
        arguments("[2001:db8::1]:443", "2001:db8::1", 443));
  }

  @ParameterizedTest(name = "[{index}] CONNECT {0}")
  @MethodSource("acceptedConnectTargets")
  void connectTargetIsCanonicalised(String requestTarget, String host, int port)
      throws TargetException {
    assertThat(TargetParser.parseConnect(requestTarget))
        .isEqualTo(new Target(Scheme.HTTPS, host, port, ""));
  }

  static Stream<Arguments> ipv6Spellings() {
    return Stream.of(
        arguments("::1", "::1"),
        arguments("0:0:0:0:0:0:0:1", "::1"),
        arguments("::", "::"),
        arguments("2001:DB8::1", "2001:db8::1"),
        arguments("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        // the longest run of zeros is compressed
        arguments("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"),
        // of two equal runs, the first is compressed
        arguments("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),
        // a single zero group is not compressed
        arguments("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
        // "::" standing for one group is written out
        arguments("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
        // IPv4-mapped, hex or dotted, become one spelling
        arguments("::FFFF:7F00:1", "::ffff:127.0.0.1"),
        arguments("::ffff:127.0.0.1", "::ffff:127.0.0.1"),
        // NAT64 is not unwrapped here; the address check comes later
        arguments("64:ff9b::127.0.0.1", "64:ff9b::7f00:1"));
  }

  @ParameterizedTest(name = "[{index}] [{0}] -> {1}")
  @MethodSource("ipv6Spellings")
  void ipv6LiteralIsWrittenInOneCanonicalForm(String literal, String canonical)
      throws TargetException {
    assertThat(TargetParser.parseConnect("[" + literal + "]:443").host()).isEqualTo(canonical);
  }

  static Stream<String> invalidIpv6Literals() {
    return Stream.of(
        "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7",
        "1::2::3",
        ":1::",
        "1:::2",
        "12345::",
        "::1.2.3.4.5",
        "::1.2.3.04",
        "1.2.3.4::",
        "::1.2.3.4:1",
        "",
        ":",
        "g::1");
  }

  @ParameterizedTest(name = "[{index}] [{0}]")
  @MethodSource("invalidIpv6Literals")
  void malformedIpv6LiteralIsRefused(String literal) {
    assertThatThrownBy(() -> TargetParser.parseConnect("[" + literal + "]:443"))
        .isInstanceOfSatisfying(TargetException.class, e -> assertThat(e.reason()).isEqualTo(HOST));
  }

  @Test
  void nullTargetIsRefusedAsMalformed() {
    assertThatThrownBy(() -> TargetParser.parseAbsolute(null))
        .isInstanceOfSatisfying(
            TargetException.class, e -> assertThat(e.reason()).isEqualTo(MALFORMED));
    assertThatThrownBy(() -> TargetParser.parseConnect(null))
        .isInstanceOfSatisfying(
            TargetException.class, e -> assertThat(e.reason()).isEqualTo(MALFORMED));
  }

  @Test
  void reasonNeverEchoesTheRefusedInput() {
    assertThatThrownBy(() -> TargetParser.parseAbsolute("http://evil\r\n.example/"))
        .isInstanceOfSatisfying(
            TargetException.class,
            e -> {
              assertThat(e.reason()).doesNotContain("evil");
              assertThat(e.getMessage()).isEqualTo(e.reason());
            });
  }

  @Test
  void twoSpellingsOfOneTargetAreEqual() throws TargetException {
    assertThat(TargetParser.parseAbsolute("http://WindowsUpdate.com.:80/x"))
        .isEqualTo(TargetParser.parseAbsolute("http://windowsupdate.com/x"));
  }
}
