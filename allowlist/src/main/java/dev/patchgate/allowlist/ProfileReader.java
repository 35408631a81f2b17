package dev.patchgate.allowlist;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigSyntax;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads one shipped profile file (HOCON, written by {@code allowlist/tools/generate-profiles.py}).
 *
 * <p>Strict on purpose: the files are generated, so an unknown key or a missing field means the
 * generator and this reader disagree, and that should fail the build rather than drop a field.
 */
final class ProfileReader {
  private static final String NAME = "name";
  private static final String TITLE = "title";
  private static final String LAST_VERIFIED = "last-verified";
  private static final String SOURCES = "sources";
  private static final String HOSTS = "hosts";
  private static final Set<String> PROFILE_KEYS =
      Set.of(NAME, TITLE, LAST_VERIFIED, SOURCES, HOSTS);

  private static final String HOST = "host";
  private static final String SCHEME = "scheme";
  private static final String PORT = "port";
  private static final String PATHS = "paths";
  private static final String PURPOSE = "purpose";
  private static final String EVIDENCE = "evidence";
  private static final Set<String> HOST_KEYS = Set.of(HOST, SCHEME, PORT, PATHS, PURPOSE, EVIDENCE);

  private ProfileReader() {}

  /**
   * Reads and validates a profile.
   *
   * @param url where the file is
   * @param resource the resource name, quoted in errors
   * @param expectedName the name the index gives it, which the file must repeat
   * @throws com.typesafe.config.ConfigException if the file is not valid HOCON or a field is
   *     missing or of the wrong type (the message names the resource and line)
   * @throws IllegalArgumentException for any other mistake, with its line
   */
  static Profile read(URL url, String resource, String expectedName) {
    ConfigParseOptions options =
        ConfigParseOptions.defaults()
            .setSyntax(ConfigSyntax.CONF)
            .setAllowMissing(false)
            .setOriginDescription(resource);
    Config config = ConfigFactory.parseURL(url, options).resolve();
    checkKeys(config.root(), PROFILE_KEYS);
    String name = config.getString(NAME);
    if (!name.equals(expectedName)) {
      throw new IllegalArgumentException(
          at(config.getValue(NAME).origin().lineNumber())
              + "name '"
              + name
              + "' does not match the file name '"
              + expectedName
              + "'");
    }
    List<ProfileHost> hosts = new ArrayList<>();
    List<ProfileHost> pathRestricted = new ArrayList<>();
    for (ConfigObject object : config.getObjectList(HOSTS)) {
      ProfileHost host = readHost(object);
      (host.paths().isEmpty() ? hosts : pathRestricted).add(host);
    }
    try {
      return new Profile(
          name,
          config.getString(TITLE),
          config.getString(LAST_VERIFIED),
          config.getStringList(SOURCES),
          hosts,
          pathRestricted);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at(config.root().origin().lineNumber()) + e.getMessage());
    }
  }

  private static ProfileHost readHost(ConfigObject object) {
    checkKeys(object, HOST_KEYS);
    Config host = object.toConfig();
    int line = object.origin().lineNumber();
    try {
      return new ProfileHost(
          host.getString(HOST),
          scheme(host.getString(SCHEME)),
          host.getInt(PORT),
          host.getString(PURPOSE),
          evidence(host.getString(EVIDENCE)),
          host.hasPath(PATHS) ? host.getStringList(PATHS) : List.of());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(at(line) + e.getMessage(), e);
    }
  }

  private static Scheme scheme(String text) {
    switch (text) {
      case "http":
        return Scheme.HTTP;
      case "https":
        return Scheme.HTTPS;
      default:
        throw new IllegalArgumentException("scheme '" + text + "' (expected: http or https)");
    }
  }

  private static ProfileHost.Evidence evidence(String text) {
    switch (text) {
      case "doc":
        return ProfileHost.Evidence.DOC;
      case "observed":
        return ProfileHost.Evidence.OBSERVED;
      default:
        throw new IllegalArgumentException(
            "evidence '"
                + text
                + "' (expected: doc or observed; unconfirmed hosts are never shipped)");
    }
  }

  private static void checkKeys(ConfigObject object, Set<String> known) {
    Set<String> unknown = new TreeSet<>(object.keySet());
    unknown.removeAll(known);
    if (!unknown.isEmpty()) {
      throw new IllegalArgumentException(
          at(object.origin().lineNumber())
              + "unknown key(s) "
              + unknown
              + " (expected: "
              + new TreeSet<>(known)
              + ")");
    }
  }

  private static String at(int line) {
    return line > 0 ? String.format(Locale.ROOT, "%d: ", line) : "";
  }
}
