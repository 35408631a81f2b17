package dev.patchgate.proxy.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * Gives each parent proxy the Basic credentials the administrator keeps outside the configuration
 * file: {@code patchgate.upstream.credentials-file} (readable by the service only), or the
 * environment variable {@code patchgate.upstream.credentials-env} names (a systemd credential, a
 * Windows service's environment).
 *
 * <p>Both hold lines {@code host:port user:password} ({@code #} starts a comment); the environment
 * variable may instead hold a single {@code user:password} for every parent. A line in the file
 * wins over the variable. Problems name the file and line, never a password.
 */
final class ParentCredentials {
  private final List<String> problems;
  private final SettingsReader settings;

  ParentCredentials(List<String> problems, SettingsReader settings) {
    this.problems = problems;
    this.settings = settings;
  }

  /**
   * The parents with their credentials filled in.
   *
   * @param file the credentials file, or empty
   * @param variable the environment variable's name, or empty
   * @param environment looks a variable up (the process's environment; a map in tests)
   */
  List<ParentProxy> apply(
      List<ParentProxy> parents,
      Optional<Path> file,
      Optional<String> variable,
      Function<String, String> environment) {
    List<ParentProxy> out = new ArrayList<>(parents);
    if (variable.isPresent()) {
      String value = environment.apply(variable.get());
      String where = "environment variable " + variable.get();
      if (value == null) {
        problems.add(
            settings.where("upstream.credentials-env")
                + "patchgate.upstream.credentials-env: "
                + where
                + " is not set (set it in the service's environment, or set credentials-env ="
                + " \"\")");
      } else if (!value.strip().contains(" ") && !value.strip().contains("\n")) {
        String[] pair = userAndPassword(value.strip(), where);
        if (pair != null) {
          out.replaceAll(p -> p.withCredentials(pair[0], pair[1]));
        }
      } else {
        readLines(value, where, out);
      }
    }
    if (file.isPresent()) {
      Path path = file.get();
      try {
        readLines(Files.readString(path, StandardCharsets.UTF_8), path.toString(), out);
      } catch (IOException e) {
        problems.add(
            settings.where("upstream.credentials-file")
                + "patchgate.upstream.credentials-file: cannot read "
                + path.toAbsolutePath()
                + " ("
                + e.getClass().getSimpleName()
                + "; it must exist and be readable by the gateway's user)");
      }
    }
    return out;
  }

  private void readLines(String text, String where, List<ParentProxy> parents) {
    String[] lines = text.split("\r?\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i].strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      String at = where + ":" + (i + 1) + ": ";
      int space = line.indexOf(' ');
      if (space < 0) {
        problems.add(
            at
                + "expected host:port user:password (the parent as patchgate.upstream.proxies"
                + " names it, a space, then the credentials)");
        continue;
      }
      String authority = line.substring(0, space).toLowerCase(Locale.ROOT);
      if (authority.startsWith("http://")) {
        authority = authority.substring("http://".length());
      }
      String[] pair = userAndPassword(line.substring(space + 1).strip(), at.strip());
      if (pair == null) {
        continue;
      }
      boolean found = false;
      for (int p = 0; p < parents.size(); p++) {
        if (parents.get(p).authority().equals(authority)) {
          parents.set(p, parents.get(p).withCredentials(pair[0], pair[1]));
          found = true;
        }
      }
      if (!found) {
        problems.add(
            at
                + "'"
                + authority
                + "' is none of the parents in patchgate.upstream.proxies (expected one of: "
                + String.join(", ", parents.stream().map(ParentProxy::authority).toList())
                + ")");
      }
    }
  }

  /** {@code user:password} split at the first colon; null (and a problem) when it has none. */
  private String[] userAndPassword(String value, String where) {
    int colon = value.indexOf(':');
    if (colon <= 0) {
      problems.add(
          where
              + (where.endsWith(":") ? " " : ": ")
              + "expected user:password after the parent (the value is not shown here)");
      return null;
    }
    return new String[] {value.substring(0, colon), value.substring(colon + 1)};
  }
}
