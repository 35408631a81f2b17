package dev.patchgate.proxy.console.data;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.Role;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * What one signed-in user may see, so that every source filters the same way.
 *
 * <p>An admin sees everything. A vendor sees an audit record when its {@code entry} is one of the
 * vendor's entries, or its client is in one of the vendor's client groups as the allowlist in force
 * defines them (a group the allowlist no longer has covers nobody). A denied record names no entry:
 * it counts as the entry's when the entry names its host in the allowlist in force, so that a
 * vendor sees the refusals of the hosts they maintain. A filter is refused with {@link
 * OutOfScopeException}, never answered with an empty page, when no record it selects could be
 * visible: an entry filter when the vendor has no groups and the entry is not theirs; a client
 * filter when the vendor has no entries and the client is in none of their groups. (A vendor with
 * groups may narrow to any entry their clients used; one with entries, to any client that used
 * them.)
 *
 * <p>Take one per request, with the allowlist in force then. Thread-safe; a client's groups are
 * worked out once per scope.
 */
public final class Scope {
  private static final Scope ADMIN = new Scope(null, Allowlist.denyAll(), Set.of(), Set.of());

  private final String vendor;
  private final Allowlist allowlist;
  private final Set<String> entries;
  private final Set<String> groups;
  private final Map<String, Boolean> clientInGroups = new ConcurrentHashMap<>();
  private final Map<String, Boolean> hostOfVendorEntry = new ConcurrentHashMap<>();

  private Scope(String vendor, Allowlist allowlist, Set<String> entries, Set<String> groups) {
    this.vendor = vendor;
    this.allowlist = allowlist;
    this.entries = entries;
    this.groups = groups;
  }

  /** Everything: an admin's scope, also for the gateway's own tools. */
  public static Scope admin() {
    return ADMIN;
  }

  /**
   * The scope of {@code user}, with client groups as {@code inForce} defines them.
   *
   * @throws NullPointerException if either is null
   */
  public static Scope of(ConsoleUser user, Allowlist inForce) {
    if (user.role() == Role.ADMIN) {
      return ADMIN;
    }
    return new Scope(
        user.name(),
        inForce,
        user.entries().stream().map(e -> e.toLowerCase(Locale.ROOT)).collect(Collectors.toSet()),
        Set.copyOf(user.groups()));
  }

  /** Whether this is an admin's scope. */
  public boolean isAdmin() {
    return vendor == null;
  }

  /**
   * Whether a record of {@code entry} (ignoring case; null for none, as in a denial) for {@code
   * host} (null when it had none) from {@code client} (an address literal; null or anything else is
   * in no group) is visible.
   */
  public boolean sees(String entry, String host, String client) {
    if (vendor == null) {
      return true;
    }
    if (entry != null && entries.contains(entry.toLowerCase(Locale.ROOT))) {
      return true;
    }
    if (entry == null
        && host != null
        && !entries.isEmpty()
        && hostOfVendorEntry.computeIfAbsent(host, this::namedByVendorEntry)) {
      return true;
    }
    return client != null
        && !groups.isEmpty()
        && clientInGroups.computeIfAbsent(client, this::inVendorGroups);
  }

  /**
   * Refuses an entry filter that can select no visible record.
   *
   * @throws OutOfScopeException naming the entry
   */
  void checkEntry(String entry) {
    if (vendor != null && groups.isEmpty() && !entries.contains(entry.toLowerCase(Locale.ROOT))) {
      throw new OutOfScopeException(
          "entry '" + entry + "' is not among the entries of user '" + vendor + "'");
    }
  }

  /**
   * Refuses a client filter that can select no visible record.
   *
   * @throws OutOfScopeException naming the client
   */
  void checkClient(String client) {
    if (vendor != null && entries.isEmpty() && !inVendorGroups(client)) {
      throw new OutOfScopeException(
          "client "
              + client
              + " is in none of the client groups of user '"
              + vendor
              + "' ("
              + String.join(", ", groups.stream().sorted().toList())
              + ")");
    }
  }

  /**
   * Refuses what only an admin may see or do.
   *
   * @param what the page or action, for the message ("the mirror")
   * @throws OutOfScopeException for a vendor
   */
  public void requireAdmin(String what) {
    if (vendor != null) {
      throw new OutOfScopeException(what + " is for administrators; '" + vendor + "' is a vendor");
    }
  }

  private boolean namedByVendorEntry(String host) {
    for (String entry : allowlist.entriesNaming(host)) {
      if (entries.contains(entry.toLowerCase(Locale.ROOT))) {
        return true;
      }
    }
    return false;
  }

  private boolean inVendorGroups(String client) {
    InetAddress address = literal(client);
    if (address == null) {
      return false;
    }
    List<String> in = allowlist.clientGroupsOf(address);
    for (String group : in) {
      if (groups.contains(group)) {
        return true;
      }
    }
    return false;
  }

  /** An IP address literal as an address, or null: never a name (which would be looked up). */
  static InetAddress literal(String text) {
    // A dotted quad, or IPv6 (which has a colon, so InetAddress never looks it up as a name).
    if (text == null
        || !(text.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")
            || (text.contains(":") && text.matches("[0-9a-fA-F:.]+")))) {
      return null;
    }
    try {
      return InetAddress.getByName(text);
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
