package dev.patchgate.audit.report;

import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.function.Predicate;

/**
 * How the allowlist sees client addresses: its named client groups, and address blocks. The audit
 * log knows nothing of the allowlist; the caller that does (the gateway's command line) says so
 * here, so that a report groups clients exactly as the policy does.
 *
 * <p>Implementations must be thread-safe; {@link #groupsOf} must not throw.
 */
public interface ClientGroups {
  /** The group names in the allowlist's order; empty without an allowlist or client groups. */
  List<String> names();

  /**
   * The groups a record's {@code client} is in, in the allowlist's order; empty when it is in none
   * (or is not an address).
   */
  List<String> groupsOf(String client);

  /**
   * An address block ({@code 10.10.1.0/24}, {@code fd00:20::/64}, or one address) as a test of a
   * record's {@code client}.
   *
   * @throws IllegalArgumentException with a message for the user when it is not a block
   */
  Predicate<String> block(String cidr);

  /** The zone in which hours of the week and days are read (the allowlist's schedules' zone). */
  ZoneId zone();

  /**
   * {@code test}, whose {@code toString} is {@code name} (a block as the report's notes say it).
   */
  static Predicate<String> named(String name, Predicate<String> test) {
    return new Predicate<>() {
      @Override
      public boolean test(String client) {
        return test.test(client);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /**
   * No allowlist: no groups (every client is a group of its own), IPv4 blocks only, hours in UTC.
   */
  static ClientGroups none() {
    return new ClientGroups() {
      @Override
      public List<String> names() {
        return List.of();
      }

      @Override
      public List<String> groupsOf(String client) {
        return List.of();
      }

      @Override
      public Predicate<String> block(String cidr) {
        ClientRange range = ClientRange.parse(cidr);
        return named(range.toString(), range::contains);
      }

      @Override
      public ZoneId zone() {
        return ZoneOffset.UTC;
      }
    };
  }
}
