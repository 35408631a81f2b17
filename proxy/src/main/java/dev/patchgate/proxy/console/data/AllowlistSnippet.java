package dev.patchgate.proxy.console.data;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Decision;
import dev.patchgate.allowlist.Scheme;
import dev.patchgate.allowlist.Target;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Allowlist text an administrator may paste to let a denied request through: a new entry for its
 * host, scheme and port, served to the client's groups; or, for a client in no group, a group with
 * its address. Text only: the console never writes the allowlist, and the admin decides whether the
 * request should pass at all. Values come from the parsed target (a checked host name or address),
 * never from raw audit text. Stateless.
 */
final class AllowlistSnippet {
  private AllowlistSnippet() {}

  /**
   * The snippet for the request {@code explained} describes; empty when it was allowed, or refused
   * before the allowlist was asked (another method, an unparsable target).
   */
  static Optional<String> toAllow(Explained explained, InetAddress client, Allowlist inForce) {
    if (explained.allowed() || explained.target().isEmpty() || explained.decision().isEmpty()) {
      return Optional.empty();
    }
    String address = client.getHostAddress();
    if (Decision.UNREGISTERED_CLIENT.equals(explained.decision().get().reason())) {
      return Optional.of(
          "clients {\n"
              + "  # "
              + address
              + " is in no client group: add it to one of "
              + String.join(", ", inForce.clientGroups().keySet())
              + ", or to a new one\n"
              + "  new-group = [\""
              + address
              + "\"]\n"
              + "}\n");
    }
    Target target = explained.target().get();
    boolean https = target.scheme() == Scheme.HTTPS;
    int defaultPort = https ? 443 : 80;
    StringBuilder s = new StringBuilder("entries {\n");
    s.append("  ").append(name(target.host())).append(" {\n");
    s.append("    hosts   = [\"").append(target.host()).append("\"]\n");
    s.append("    schemes = [").append(https ? "https" : "http").append("]\n");
    if (target.port() != defaultPort) {
      s.append("    ports   = [").append(target.port()).append("]\n");
    }
    List<String> groups = inForce.clientGroupsOf(client);
    if (!groups.isEmpty()) {
      s.append("    clients = [").append(String.join(", ", groups)).append("]\n");
    }
    s.append("  }\n}\n");
    return Optional.of(s.toString());
  }

  /** An entry name from a host: {@code allow-download-vendor-example}. */
  private static String name(String host) {
    String words = host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-");
    return "allow-" + words.replaceAll("^-+|-+$", "");
  }
}
