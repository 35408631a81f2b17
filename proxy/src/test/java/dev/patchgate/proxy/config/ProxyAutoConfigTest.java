package dev.patchgate.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.mozilla.javascript.Context;
import org.mozilla.javascript.Function;
import org.mozilla.javascript.Scriptable;

class ProxyAutoConfigTest {
  private static final InetSocketAddress LISTEN =
      InetSocketAddress.createUnresolved("10.0.0.5", 3128);

  /**
   * The PAC helper functions as browsers define them (Netscape's pac_utils), with dnsResolve
   * answering from a fixed table instead of DNS.
   */
  private static final String PAC_UTILS =
      """
      function dnsDomainIs(host, domain) {
        return host.length >= domain.length
            && host.substring(host.length - domain.length) == domain;
      }
      function dnsResolve(host) {
        var table = { "lab.hospital.local": "10.20.3.4", "vendor.example": "93.184.216.34" };
        return table[host] === undefined ? null : table[host];
      }
      function convert_addr(ipchars) {
        var bytes = ipchars.split(".");
        return ((bytes[0] & 0xff) << 24) | ((bytes[1] & 0xff) << 16)
            | ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff);
      }
      function isInNet(ipaddr, pattern, maskstr) {
        var test = /^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$/.exec(ipaddr);
        if (test == null) {
          ipaddr = dnsResolve(ipaddr);
          if (ipaddr == null) return false;
        }
        var host = convert_addr(ipaddr);
        var pat = convert_addr(pattern);
        var mask = convert_addr(maskstr);
        return (host & mask) == (pat & mask);
      }
      """;

  /** FindProxyForURL(url, host) of {@code script}, run by a real JavaScript engine. */
  private static String findProxy(String script, String url, String host) {
    Context cx = Context.enter();
    try {
      cx.setOptimizationLevel(-1);
      Scriptable scope = cx.initStandardObjects();
      cx.evaluateString(scope, PAC_UTILS, "pac_utils.js", 1, null);
      cx.evaluateString(scope, script, "proxy.pac", 1, null);
      Function find = (Function) scope.get("FindProxyForURL", scope);
      return Context.toString(find.call(cx, scope, scope, new Object[] {url, host}));
    } finally {
      Context.exit();
    }
  }

  private static final ProxyAutoConfig HOSPITAL =
      new ProxyAutoConfig(
          List.of(), List.of("wsus.hospital.local", "*.intranet.hospital.local", "10.20.0.0/16"));

  @ParameterizedTest(name = "{0} -> {2}")
  @CsvSource({
    // An update host goes through the gateway.
    "http://download.windowsupdate.com/x.cab, download.windowsupdate.com, PROXY 10.0.0.5:3128",
    // The hospital's own WSUS is named: direct.
    "http://wsus.hospital.local:8530/x, wsus.hospital.local, DIRECT",
    "http://WSUS.Hospital.Local./x, WSUS.Hospital.Local., DIRECT",
    // A host under the suffix goes direct; the suffix itself and look-alikes do not.
    "http://pacs.intranet.hospital.local/, pacs.intranet.hospital.local, DIRECT",
    "http://intranet.hospital.local/, intranet.hospital.local, PROXY 10.0.0.5:3128",
    "http://evilintranet.hospital.local/, evilintranet.hospital.local, PROXY 10.0.0.5:3128",
    // A name that resolves into the network, and an address literal in it: direct.
    "http://lab.hospital.local/, lab.hospital.local, DIRECT",
    "http://10.20.9.9/, 10.20.9.9, DIRECT",
    // Outside the network, or a name that does not resolve: the gateway.
    "http://10.21.0.1/, 10.21.0.1, PROXY 10.0.0.5:3128",
    "http://vendor.example/, vendor.example, PROXY 10.0.0.5:3128",
    "http://unknown.example/, unknown.example, PROXY 10.0.0.5:3128",
  })
  void theGeneratedFileSendsEachHostWhereTheConfigurationSays(
      String url, String host, String expected) {
    assertThat(findProxy(HOSPITAL.script(LISTEN), url, host)).isEqualTo(expected);
  }

  @Test
  void severalProxiesAreAFailOverListInTheirOrder() {
    ProxyAutoConfig pac =
        new ProxyAutoConfig(List.of("gw1.hospital.local:3128", "10.0.0.6:8080"), List.of());

    assertThat(findProxy(pac.script(LISTEN), "http://vendor.example/", "vendor.example"))
        .isEqualTo("PROXY gw1.hospital.local:3128; PROXY 10.0.0.6:8080");
  }

  @Test
  void withoutProxiesTheListenAddressIsTheProxy() {
    InetSocketAddress v6 = InetSocketAddress.createUnresolved("::1", 3128);

    assertThat(findProxy(ProxyAutoConfig.defaults().script(v6), "http://a.example/", "a.example"))
        .isEqualTo("PROXY [::1]:3128");
  }

  @ParameterizedTest
  @CsvSource({
    "gw1.hospital.local:3128, gw1.hospital.local:3128",
    "GW1.Hospital.Local:3128, gw1.hospital.local:3128",
    "' 10.0.0.5:3128 ', 10.0.0.5:3128",
    "[fd00::5]:3128, [fd00::5]:3128",
  })
  void validProxiesAreNormalised(String value, String expected) {
    assertThat(ProxyAutoConfig.parseProxy(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Breaking out of the string literal to run code in every client's browser.
        "a\"; alert(1); \"b:3128",
        "a'+alert(1)+'b:3128",
        "a\\\":3128",
        // A line end would end a // comment or the statement.
        "a\nb:3128",
        "a\u2028b:3128",
        // Closing a <script> element the file might be pasted into.
        "</script>:3128",
        // Smuggling a second PAC verb into the answer.
        "a:3128; DIRECT",
        "gw:0",
        "gw:65536",
        "gw",
        ":3128",
        "[::1\"]:3128",
        "ex ample:3128",
        "g\u00fcw.example:3128",
      })
  void hostileOrMalformedProxiesAreRefused(String value) {
    assertThatThrownBy(() -> ProxyAutoConfig.parseProxy(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected host:port");
  }

  @ParameterizedTest
  @CsvSource({
    "wsus.hospital.local, wsus.hospital.local",
    "*.Hospital.Local, *.hospital.local",
    "10.20.0.0/16, 10.20.0.0/16",
    "0.0.0.0/0, 0.0.0.0/0",
    "10.0.0.7, 10.0.0.7",
  })
  void validDirectRulesAreNormalised(String value, String expected) {
    assertThat(ProxyAutoConfig.parseDirect(value)).isEqualTo(expected);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        // Breaking out of the string literal.
        "wsus\") || true || (\"",
        "x'; return 'DIRECT'; '",
        "a\\",
        "a\nb",
        "</script>",
        // Patterns this generator does not write.
        "*",
        "*.",
        "**.example",
        "wsus.*",
        "*.10.0.0.1",
        "",
        "fd00::/8",
        "10.20.0.0/33",
        "10.20.0.0/",
        "10.256.0.0/16",
      })
  void hostileOrMalformedDirectRulesAreRefused(String value) {
    assertThatThrownBy(() -> ProxyAutoConfig.parseDirect(value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("expected");
  }

  @Test
  void aNetworkWithHostBitsSetNamesTheNetworkToWriteInstead() {
    assertThatThrownBy(() -> ProxyAutoConfig.parseDirect("10.20.3.4/16"))
        .hasMessageContaining("e.g. 10.20.0.0/16");
  }

  @Test
  void quotingEscapesEverythingThatCouldEndTheStringOrTheScript() {
    assertThat(ProxyAutoConfig.quote("a\"b'c\\d\ne\u2028f</g>"))
        .isEqualTo("\"a\\u0022b\\u0027c\\u005cd\\u000ae\\u2028f\\u003c\\u002fg\\u003e\"");
  }

  @Test
  void evenAnUncheckedHostileValueStaysInsideItsString() {
    // The record does not re-check what it is given: quoting alone must hold.
    ProxyAutoConfig pac =
        new ProxyAutoConfig(
            List.of("x\"; return \"DIRECT\"; \"y:1"),
            List.of("v\" ) { return \"DIRECT\"; } if (\""));

    assertThat(findProxy(pac.script(LISTEN), "http://vendor.example/", "vendor.example"))
        .isEqualTo("PROXY x\"; return \"DIRECT\"; \"y:1");
  }
}
