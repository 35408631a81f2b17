package dev.patchgate.mirror;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Read access to a set of HTTP header fields, so that this module needs no HTTP library: the proxy
 * passes Netty's {@code headers::getAll}.
 */
@FunctionalInterface
public interface HeaderLookup {
  /**
   * Every value of the named field, in order of appearance; empty when absent. Names are matched
   * ignoring case. Never {@code null}.
   */
  List<String> all(String name);

  /** The first value of the named field, if any. */
  default Optional<String> first(String name) {
    List<String> values = all(name);
    return values.isEmpty() ? Optional.empty() : Optional.ofNullable(values.get(0));
  }

  /** Whether the named field is present at all. */
  default boolean has(String name) {
    return !all(name).isEmpty();
  }

  /** No header fields. */
  static HeaderLookup none() {
    return name -> List.of();
  }

  /** A lookup over stored fields. */
  static HeaderLookup of(List<HeaderField> fields) {
    List<HeaderField> copy = List.copyOf(fields);
    return name -> {
      List<String> values = new ArrayList<>(1);
      for (HeaderField f : copy) {
        if (f.name().equalsIgnoreCase(name)) {
          values.add(f.value());
        }
      }
      return values;
    };
  }

  /**
   * A lookup over alternating names and values, e.g. {@code of("ETag", "\"a\"", "Age", "3")}; for
   * tests and callers without a header object. Values are not checked.
   *
   * @throws IllegalArgumentException if the count is odd
   */
  static HeaderLookup of(String... namesAndValues) {
    if (namesAndValues.length % 2 != 0) {
      throw new IllegalArgumentException("namesAndValues: odd count (expected: name, value pairs)");
    }
    List<String> copy = List.of(namesAndValues);
    return name -> {
      String wanted = name.toLowerCase(Locale.ROOT);
      List<String> values = new ArrayList<>(1);
      for (int i = 0; i < copy.size(); i += 2) {
        if (copy.get(i).toLowerCase(Locale.ROOT).equals(wanted)) {
          values.add(Objects.requireNonNull(copy.get(i + 1)));
        }
      }
      return values;
    };
  }
}
