package dev.patchgate.allowlist;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property check: on random allowlists (hosts and wildcards, profiles, ports, schemes, methods,
 * paths, client groups, schedules, report mode) and random requests, the indexed {@link
 * Allowlist#decide} says exactly what a plain scan of every entry in file order says ({@link
 * ScanningPolicy}). Seeds are fixed, so a failure names a file and a request that reproduce it.
 */
class DecideAgreesWithScanTest {
  private static final int FILES = 150;
  private static final int REQUESTS_PER_FILE = 300;

  private static final Profile PROFILE =
      new Profile(
          "vendor",
          "A vendor",
          "2024-01-01",
          List.of("https://vendor.example/docs"),
          List.of(
              new ProfileHost("*.example.com", Scheme.HTTP, 80, "payloads"),
              new ProfileHost("b.example.com", Scheme.HTTPS, 443, "metadata")),
          List.of(
              new ProfileHost(
                  "c.example.net",
                  Scheme.HTTP,
                  8080,
                  "certificates",
                  ProfileHost.Evidence.DOC,
                  List.of("/a/"))));

  private static final List<String> PATTERNS =
      List.of(
          "a.example.com",
          "b.example.com",
          "x.a.example.com",
          "example.com",
          "c.example.net",
          "*.example.com",
          "*.a.example.com",
          "*.x.a.example.com",
          "*.example.net",
          "10.0.0.1",
          "2001:db8::1");
  private static final List<String> HOSTS =
      List.of(
          "a.example.com",
          "b.example.com",
          "x.a.example.com",
          "y.x.a.example.com",
          "example.com",
          "c.example.net",
          "z.b.example.com",
          "other.example.org",
          "10.0.0.1",
          "[2001:db8::1]");
  private static final List<String> CLIENTS =
      List.of("10.10.1.1", "10.10.5.5", "10.20.0.3", "fd00:20::9", "10.99.0.1");
  private static final List<String> PATHS =
      List.of("/", "/a/x", "/a", "/ab", "/b/c/d", "/b/cd", "/x?p=/a/", "/a/?q");
  private static final List<String> SCHEDULES =
      List.of(
          "[\"Mon-Fri 22:00-06:00\"]",
          "[\"Sat,Sun 00:00-24:00\"]",
          "[\"Sun 22:00-02:00\", \"Wed 10:00-14:00\"]",
          "[\"Sun 02:00-03:30\"]");
  private static final List<String> ZONES = List.of("Asia/Tokyo", "UTC", "Europe/Berlin");

  /** A fortnight around Europe's switch to summer time (2024-03-31). */
  private static final Instant FROM = Instant.parse("2024-03-25T00:00:00Z");

  @Test
  void decideGivesTheSameAnswerAsScanningEveryEntry() {
    for (int seed = 1; seed <= FILES; seed++) {
      Random random = new Random(seed);
      String file = randomFile(random);
      Allowlist allowlist = Requests.allowlist(file, PROFILE);
      for (int i = 0; i < REQUESTS_PER_FILE; i++) {
        AccessRequest request = randomRequest(random);

        String decided = allowlist.decide(request).toString();

        assertThat(decided)
            .as(
                "seed %d, request %s %s from %s at %s, file:%n%s",
                seed,
                request.method(),
                request.target().url(),
                request.client(),
                request.at(),
                file)
            .isEqualTo(ScanningPolicy.decide(allowlist, request));
        assertThat(allowlist.explain(request).decision()).hasToString(decided);
      }
    }
  }

  private static String randomFile(Random random) {
    boolean groups = random.nextBoolean();
    StringBuilder file = new StringBuilder();
    file.append("time-zone = \"").append(pick(random, ZONES)).append("\"\n");
    if (groups) {
      file.append("clients {\n")
          .append("  g0 = [\"10.10.0.0/16\"]\n")
          .append("  g1 = [\"10.20.0.0/24\"]\n")
          .append("  g2 = [\"10.10.5.0/24\"]\n")
          .append("  g3 = [\"fd00:20::/64\"]\n")
          .append("}\n");
    }
    file.append("entries {\n");
    int entries = 1 + random.nextInt(12);
    for (int e = 0; e < entries; e++) {
      List<String> keys = new ArrayList<>();
      boolean profile = random.nextInt(5) == 0;
      boolean hosts = !profile || random.nextBoolean();
      if (profile) {
        keys.add("profile = vendor");
      }
      if (hosts) {
        List<String> patterns = new ArrayList<>();
        for (int h = 1 + random.nextInt(3); h > 0; h--) {
          patterns.add("\"" + pick(random, PATTERNS) + "\"");
        }
        keys.add("hosts = " + patterns);
        if (random.nextInt(3) == 0) {
          keys.add("ports = [" + pick(random, List.of("80", "443", "8080", "80, 8080")) + "]");
        }
      }
      String schemes = pick(random, List.of("", "[http]", "[https]", "[http, https]"));
      if (!schemes.isEmpty()) {
        keys.add("schemes = " + schemes);
      }
      boolean http = !schemes.equals("[https]");
      if (http && random.nextInt(4) == 0) {
        keys.add("methods = " + pick(random, List.of("[GET]", "[HEAD]", "[GET, HEAD]")));
      }
      if (http && !schemes.isEmpty() && random.nextInt(3) == 0) {
        keys.add("paths = " + pick(random, List.of("[\"/a/\"]", "[\"/a\", \"/b/c\"]", "[\"/\"]")));
      }
      if (groups && random.nextInt(2) == 0) {
        keys.add("clients = " + pick(random, List.of("[g0]", "[g1]", "[g2, g3]", "[g1, g2]")));
      }
      if (random.nextInt(3) == 0) {
        keys.add("schedule = " + pick(random, SCHEDULES));
      }
      if (random.nextInt(4) == 0) {
        keys.add("mode = report");
      }
      // One entry a line: entries on one line would be ordered by name, not as written.
      file.append("  e").append(e).append(" { ").append(String.join(", ", keys)).append(" }\n");
    }
    return file.append("}\n").toString();
  }

  private static AccessRequest randomRequest(Random random) {
    String method = pick(random, List.of("GET", "GET", "HEAD", "CONNECT"));
    String host = pick(random, HOSTS);
    String port = pick(random, List.of("80", "443", "8080"));
    String target =
        method.equals("CONNECT")
            ? host + ":" + port
            : "http://" + host + ":" + port + pick(random, PATHS);
    Instant at = FROM.plus(Duration.ofSeconds(random.nextInt(14 * 24 * 3600)));
    return Requests.request(pick(random, CLIENTS), method, target, at);
  }

  private static <T> T pick(Random random, List<T> choices) {
    return choices.get(random.nextInt(choices.size()));
  }
}
