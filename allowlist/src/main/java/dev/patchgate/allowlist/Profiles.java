package dev.patchgate.allowlist;

import com.typesafe.config.ConfigException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The curated profiles shipped inside patchgate: one HOCON resource per profile under {@code
 * dev/patchgate/allowlist/profiles/}, listed in {@code index.txt} there (a jar's resources cannot
 * be listed), generated from the reference endpoint table by {@code
 * allowlist/tools/generate-profiles.py}.
 *
 * <p>Thread-safe. The files are read once, on first use. A shipped file that cannot be read is a
 * bug in patchgate, not the administrator's mistake, so it fails every call with an {@link
 * IllegalStateException} naming the resource.
 */
public final class Profiles {
  static final String DIRECTORY = "dev/patchgate/allowlist/profiles/";
  static final String INDEX = "index.txt";

  private static volatile List<Profile> loaded;

  private Profiles() {}

  /**
   * Every profile, sorted by name; unmodifiable.
   *
   * @throws IllegalStateException if a shipped profile file is missing or malformed
   */
  public static List<Profile> all() {
    List<Profile> profiles = loaded;
    if (profiles == null) {
      synchronized (Profiles.class) {
        profiles = loaded;
        if (profiles == null) {
          profiles = load(Profiles.class.getClassLoader(), DIRECTORY);
          loaded = profiles;
        }
      }
    }
    return profiles;
  }

  /**
   * The profile called {@code name}, if patchgate ships one.
   *
   * @throws IllegalStateException if a shipped profile file is missing or malformed
   */
  public static Optional<Profile> find(String name) {
    return all().stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /**
   * Every profile as {@link #describe(Profile)} renders it, separated by blank lines: the text of
   * {@code patchgate profiles}.
   *
   * @throws IllegalStateException if a shipped profile file is missing or malformed
   */
  public static String describe() {
    StringBuilder out = new StringBuilder();
    for (Profile profile : all()) {
      if (out.length() > 0) {
        out.append('\n');
      }
      out.append(describe(profile));
    }
    return out.toString();
  }

  /**
   * One profile for a terminal: name and title, last-verified date, sources, then one line per host
   * rule with scheme, port, host (and paths), purpose and evidence. Ends with a newline.
   */
  public static String describe(Profile profile) {
    StringBuilder out = new StringBuilder();
    out.append(profile.name()).append(" - ").append(profile.title()).append('\n');
    out.append("  last verified: ").append(profile.lastVerified()).append('\n');
    out.append("  sources:\n");
    for (String source : profile.sources()) {
      out.append("    ").append(source).append('\n');
    }
    List<ProfileHost> rules = profile.allRules();
    out.append("  hosts (").append(rules.size()).append("):\n");
    int width = rules.stream().mapToInt(h -> target(h).length()).max().orElse(0);
    for (ProfileHost host : rules) {
      out.append(
          String.format(
              Locale.ROOT,
              "    %-5s %5d  %-" + width + "s  %s [%s]\n",
              host.scheme().name().toLowerCase(Locale.ROOT),
              host.port(),
              target(host),
              host.purpose(),
              host.evidence().name().toLowerCase(Locale.ROOT)));
    }
    return out.toString();
  }

  /**
   * Reads every profile listed in {@code directory + "index.txt"}; package-private so tests can
   * prove that a broken file fails with its name.
   *
   * @throws IllegalStateException naming the resource that is missing or malformed
   */
  static List<Profile> load(ClassLoader loader, String directory) {
    List<Profile> profiles = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    for (String name : index(loader, directory + INDEX)) {
      String resource = directory + name + ".conf";
      if (!seen.add(name)) {
        throw new IllegalStateException(directory + INDEX + " lists '" + name + "' twice");
      }
      URL url = loader.getResource(resource);
      if (url == null) {
        throw new IllegalStateException(
            "profile resource " + resource + " is listed in " + INDEX + " but missing");
      }
      try {
        profiles.add(ProfileReader.read(url, resource, name));
      } catch (ConfigException e) {
        // Typesafe Config starts its message with the origin ("resource: line"), when it has one.
        String where = e.origin() == null ? resource + ": " : "";
        throw new IllegalStateException("profile resource " + where + e.getMessage(), e);
      } catch (IllegalArgumentException e) {
        throw new IllegalStateException("profile resource " + resource + ": " + e.getMessage(), e);
      }
    }
    profiles.sort(Comparator.comparing(Profile::name));
    return List.copyOf(profiles);
  }

  private static List<String> index(ClassLoader loader, String resource) {
    InputStream in = loader.getResourceAsStream(resource);
    if (in == null) {
      throw new IllegalStateException("profile index " + resource + " is missing");
    }
    List<String> names = new ArrayList<>();
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        String name = line.strip();
        if (!name.isEmpty() && !name.startsWith("#")) {
          names.add(name);
        }
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read profile index " + resource, e);
    }
    return names;
  }

  private static String target(ProfileHost host) {
    return host.paths().isEmpty()
        ? host.pattern()
        : host.pattern() + " " + String.join(" ", host.paths());
  }
}
