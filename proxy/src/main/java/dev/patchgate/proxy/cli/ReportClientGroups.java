package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.AllowlistException;
import dev.patchgate.allowlist.Cidr;
import dev.patchgate.audit.report.ClientGroups;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;

/**
 * The reports' {@link ClientGroups}, from the configured allowlist: its client groups, matched as
 * the policy matches them (IPv4, IPv6), its address blocks ({@link Cidr}) and its time zone. The
 * audit log knows nothing of the allowlist; this is where the two meet, as in {@link
 * ReportKbSources}.
 *
 * <p>The command line reads the allowlist as it is when the report runs. When it cannot be loaded,
 * one line on {@code err} says so and the reports run without groups (every client a group of its
 * own, hours in UTC).
 */
public final class ReportClientGroups implements ClientGroups {
  private final Allowlist allowlist;
  private final ZoneId zone;

  private ReportClientGroups(Allowlist allowlist, ZoneId zone) {
    this.allowlist = allowlist;
    this.zone = zone;
  }

  /**
   * The groups, blocks and time zone of {@code inForce}: the console's, from the running policy.
   */
  public static ClientGroups of(Allowlist inForce) {
    return new ReportClientGroups(inForce, inForce.timeZone());
  }

  /**
   * @param allowlist the configured allowlist file
   * @param err where a failure to load it is reported, as one line
   */
  static ClientGroups from(Path allowlist, PrintStream err) {
    try {
      Allowlist loaded = Allowlist.load(allowlist);
      return new ReportClientGroups(loaded, loaded.timeZone());
    } catch (AllowlistException e) {
      err.println(
          "patchgate audit report: cannot load the allowlist "
              + allowlist
              + " (see 'patchgate check-config'); no client groups: every client is compared with"
              + " itself, hours in UTC");
      return new ReportClientGroups(Allowlist.denyAll(), ZoneOffset.UTC);
    }
  }

  @Override
  public List<String> names() {
    return allowlist.clientGroupNames();
  }

  @Override
  public List<String> groupsOf(String client) {
    if (names().isEmpty()) {
      return List.of();
    }
    try {
      // Cidr.parse accepts only address literals, so the lookup below never asks DNS.
      Cidr.parse(client);
      return allowlist.clientGroupsOf(InetAddress.getByName(client));
    } catch (IllegalArgumentException | UnknownHostException e) {
      return List.of();
    }
  }

  @Override
  public Predicate<String> block(String cidr) {
    Cidr block = Cidr.parse(cidr);
    return ClientGroups.named(block.toString(), client -> contains(block, client));
  }

  private static boolean contains(Cidr block, String client) {
    try {
      // Cidr.parse accepts only address literals, so the lookup below never asks DNS.
      Cidr.parse(client);
      return block.contains(InetAddress.getByName(client));
    } catch (IllegalArgumentException | UnknownHostException e) {
      return false;
    }
  }

  @Override
  public ZoneId zone() {
    return zone;
  }
}
