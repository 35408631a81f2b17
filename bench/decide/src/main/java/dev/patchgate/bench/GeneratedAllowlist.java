package dev.patchgate.bench;

/**
 * Writes allowlist files of any size with the mix a large hospital group might have: mostly exact
 * hosts, a quarter wildcards, some IP literals; a third of the entries limited to client groups, a
 * fifth to night and weekend schedules, some to other ports or to plain HTTP below a path, a few
 * in report mode. Two probe entries sit in the middle of the file, so the benchmarks measure a hit
 * that passes every kind of check.
 */
final class GeneratedAllowlist {
  static final int GROUPS = 20;

  /** An exact host of the probe entry; it serves group g3, at night and on weekends. */
  static final String EXACT_HOST = "download.probe.example.com";

  /** The suffix of the probe wildcard entry, which serves group g3 on any day. */
  static final String WILDCARD_SUFFIX = "probe-cdn.example.net";

  /** A client in group g3. */
  static final String CLIENT = "10.3.1.5";

  private GeneratedAllowlist() {}

  static String text(int entries) {
    StringBuilder file = new StringBuilder(entries * 120);
    file.append("time-zone = \"Asia/Tokyo\"\n");
    file.append("clients {\n");
    for (int g = 0; g < GROUPS; g++) {
      file.append("  g").append(g).append(" = [\"10.").append(g).append(".0.0/16\", \"fd00:");
      file.append(Integer.toHexString(g + 1)).append("::/64\"]\n");
    }
    file.append("}\n");
    file.append("entries {\n");
    for (int i = 0; i < entries; i++) {
      if (i == entries / 2) {
        file.append("  probe-exact { hosts = [\"")
            .append(EXACT_HOST)
            .append("\"], clients = [g3], schedule = [\"Mon-Fri 22:00-06:00\",")
            .append(" \"Sat,Sun 00:00-24:00\"], schemes = [http, https], paths = [\"/c/\"] }\n");
        file.append("  probe-wildcard { hosts = [\"*.")
            .append(WILDCARD_SUFFIX)
            .append("\"], clients = [g3, g4] }\n");
      }
      file.append("  e").append(i).append(" { ").append(entry(i)).append(" }\n");
    }
    return file.append("}\n").toString();
  }

  private static String entry(int i) {
    StringBuilder keys = new StringBuilder();
    int kind = i % 20;
    String vendor = "vendor" + (i % 997) + ".example.com";
    if (kind < 13) {
      keys.append("hosts = [\"dl").append(i).append('.').append(vendor).append('"');
      if (i % 3 == 0) {
        keys.append(", \"api").append(i).append('.').append(vendor).append('"');
      }
      keys.append(']');
    } else if (kind < 18) {
      keys.append("hosts = [\"*.cdn").append(i).append(".example.net\"]");
    } else {
      keys.append("hosts = [\"10.")
          .append(100 + i % 100)
          .append('.')
          .append(i / 256 % 256)
          .append('.')
          .append(i % 256)
          .append("\"]");
    }
    if (i % 7 == 0) {
      keys.append(", ports = [80, 8080]");
    }
    if (i % 11 == 0) {
      keys.append(", schemes = [http], paths = [\"/updates/\"]");
    }
    if (i % 3 == 0) {
      keys.append(", clients = [g").append(i % GROUPS).append(']');
    }
    if (i % 5 == 0) {
      keys.append(", schedule = [\"Mon-Fri 22:00-06:00\", \"Sat,Sun 00:00-24:00\"]");
    }
    if (i % 50 == 0) {
      keys.append(", mode = report");
    }
    return keys.toString();
  }
}
