package dev.patchgate.allowlist;

import java.util.List;
import java.util.Optional;

/** The curated profiles shipped inside patchgate. Thread-safe. */
public final class Profiles {
  private Profiles() {}

  /** Every profile, sorted by name. */
  public static List<Profile> all() {
    return List.of();
  }

  /** The profile called {@code name}, if patchgate ships one. */
  public static Optional<Profile> find(String name) {
    return all().stream().filter(p -> p.name().equals(name)).findFirst();
  }
}
