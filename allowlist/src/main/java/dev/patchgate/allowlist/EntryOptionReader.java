package dev.patchgate.allowlist;

import static dev.patchgate.allowlist.AllowlistReader.quote;
import static dev.patchgate.allowlist.EntryKeys.MIRROR_MAX_AGE;
import static dev.patchgate.allowlist.EntryKeys.PROFILE;

import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads and validates the single-valued keys of an entry: {@code profile} (resolved against the
 * shipped catalogue), {@code mode}, the true-or-false options and {@code mirror-max-age}.
 *
 * <p>Every method takes the entry's name as quoted in messages and the key's value (null when the
 * key is absent), records a problem for a value it cannot use and returns the default then.
 * Profiles named by several entries are looked up once. Not thread-safe; one per file read.
 */
final class EntryOptionReader {
  private final FileProblems problems;
  private final ProfileCatalog profiles;
  private final Map<String, Optional<Profile>> profileCache = new HashMap<>();

  EntryOptionReader(FileProblems problems, ProfileCatalog profiles) {
    this.problems = problems;
    this.profiles = profiles;
  }

  Profile readProfile(String entry, ConfigValue value) {
    if (value == null) {
      return null;
    }
    String name = FileProblems.render(value);
    if (value.valueType() != ConfigValueType.STRING) {
      problems.add(
          value.origin(),
          "'"
              + PROFILE
              + "' in entry "
              + entry
              + " must be one profile name, not "
              + quote(name)
              + ", e.g. profile = windows-update");
      return null;
    }
    Optional<Profile> profile;
    try {
      profile = profileCache.computeIfAbsent(name, profiles::find);
    } catch (IllegalStateException e) {
      problems.add(
          value.origin(),
          "entry "
              + entry
              + ": cannot read patchgate's shipped profiles ("
              + e.getMessage()
              + "); this is a fault in patchgate, please report it");
      return null;
    }
    if (profile.isPresent()) {
      return profile.get();
    }
    List<String> known = profiles.names();
    problems.add(
        value.origin(),
        "entry "
            + entry
            + ": unknown profile "
            + quote(name)
            + (known.isEmpty()
                ? " (this patchgate ships no profiles; list the hosts instead)"
                : " (known profiles: " + String.join(", ", known) + ")")
            + Suggestions.didYouMean(name, known));
    return null;
  }

  boolean readMode(String entry, ConfigValue value) {
    if (value == null) {
      return false;
    }
    String text = FileProblems.render(value);
    if (value.valueType() == ConfigValueType.STRING) {
      if (text.equals("enforce")) {
        return false;
      }
      if (text.equals("report")) {
        return true;
      }
    }
    problems.add(
        value.origin(),
        "entry "
            + entry
            + ": mode "
            + quote(text)
            + " is not one of: enforce, report (report lets requests through and records what"
            + " enforce would deny)");
    return false;
  }

  /** {@code upstream = parent | direct}; parent when absent. */
  Upstream readUpstream(String entry, ConfigValue value) {
    if (value == null) {
      return Upstream.PARENT;
    }
    String text = FileProblems.render(value);
    if (value.valueType() == ConfigValueType.STRING) {
      for (Upstream upstream : Upstream.values()) {
        if (upstream.keyword().equals(text)) {
          return upstream;
        }
      }
    }
    problems.add(
        value.origin(),
        "entry "
            + entry
            + ": upstream "
            + quote(text)
            + " is not one of: parent, direct (direct sends the entry's requests straight to the"
            + " origin even when patchgate.upstream.proxies names parent proxies, e.g. for an"
            + " internal WSUS)");
    return Upstream.PARENT;
  }

  boolean readBoolean(String entry, String key, ConfigValue value, boolean otherwise) {
    if (value == null) {
      return otherwise;
    }
    if (value.valueType() != ConfigValueType.BOOLEAN) {
      problems.addForKey(
          value, entry, key, "must be true or false, not " + quote(FileProblems.render(value)));
      return otherwise;
    }
    return (Boolean) value.unwrapped();
  }

  Optional<Duration> readMaxAge(String entry, ConfigValue value) {
    if (value == null) {
      return Optional.empty();
    }
    try {
      Duration age =
          ConfigFactory.empty().withValue(MIRROR_MAX_AGE, value).getDuration(MIRROR_MAX_AGE);
      if (!age.isNegative() && !age.isZero()) {
        return Optional.of(age);
      }
    } catch (ConfigException e) {
      // reported below
    }
    problems.addForKey(
        value,
        entry,
        MIRROR_MAX_AGE,
        "must be a positive duration such as 1h or 7d, not " + quote(FileProblems.render(value)));
    return Optional.empty();
  }
}
