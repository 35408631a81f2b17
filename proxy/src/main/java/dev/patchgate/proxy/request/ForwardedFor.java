package dev.patchgate.proxy.request;

import dev.patchgate.allowlist.Cidr;
import dev.patchgate.proxy.exchange.ClientIdentity;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which PC a request is from when a site gateway relays it to this (central) one: read from {@code
 * X-Forwarded-For} or RFC 7239 {@code Forwarded: for=}, and believed only from a TCP peer in {@code
 * patchgate.trusted-downstreams}.
 *
 * <p>The rule is the usual one (nginx's {@code real_ip_recursive}, Squid's {@code
 * follow_x_forwarded_for}): walk the list from the right, skipping addresses that are themselves
 * trusted downstreams; the first one that is not is the client (the leftmost, if all are). Only
 * what a trusted hop added is read: anything to the left of the client was written by the PC or
 * whoever it claims to be, and is neither parsed nor believed. Parsing is strict: an IPv4 dotted
 * quad, or an IPv6 address (in brackets and quotes in {@code Forwarded}, as RFC 7239 writes it); a
 * port, {@code unknown}, an obfuscated {@code _name}, a malformed {@code Forwarded} header, both
 * headers at once or more than {@value #MAX_LENGTH} characters make the whole header ignored: the
 * peer is then the client, and {@link ClientIdentity#fault} says why. From a peer that is not
 * trusted, the headers are ignored without a fault: nobody is told what would be believed.
 *
 * <p>Whatever it says, the request path {@link #strip strips} both headers before the request goes
 * anywhere: an origin never learns the hospital's internal addresses, and a parent proxy only gets
 * the chain this gateway believes ({@link #toParent}).
 *
 * <p>Pure and thread-safe: no I/O (addresses are parsed, never looked up), no state but the trusted
 * ranges. Public for the gateway's wiring, the parent-proxy path and the end-to-end tests, which
 * name its reason phrases.
 */
public final class ForwardedFor {
  public static final String X_FORWARDED_FOR = "X-Forwarded-For";
  public static final String FORWARDED = "Forwarded";

  /** The longest header (all its lines together) that is read; 20 IPv6 hops fit. */
  static final int MAX_LENGTH = 1024;

  public static final String TOO_LONG = "forwarded header ignored: longer than 1024 characters";
  public static final String BOTH = "forwarded header ignored: both X-Forwarded-For and Forwarded";
  public static final String MALFORMED = "forwarded header ignored: malformed";
  public static final String NOT_AN_ADDRESS = "forwarded header ignored: not an IP address";
  public static final String PORT = "forwarded header ignored: a port is not accepted";
  public static final String HIDDEN = "forwarded header ignored: unknown or obfuscated node";
  public static final String NO_FOR = "forwarded header ignored: an element without for=";

  /** Nobody is trusted: every header is ignored and stripped. */
  public static final ForwardedFor NONE = new ForwardedFor(List.of());

  private static final String TOKEN_SYMBOLS = "!#$%&'*+-.^_`|~";

  private final List<Cidr> trusted;

  /**
   * @param trustedDownstreams the gateways whose headers are believed ({@code
   *     patchgate.trusted-downstreams})
   */
  public ForwardedFor(List<Cidr> trustedDownstreams) {
    this.trusted = List.copyOf(trustedDownstreams);
  }

  /** True when {@code address} is a trusted downstream gateway. */
  boolean trusts(InetAddress address) {
    for (Cidr range : trusted) {
      if (range.contains(address)) {
        return true;
      }
    }
    return false;
  }

  /** Whom the request with {@code headers}, from TCP peer {@code peer}, is from. */
  public ClientIdentity identify(InetAddress peer, HttpHeaders headers) {
    if (!trusts(peer)) {
      return ClientIdentity.direct(peer);
    }
    List<String> xff = headers.getAll(X_FORWARDED_FOR);
    List<String> forwarded = headers.getAll(FORWARDED);
    if (xff.isEmpty() && forwarded.isEmpty()) {
      return ClientIdentity.direct(peer); // a trusted host's own request, or a PC in its range
    }
    if (!xff.isEmpty() && !forwarded.isEmpty()) {
      return ClientIdentity.ignored(peer, BOTH);
    }
    boolean rfc7239 = xff.isEmpty();
    List<String> lines = rfc7239 ? forwarded : xff;
    int length = lines.size() - 1; // the commas that join them
    for (String line : lines) {
      length += line.length();
    }
    if (length > MAX_LENGTH) {
      return ClientIdentity.ignored(peer, TOO_LONG);
    }
    String joined = String.join(",", lines);
    List<String> nodes;
    try {
      nodes = rfc7239 ? new ForwardedParser(joined).forNodes() : xffNodes(joined);
    } catch (IllegalArgumentException e) {
      return ClientIdentity.ignored(peer, MALFORMED);
    }
    return walk(peer, nodes, rfc7239);
  }

  /** The right-to-left walk over the nodes; see the class comment. */
  private ClientIdentity walk(InetAddress peer, List<String> nodes, boolean rfc7239) {
    List<InetAddress> chain = new ArrayList<>();
    for (int i = nodes.size() - 1; i >= 0; i--) {
      String node = nodes.get(i);
      if (node == null) {
        return ClientIdentity.ignored(peer, NO_FOR);
      }
      Node parsed = node(node, rfc7239);
      if (parsed.fault() != null) {
        return ClientIdentity.ignored(peer, parsed.fault());
      }
      InetAddress address = parsed.address();
      chain.add(0, address);
      if (i == 0 || !trusts(address)) {
        return new ClientIdentity(address, peer, chain, null);
      }
    }
    throw new IllegalStateException("a header always has one node at least");
  }

  /** Removes both headers, whatever they say: called on every request, trusted or not. */
  public static void strip(HttpHeaders headers) {
    headers.remove(X_FORWARDED_FOR);
    headers.remove(FORWARDED);
  }

  /**
   * Sets the {@code X-Forwarded-For} a request going on to a parent proxy carries, {@code chain}
   * being {@link ClientIdentity#forwardedForParent}: the chain this gateway believes, then its own
   * peer. The one place both ways to a parent (LittleProxy's and the mirror's fills) name the PC;
   * never for a request to an origin: that would hand the hospital's internal addresses to vendors.
   */
  public static void toParent(HttpHeaders headers, String chain) {
    strip(headers);
    headers.set(X_FORWARDED_FOR, chain);
  }

  /** X-Forwarded-For's elements, trimmed; an empty one makes the header malformed. */
  private static List<String> xffNodes(String value) {
    List<String> nodes = new ArrayList<>();
    for (String element : value.split(",", -1)) {
      String node = element.strip();
      if (node.isEmpty()) {
        throw new IllegalArgumentException("empty element");
      }
      nodes.add(node);
    }
    return nodes;
  }

  /** One node of the list: its address, or the fault phrase that makes the header ignored. */
  private record Node(InetAddress address, String fault) {
    /** The parsed address; null (it did not parse) is not an address. */
    static Node of(InetAddress address) {
      return address == null ? new Node(null, NOT_AN_ADDRESS) : new Node(address, null);
    }

    static Node refused(String fault) {
      return new Node(null, fault);
    }
  }

  private static Node node(String node, boolean rfc7239) {
    if (node.equalsIgnoreCase("unknown") || node.startsWith("_")) {
      return Node.refused(HIDDEN);
    }
    if (node.startsWith("[")) {
      int close = node.indexOf(']');
      if (close < 0) {
        return Node.refused(NOT_AN_ADDRESS);
      }
      String rest = node.substring(close + 1);
      if (!rest.isEmpty()) {
        return Node.refused(isPort(rest) ? PORT : NOT_AN_ADDRESS);
      }
      return Node.of(ipv6(node.substring(1, close)));
    }
    int colon = node.indexOf(':');
    if (colon >= 0 && node.indexOf(':', colon + 1) < 0) {
      // One colon: an IPv4 address with a port (an IPv6 address has two at least).
      boolean port = ipv4(node.substring(0, colon)) != null && isPort(node.substring(colon));
      return Node.refused(port ? PORT : NOT_AN_ADDRESS);
    }
    if (colon >= 0) {
      // RFC 7239 writes IPv6 in brackets (and quotes); X-Forwarded-For writes it bare.
      return Node.of(rfc7239 ? null : ipv6(node));
    }
    return Node.of(ipv4(node));
  }

  private static boolean isPort(String text) {
    return text.length() > 1
        && text.length() <= 6
        && text.charAt(0) == ':'
        && text.chars().skip(1).allMatch(c -> c >= '0' && c <= '9');
  }

  /** A dotted quad: four decimal numbers 0..255, no leading zeros (no octal, no short forms). */
  private static InetAddress ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || (part.length() > 1 && part.charAt(0) == '0')
          || !part.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return null;
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return null;
      }
      bytes[i] = (byte) value;
    }
    try {
      return InetAddress.getByAddress(bytes);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are an IPv4 address", e);
    }
  }

  /**
   * An IPv6 address without zone, or null. Only hex digits, colons and dots pass, and it is parsed
   * in brackets, which makes the JDK refuse an invalid literal instead of looking it up in DNS.
   */
  private static InetAddress ipv6(String text) {
    if (text.length() < 2
        || text.length() > 45
        || text.indexOf(':') < 0
        || !text.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
      return null;
    }
    try {
      InetAddress address = InetAddress.getByName("[" + text + "]");
      // An IPv4-mapped address comes back as the IPv4 address it names, which is the same host.
      return address instanceof Inet6Address || text.contains(".") ? address : null;
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * RFC 7239's grammar, strictly: elements separated by commas, pairs by semicolons (optional white
   * space around both), {@code token=token} or {@code token="quoted"}, no empty element or pair, no
   * parameter twice in an element. Any fault throws {@link IllegalArgumentException}.
   */
  private static final class ForwardedParser {
    private final String text;
    private int pos;

    ForwardedParser(String text) {
      this.text = text;
    }

    /** Each element's {@code for} value, unquoted; null for an element without one. */
    List<String> forNodes() {
      List<String> nodes = new ArrayList<>();
      while (true) {
        nodes.add(element().get("for"));
        skipWhitespace();
        if (pos == text.length()) {
          return nodes;
        }
        expect(',');
      }
    }

    private Map<String, String> element() {
      Map<String, String> pairs = new HashMap<>();
      while (true) {
        skipWhitespace();
        String name = token().toLowerCase(Locale.ROOT);
        expect('=');
        String value = pos < text.length() && text.charAt(pos) == '"' ? quoted() : token();
        if (pairs.put(name, value) != null) {
          throw new IllegalArgumentException("parameter twice: " + name);
        }
        skipWhitespace();
        if (pos == text.length() || text.charAt(pos) != ';') {
          return pairs;
        }
        pos++;
      }
    }

    private String token() {
      int start = pos;
      while (pos < text.length() && isTokenChar(text.charAt(pos))) {
        pos++;
      }
      if (pos == start) {
        throw new IllegalArgumentException("expected a token at " + start);
      }
      return text.substring(start, pos);
    }

    private String quoted() {
      expect('"');
      StringBuilder value = new StringBuilder();
      while (pos < text.length()) {
        char c = text.charAt(pos++);
        if (c == '"') {
          return value.toString();
        }
        if (c == '\\') {
          if (pos == text.length()) {
            break;
          }
          c = text.charAt(pos++);
        }
        if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
          throw new IllegalArgumentException("control character in a quoted string");
        }
        value.append(c);
      }
      throw new IllegalArgumentException("unterminated quoted string");
    }

    private void expect(char c) {
      if (pos >= text.length() || text.charAt(pos) != c) {
        throw new IllegalArgumentException("expected " + c + " at " + pos);
      }
      pos++;
    }

    private void skipWhitespace() {
      while (pos < text.length() && (text.charAt(pos) == ' ' || text.charAt(pos) == '\t')) {
        pos++;
      }
    }

    private static boolean isTokenChar(char c) {
      return (c >= '0' && c <= '9')
          || (c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || TOKEN_SYMBOLS.indexOf(c) >= 0;
    }
  }
}
