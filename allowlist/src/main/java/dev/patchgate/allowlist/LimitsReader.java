package dev.patchgate.allowlist;

import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Reads an allowlist file's {@code limits} block: per client group, the limits the gateway's
 * configuration sets for every client ({@code patchgate.limits.connections-per-client}, {@code
 * patchgate.limits.requests-per-client}), raised for a WSUS server or a NAT, lowered for a kiosk.
 *
 * <pre>
 * limits {
 *   wsus-servers { connections-per-client = 2000, requests-per-client { rate = 0 } }
 * }
 * </pre>
 *
 * Every problem is recorded with its line and a fix; a group with problems sets nothing.
 */
final class LimitsReader {
  static final String LIMITS = "limits";
  static final String CONNECTIONS = "connections-per-client";
  static final String REQUESTS = "requests-per-client";
  static final String RATE = "rate";
  static final String BURST = "burst";
  static final int MAX = 1_000_000;
  private static final List<String> KEYS = List.of(CONNECTIONS, REQUESTS);
  private static final List<String> RATE_KEYS = List.of(RATE, BURST);
  private static final String EXAMPLE =
      "limits { wsus-servers { connections-per-client = 2000, requests-per-client { rate = 0 } } }";

  private final FileProblems problems;

  LimitsReader(FileProblems problems) {
    this.problems = problems;
  }

  /**
   * Group names to what they set; empty when the block is absent.
   *
   * @param groups the file's client groups, or null when it has no {@code clients} block
   */
  Map<String, ClientLimits> read(ConfigValue value, Set<String> groups) {
    Map<String, ClientLimits> limits = new LinkedHashMap<>();
    if (value == null) {
      return limits;
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          value.origin(), "'" + LIMITS + "' must be an object of client groups, e.g. " + EXAMPLE);
      return limits;
    }
    if (groups == null) {
      problems.add(
          value.origin(),
          "'"
              + LIMITS
              + "' sets limits for client groups, and this file has none; define them in a"
              + " 'clients' block, e.g. clients { wsus-servers = [\"10.20.0.10\"] }");
      return limits;
    }
    for (Map.Entry<String, ConfigValue> group : FileProblems.inFileOrder((ConfigObject) value)) {
      String name = group.getKey();
      if (!groups.contains(name)) {
        problems.add(
            group.getValue().origin(),
            "'"
                + LIMITS
                + "' names client group "
                + AllowlistReader.quote(name)
                + ", which the 'clients' block does not define"
                + Suggestions.didYouMean(name, groups));
        continue;
      }
      int before = problems.count();
      ClientLimits read = readGroup(name, group.getValue());
      if (problems.count() == before) {
        limits.put(name, read);
      }
    }
    return limits;
  }

  private ClientLimits readGroup(String group, ConfigValue value) {
    String what = "limits of client group " + AllowlistReader.quote(group);
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          value.origin(),
          what
              + " must be an object, not "
              + AllowlistReader.quote(FileProblems.render(value))
              + ", e.g. "
              + group
              + " { "
              + CONNECTIONS
              + " = 2000 }");
      return ClientLimits.NONE;
    }
    OptionalInt connections = OptionalInt.empty();
    Optional<RequestRate> rate = Optional.empty();
    for (Map.Entry<String, ConfigValue> key : FileProblems.inFileOrder((ConfigObject) value)) {
      switch (key.getKey()) {
        case CONNECTIONS -> {
          Integer n = number(what + ": '" + CONNECTIONS + "'", key.getValue(), 1);
          connections = n == null ? connections : OptionalInt.of(n);
        }
        case REQUESTS -> rate = Optional.ofNullable(readRate(what, key.getValue()));
        default -> unknown(what, key, KEYS);
      }
    }
    return new ClientLimits(connections, rate);
  }

  private RequestRate readRate(String group, ConfigValue value) {
    String what = group + ": '" + REQUESTS + "'";
    if (value.valueType() != ConfigValueType.OBJECT) {
      problems.add(
          value.origin(),
          what + " must be an object, e.g. " + REQUESTS + " { rate = 20, burst = 100 }");
      return null;
    }
    Integer rate = null;
    Integer burst = null;
    for (Map.Entry<String, ConfigValue> key : FileProblems.inFileOrder((ConfigObject) value)) {
      switch (key.getKey()) {
        case RATE -> rate = number(what + ": '" + RATE + "'", key.getValue(), 0);
        case BURST -> burst = number(what + ": '" + BURST + "'", key.getValue(), 1);
        default -> unknown(what, key, RATE_KEYS);
      }
    }
    if (rate == null) {
      problems.add(
          value.origin(),
          what + " needs a rate (requests a second; 0: no limit), e.g. { rate = 20, burst = 100 }");
      return null;
    }
    // Without a burst, one second's worth may come at once.
    return rate == 0 ? RequestRate.UNLIMITED : new RequestRate(rate, burst == null ? rate : burst);
  }

  /** A whole number from {@code min} to {@value #MAX}, or null after recording the problem. */
  private Integer number(String what, ConfigValue value, int min) {
    Object raw = value.unwrapped();
    if (value.valueType() == ConfigValueType.NUMBER
        && (raw instanceof Integer || raw instanceof Long)) {
      long n = ((Number) raw).longValue();
      if (n >= min && n <= MAX) {
        return (int) n;
      }
    }
    problems.add(
        value.origin(),
        what
            + " must be a whole number from "
            + min
            + " to "
            + MAX
            + ", not "
            + AllowlistReader.quote(FileProblems.render(value)));
    return null;
  }

  private void unknown(String what, Map.Entry<String, ConfigValue> key, List<String> known) {
    problems.add(
        key.getValue().origin(),
        what
            + ": unknown key "
            + AllowlistReader.quote(key.getKey())
            + " (expected "
            + String.join(" or ", known)
            + ")"
            + Suggestions.didYouMean(key.getKey(), known));
  }
}
