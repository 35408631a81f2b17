package dev.patchgate.proxy.request;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.allowlist.Cidr;
import dev.patchgate.proxy.exchange.ClientIdentity;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.InetAddress;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whom a request is from, by its TCP peer and its forwarded-for headers: the walk from the right
 * over what trusted hops added, and every header that must be ignored, each row naming the threat.
 */
class ForwardedForTest {
  private static final String SITE = "127.0.0.2";
  private static final String PC = "10.1.2.3";
  private static final String XFF = ForwardedFor.X_FORWARDED_FOR;
  private static final String FWD = ForwardedFor.FORWARDED;

  // A site gateway, a regional gateway's range between sites and the centre, an IPv6 site range.
  private final ForwardedFor forwarded =
      new ForwardedFor(
          List.of(Cidr.parse(SITE), Cidr.parse("10.9.0.0/16"), Cidr.parse("fd00:9::/64")));

  static Stream<Arguments> believed() {
    return Stream.of(
        row("one PC behind a site gateway", SITE, PC, PC, XFF, PC),
        // The PC wrote the left part itself; only the site gateway's addition is believed.
        row("a spoofed address left of the PC's", SITE, PC, PC, XFF, "1.2.3.4, " + PC),
        row("garbage left of the PC's is never parsed", SITE, PC, PC, XFF, "evil, _x, " + PC),
        // PC -> site -> regional gateway (trusted) -> here: the regional hop is walked past.
        row("a trusted regional hop", SITE, PC, PC + ", 10.9.0.7", XFF, PC + ", 10.9.0.7"),
        row(
            "every hop trusted: the leftmost",
            SITE,
            "10.9.0.8",
            "10.9.0.8, 10.9.0.7",
            XFF,
            "10.9.0.8, 10.9.0.7"),
        row("two header lines are one list, in order", SITE, PC, PC, XFF, "1.2.3.4", XFF, PC),
        row(
            "an IPv6 PC, bare as X-Forwarded-For writes it",
            SITE,
            "2001:db8:0:0:0:0:0:7",
            "2001:db8:0:0:0:0:0:7",
            XFF,
            "2001:db8::7"),
        row("a site gateway on IPv6", "fd00:9::5", PC, PC, XFF, PC),
        row("RFC 7239", SITE, PC, PC, FWD, "for=" + PC),
        row("RFC 7239 parameter names ignore case", SITE, PC, PC, FWD, "For=" + PC + ";PROTO=http"),
        row(
            "RFC 7239 IPv6 in quotes and brackets",
            SITE,
            "2001:db8:0:0:0:0:0:7",
            "2001:db8:0:0:0:0:0:7",
            FWD,
            "for=\"[2001:db8::7]\";proto=http"),
        row(
            "RFC 7239 spoofed element left of the PC's",
            SITE,
            PC,
            PC,
            FWD,
            "for=1.2.3.4, for=" + PC + ";by=127.0.0.2"),
        row(
            "RFC 7239 white space around the separators",
            SITE,
            PC,
            PC,
            FWD,
            "for=1.2.3.4 ,  for=" + PC + " ; proto=http"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("believed")
  void aTrustedDownstreamsHeaderNamesThePc(
      String what, String peer, String client, String chain, String[] headers) throws Exception {
    ClientIdentity who = forwarded.identify(address(peer), headers(headers));

    assertThat(who.fault()).isNull();
    assertThat(who.client().getHostAddress()).isEqualTo(client);
    assertThat(who.via()).isEqualTo(address(peer));
    assertThat(who.chain()).map(InetAddress::getHostAddress).containsExactly(chain.split(", "));
  }

  static Stream<Arguments> ignored() {
    return Stream.of(
        fault("not an address", ForwardedFor.NOT_AN_ADDRESS, XFF, "evil"),
        // A name would need a DNS lookup, and is the PC's own claim about itself.
        fault("a host name", ForwardedFor.NOT_AN_ADDRESS, XFF, "pc17.hospital.example"),
        fault("a control character", ForwardedFor.NOT_AN_ADDRESS, XFF, PC + "\u0001"),
        fault("two addresses without a comma", ForwardedFor.NOT_AN_ADDRESS, XFF, PC + " 1.2.3.4"),
        // Alternate IPv4 spellings name other hosts than they seem to (octal, short, hex, decimal).
        fault("octal", ForwardedFor.NOT_AN_ADDRESS, XFF, "010.1.2.3"),
        fault("short form", ForwardedFor.NOT_AN_ADDRESS, XFF, "10.1.515"),
        fault("hex", ForwardedFor.NOT_AN_ADDRESS, XFF, "0x0a.1.2.3"),
        fault("one decimal number", ForwardedFor.NOT_AN_ADDRESS, XFF, "167838211"),
        fault("octet over 255", ForwardedFor.NOT_AN_ADDRESS, XFF, "10.1.2.256"),
        fault("an IPv6 zone ID", ForwardedFor.NOT_AN_ADDRESS, XFF, "fe80::1%eth0"),
        fault("bad IPv6", ForwardedFor.NOT_AN_ADDRESS, XFF, "2001:db8:::7"),
        fault("an IPv4 address in brackets", ForwardedFor.NOT_AN_ADDRESS, XFF, "[10.1.2.3]"),
        fault("an unclosed bracket", ForwardedFor.NOT_AN_ADDRESS, XFF, "[2001:db8::7"),
        fault("empty brackets", ForwardedFor.NOT_AN_ADDRESS, XFF, "[]"),
        fault("a lone colon", ForwardedFor.NOT_AN_ADDRESS, XFF, ":"),
        fault("RFC 7239 empty quoted for", ForwardedFor.NOT_AN_ADDRESS, FWD, "for=\"\""),
        fault("RFC 7239 escape at the end", ForwardedFor.MALFORMED, FWD, "for=\"\\"),
        fault("RFC 7239 only a separator", ForwardedFor.MALFORMED, FWD, ";"),
        fault("unknown", ForwardedFor.HIDDEN, XFF, "unknown"),
        fault("an obfuscated node", ForwardedFor.HIDDEN, XFF, "_hidden"),
        fault("a port", ForwardedFor.PORT, XFF, PC + ":5678"),
        fault("an IPv6 address with a port", ForwardedFor.PORT, XFF, "[2001:db8::7]:80"),
        // The site gateway's own addition is bad, whatever lies to its left.
        fault("the trusted hop's part is bad", ForwardedFor.HIDDEN, XFF, PC + ", unknown"),
        fault(
            "a bad node behind a trusted hop", ForwardedFor.NOT_AN_ADDRESS, XFF, "evil, 10.9.0.7"),
        fault("an empty element", ForwardedFor.MALFORMED, XFF, PC + ","),
        fault("an empty header", ForwardedFor.MALFORMED, XFF, ""),
        // Which one is true? Neither is guessed.
        fault("both headers", ForwardedFor.BOTH, XFF, PC, FWD, "for=1.2.3.4"),
        fault("a huge header", ForwardedFor.TOO_LONG, XFF, "1.2.3.4, ".repeat(200) + PC),
        fault(
            "huge over several lines",
            ForwardedFor.TOO_LONG,
            XFF,
            "1".repeat(600),
            XFF,
            "2".repeat(600)),
        fault("RFC 7239 unknown", ForwardedFor.HIDDEN, FWD, "for=unknown"),
        fault("RFC 7239 obfuscated", ForwardedFor.HIDDEN, FWD, "for=_hidden"),
        fault("RFC 7239 port", ForwardedFor.PORT, FWD, "for=\"" + PC + ":47011\""),
        fault("RFC 7239 IPv6 port", ForwardedFor.PORT, FWD, "for=\"[2001:db8::7]:47011\""),
        fault(
            "RFC 7239 IPv6 without brackets",
            ForwardedFor.NOT_AN_ADDRESS,
            FWD,
            "for=\"2001:db8::7\""),
        fault("RFC 7239 element without for", ForwardedFor.NO_FOR, FWD, "by=" + SITE),
        fault(
            "RFC 7239 for twice in one element",
            ForwardedFor.MALFORMED,
            FWD,
            "for=1.2.3.4;for=" + PC),
        // An unclosed quote would swallow the commas that split the list.
        fault(
            "RFC 7239 unterminated quote", ForwardedFor.MALFORMED, FWD, "for=\"1.2.3.4, for=" + PC),
        fault("RFC 7239 spaces around =", ForwardedFor.MALFORMED, FWD, "for = " + PC),
        fault(
            "RFC 7239 control character in quotes",
            ForwardedFor.MALFORMED,
            FWD,
            "for=\"" + PC + "\u0007\""),
        fault("RFC 7239 an empty element", ForwardedFor.MALFORMED, FWD, "for=" + PC + ","));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ignored")
  void aTrustedDownstreamsUnusableHeaderFallsBackToThePeerAndSaysWhy(
      String what, String reason, String[] headers) throws Exception {
    ClientIdentity who = forwarded.identify(address(SITE), headers(headers));

    assertThat(who.client()).isEqualTo(address(SITE));
    assertThat(who.via()).isNull();
    assertThat(who.chain()).isEmpty();
    assertThat(who.fault()).isEqualTo(reason);
  }

  @Test
  void anUntrustedPeersHeaderIsIgnoredWithoutAFault() throws Exception {
    ClientIdentity who = forwarded.identify(address("127.0.0.3"), headers(XFF, PC));

    assertThat(who).isEqualTo(ClientIdentity.direct(address("127.0.0.3")));
  }

  @Test
  void aTrustedPeerWithoutAHeaderIsItsOwnClient() throws Exception {
    ClientIdentity who = forwarded.identify(address(SITE), headers());

    assertThat(who).isEqualTo(ClientIdentity.direct(address(SITE)));
  }

  @Test
  void nobodyIsTrustedByDefault() throws Exception {
    ClientIdentity who = ForwardedFor.NONE.identify(address(SITE), headers(XFF, PC));

    assertThat(who).isEqualTo(ClientIdentity.direct(address(SITE)));
  }

  @Test
  void stripRemovesBothHeadersAndNothingElse() {
    HttpHeaders headers = headers(XFF, PC, FWD, "for=" + PC, "Host", "a.example");

    ForwardedFor.strip(headers);

    assertThat(headers.names()).containsExactly("Host");
  }

  static Stream<Arguments> toParent() {
    return Stream.of(
        // A site gateway: its client is a PC; the PC's own header was never believed.
        Arguments.of("127.0.0.3", new String[] {XFF, "1.2.3.4"}, "127.0.0.3"),
        // A central gateway with a parent: the chain it believes, then the site gateway.
        Arguments.of(SITE, new String[] {XFF, "1.2.3.4, " + PC}, PC + ", " + SITE),
        Arguments.of(SITE, new String[] {XFF, PC + ", 10.9.0.7"}, PC + ", 10.9.0.7, " + SITE),
        // A trusted peer's unusable header: only the peer is named.
        Arguments.of(SITE, new String[] {XFF, "unknown"}, SITE),
        Arguments.of(SITE, new String[] {FWD, "for=" + PC}, PC + ", " + SITE));
  }

  @ParameterizedTest
  @MethodSource
  void toParent(String peer, String[] received, String sent) throws Exception {
    HttpHeaders headers = headers(received);
    ClientIdentity who = forwarded.identify(address(peer), headers);

    ForwardedFor.toParent(headers, who.forwardedForParent());

    assertThat(headers.getAll(XFF)).containsExactly(sent);
    assertThat(headers.contains(FWD)).isFalse();
  }

  private static Arguments row(
      String what, String peer, String client, String chain, String... headers) {
    return Arguments.of(what, peer, client, chain, headers);
  }

  private static Arguments fault(String what, String reason, String... headers) {
    return Arguments.of(what, reason, headers);
  }

  private static HttpHeaders headers(String... namesAndValues) {
    // Validation off: the decoder lets through values a validating builder would refuse.
    HttpHeaders headers = new DefaultHttpHeaders(false);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      headers.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return headers;
  }

  private static InetAddress address(String literal) throws Exception {
    return InetAddress.getByName(literal);
  }
}
