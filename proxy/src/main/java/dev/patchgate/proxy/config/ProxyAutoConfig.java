package dev.patchgate.proxy.config;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The proxy auto-configuration file (PAC, served as {@code /proxy.pac} and {@code /wpad.dat}):
 * every request goes to the gateway, except the hosts, suffixes and networks that go {@code
 * DIRECT}. Pure: {@link #script} is a function of the settings and the listen address.
 *
 * <p>Each value is checked when the configuration loads ({@link #parseProxy}, {@link #parseDirect})
 * to a strict alphabet in which no character can end a JavaScript string, and is escaped again when
 * the script is written, so a hostile value cannot reach the script as code.
 *
 * @param proxies "host:port" of each gateway, in fail-over order; empty: the listen address
 * @param direct host names, "*.suffix" patterns and IPv4 CIDR networks that go direct
 *     <p>Public for the gateway's wiring and the tests.
 */
public record ProxyAutoConfig(List<String> proxies, List<String> direct) {
  private static final Pattern LABEL = Pattern.compile("[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?");
  private static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}"
              + "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");

  public ProxyAutoConfig {
    proxies = List.copyOf(proxies);
    direct = List.copyOf(direct);
  }

  /** No DIRECT exceptions, and the listen address as the only proxy. */
  public static ProxyAutoConfig defaults() {
    return new ProxyAutoConfig(List.of(), List.of());
  }

  /**
   * Checks one {@code patchgate.pac.proxies} value: "host:port" or "[v6]:port", lower-cased.
   *
   * @throws IllegalArgumentException naming the fix
   */
  public static String parseProxy(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    int colon = v.lastIndexOf(':');
    String fix = "expected host:port, e.g. \"gateway1.hospital.local:3128\" or \"10.0.0.5:3128\"";
    if (colon <= 0) {
      throw new IllegalArgumentException(fix);
    }
    String host = v.substring(0, colon);
    String port = v.substring(colon + 1);
    if (!port.matches("[0-9]{1,5}")
        || Integer.parseInt(port) < 1
        || Integer.parseInt(port) > 65535) {
      throw new IllegalArgumentException(fix + "; the port must be 1..65535");
    }
    boolean v6 =
        host.startsWith("[")
            && host.endsWith("]")
            && IPV6.matcher(host.substring(1, host.length() - 1)).matches();
    if (!v6 && !isHostName(host)) {
      throw new IllegalArgumentException(fix);
    }
    return host + ":" + port;
  }

  /**
   * Checks one {@code patchgate.pac.direct} value: a host name, "*.suffix" or an IPv4 network in
   * CIDR form; lower-cased, the network's host bits must be zero.
   *
   * @throws IllegalArgumentException naming the fix
   */
  public static String parseDirect(String value) {
    String v = value.strip().toLowerCase(Locale.ROOT);
    if (v.contains("/")) {
      parseNetwork(v);
      return v;
    }
    String host = v.startsWith("*.") ? v.substring(2) : v;
    if (!isHostName(host) || (v.startsWith("*.") && IPV4.matcher(host).matches())) {
      throw new IllegalArgumentException(
          "expected a host name (wsus.hospital.local), a suffix (*.hospital.local) or an IPv4"
              + " network (10.20.0.0/16)");
    }
    return v;
  }

  /** The address and mask of an IPv4 CIDR network, as isInNet takes them. */
  private static String[] parseNetwork(String cidr) {
    String fix = "expected an IPv4 network such as 10.20.0.0/16 (PAC's isInNet knows only IPv4)";
    int slash = cidr.indexOf('/');
    String address = cidr.substring(0, slash);
    String bitsText = cidr.substring(slash + 1);
    if (!IPV4.matcher(address).matches() || !bitsText.matches("[0-9]{1,2}")) {
      throw new IllegalArgumentException(fix);
    }
    int bits = Integer.parseInt(bitsText);
    if (bits > 32) {
      throw new IllegalArgumentException(fix);
    }
    long mask = bits == 0 ? 0 : (0xFFFF_FFFFL << (32 - bits)) & 0xFFFF_FFFFL;
    long ip = 0;
    for (String part : address.split("\\.")) {
      ip = (ip << 8) | Integer.parseInt(part);
    }
    if ((ip & ~mask & 0xFFFF_FFFFL) != 0) {
      throw new IllegalArgumentException(
          "host bits are set; expected the network address, e.g. "
              + dotted(ip & mask)
              + "/"
              + bits);
    }
    return new String[] {address, dotted(mask)};
  }

  private static String dotted(long ip) {
    return (ip >> 24 & 0xFF) + "." + (ip >> 16 & 0xFF) + "." + (ip >> 8 & 0xFF) + "." + (ip & 0xFF);
  }

  private static boolean isHostName(String host) {
    if (host.isEmpty() || host.length() > 253) {
      return false;
    }
    for (String label : host.split("\\.", -1)) {
      if (!LABEL.matcher(label).matches()) {
        return false;
      }
    }
    return true;
  }

  /**
   * The PAC file's text.
   *
   * @param listen the address the client reached the gateway on (so a gateway listening on every
   *     interface, or behind a virtual address, names the one its clients use), named when {@link
   *     #proxies} is empty
   */
  public String script(InetSocketAddress listen) {
    List<String> gateways = proxies;
    if (gateways.isEmpty()) {
      String host = listen.getHostString();
      gateways = List.of((host.contains(":") ? "[" + host + "]" : host) + ":" + listen.getPort());
    }
    StringBuilder proxy = new StringBuilder();
    for (String gateway : gateways) {
      proxy.append(proxy.length() == 0 ? "" : "; ").append("PROXY ").append(gateway);
    }
    StringBuilder js = new StringBuilder();
    js.append("// patchgate proxy auto-configuration, generated from patchgate.pac.*\n")
        .append("function FindProxyForURL(url, host) {\n")
        .append("  var h = String(host).toLowerCase();\n")
        .append("  if (h.charAt(h.length - 1) === \".\") {\n")
        .append("    h = h.substring(0, h.length - 1);\n")
        .append("  }\n");
    // Names first: a network rule may make the browser resolve the host.
    for (String rule : direct) {
      if (rule.startsWith("*.")) {
        js.append("  if (dnsDomainIs(h, ").append(quote(rule.substring(1))).append(")) {\n");
      } else if (!rule.contains("/")) {
        js.append("  if (h === ").append(quote(rule)).append(") {\n");
      } else {
        continue;
      }
      js.append("    return \"DIRECT\";\n  }\n");
    }
    for (String rule : direct) {
      if (rule.contains("/")) {
        String[] network = parseNetwork(rule);
        js.append("  if (isInNet(h, ")
            .append(quote(network[0]))
            .append(", ")
            .append(quote(network[1]))
            .append(")) {\n    return \"DIRECT\";\n  }\n");
      }
    }
    js.append("  return ").append(quote(proxy.toString())).append(";\n}\n");
    return js.toString();
  }

  /**
   * A JavaScript string literal of {@code value}: everything but plain printable ASCII letters,
   * digits and a few separators is written as a unicode escape, so nothing can end the string or
   * the script element it may be pasted into.
   */
  static String quote(String value) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || " .:;-_*[]".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      }
    }
    return out.append('"').toString();
  }
}
