package dev.patchgate.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code patchgate_<version>_all.deb}, read with Debian's own tools: its control data,
 * conffiles, file list and maintainer scripts; its systemd unit through {@code systemd-analyze
 * verify}; and its launcher running {@code check-config} on the configuration it ships.
 *
 * <p>On a machine without {@code dpkg-deb} or {@code systemd-analyze} the tests are skipped, unless
 * {@code PATCHGATE_PACKAGE_TESTS=required} (set by {@code .ci/run}, which installs both), where a
 * missing tool fails them.
 */
final class PackageIT {
  private static final Path DEB = Path.of(System.getProperty("patchgate.deb", "missing.deb"));

  @TempDir static Path work;
  private static Path root;
  private static Path control;

  @BeforeAll
  static void unpack() throws Exception {
    requireTool("dpkg-deb");
    assertThat(DEB).as("the package built by `mvn package`").isRegularFile();
    root = work.resolve("root");
    control = work.resolve("control");
    ok(run("dpkg-deb", "-x", DEB.toString(), root.toString()));
    ok(run("dpkg-deb", "-e", DEB.toString(), control.toString()));
  }

  @Test
  void controlNamesThePackageAndNeedsAJava17Runtime() throws Exception {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : List.of("Package", "Architecture", "Version", "Depends")) {
      fields.put(field, ok(run("dpkg-deb", "-f", DEB.toString(), field)).strip());
    }

    assertThat(fields)
        .containsEntry("Package", "patchgate")
        .containsEntry("Architecture", "all")
        .containsEntry(
            "Depends",
            "default-jre-headless (>= 2:1.17) | openjdk-17-jre-headless"
                + " | java17-runtime-headless, adduser");
    assertThat(fields.get("Version")).startsWith("0.");
    assertThat(ok(run("dpkg-deb", "-I", DEB.toString())))
        .contains("postinst", "prerm", "postrm", "conffiles");
  }

  @Test
  void configurationFilesAreConffilesSoEditsSurviveUpgrades() throws IOException {
    assertThat(Files.readAllLines(control.resolve("conffiles"), UTF_8))
        .containsExactlyInAnyOrder(
            "/etc/default/patchgate",
            "/etc/patchgate/patchgate.conf",
            "/etc/patchgate/allowlist.conf");
  }

  @Test
  void packageHoldsTheJarLauncherUnitConfigurationAndMonitoringFiles() throws Exception {
    Map<String, String> modes = new LinkedHashMap<>();
    for (String line : ok(run("dpkg-deb", "-c", DEB.toString())).split("\n")) {
      String[] columns = line.trim().split("\\s+");
      String path = columns[columns.length - 1].replaceFirst("^\\.", "");
      if (!columns[0].startsWith("d")) {
        modes.put(path, columns[0] + " " + columns[1]);
      }
    }

    assertThat(modes)
        .containsOnly(
            Map.entry("/usr/share/patchgate/patchgate.jar", "-rw-r--r-- root/root"),
            Map.entry("/usr/bin/patchgate", "-rwxr-xr-x root/root"),
            Map.entry("/lib/systemd/system/patchgate.service", "-rw-r--r-- root/root"),
            Map.entry("/etc/default/patchgate", "-rw-r--r-- root/root"),
            Map.entry("/etc/patchgate/patchgate.conf", "-rw-r----- root/root"),
            Map.entry("/etc/patchgate/allowlist.conf", "-rw-r----- root/root"),
            Map.entry("/usr/share/doc/patchgate/README.md", "-rw-r--r-- root/root"),
            Map.entry(
                "/usr/share/patchgate/monitoring/patchgate-dashboard.json", "-rw-r--r-- root/root"),
            Map.entry(
                "/usr/share/patchgate/monitoring/patchgate-alerts.yml", "-rw-r--r-- root/root"),
            Map.entry(
                "/usr/share/patchgate/monitoring/prometheus-scrape.yml", "-rw-r--r-- root/root"),
            Map.entry("/usr/share/patchgate/keepalived/keepalived.conf", "-rw-r--r-- root/root"));
    assertThat(root.resolve("usr/share/patchgate/patchgate.jar"))
        .hasSameBinaryContentAs(Path.of("../proxy/target/patchgate.jar"));
    assertThat(root.resolve("usr/share/patchgate/monitoring/patchgate-dashboard.json"))
        .hasSameBinaryContentAs(Path.of("grafana/patchgate-dashboard.json"));
    assertThat(root.resolve("usr/share/patchgate/monitoring/patchgate-alerts.yml"))
        .hasSameBinaryContentAs(Path.of("prometheus/patchgate-alerts.yml"));
    assertThat(root.resolve("usr/share/patchgate/keepalived/keepalived.conf"))
        .hasSameBinaryContentAs(Path.of("keepalived/keepalived.conf"));
  }

  @Test
  void shippedConfigurationPointsAtEtcAndVarLib() throws IOException {
    assertThat(Files.readString(root.resolve("etc/patchgate/patchgate.conf"), UTF_8))
        .contains(
            "allowlist = \"/etc/patchgate/allowlist.conf\"",
            "users = \"/etc/patchgate/console-users.conf\"",
            "dir = \"/var/lib/patchgate/audit\"",
            "dir = \"/var/lib/patchgate/mirror\"");
  }

  @Test
  void postinstCreatesTheSystemUserAndItsStateDirectories() throws Exception {
    String postinst = script("postinst");

    assertThat(postinst)
        .contains("adduser --system --group --home /var/lib/patchgate")
        .contains("/var/lib/patchgate/mirror /var/lib/patchgate/audit")
        .contains("chown patchgate:patchgate \"$dir\"")
        .contains("chown root:patchgate \"$file\"")
        .contains("printf 'users {}\\n' > /etc/patchgate/console-users.conf")
        .contains("/etc/patchgate/console-users.conf; do")
        .contains("systemctl enable patchgate.service");
  }

  @Test
  void prermStopsTheServiceAndOnlyPurgeRemovesConfigurationUserAndState() throws Exception {
    assertThat(script("prerm")).contains("systemctl stop patchgate.service");

    String postrm = script("postrm");
    String remove = between(postrm, "  remove)", ";;");
    String purge = between(postrm, "  purge)", ";;");
    assertThat(remove).doesNotContain("rm ", "deluser");
    assertThat(purge)
        .contains("rm -rf /etc/patchgate /var/lib/patchgate")
        .contains("deluser --system patchgate");
  }

  @Test
  void unitIsHardenedAndRunsAsThePatchgateUser() throws IOException {
    Map<String, String> unit = new LinkedHashMap<>();
    for (String line : Files.readAllLines(unitFile(), UTF_8)) {
      int equals = line.indexOf('=');
      if (equals > 0 && !line.startsWith("#")) {
        unit.put(line.substring(0, equals), line.substring(equals + 1));
      }
    }

    assertThat(unit)
        .containsEntry("Type", "simple")
        .containsEntry("User", "patchgate")
        .containsEntry("ExecStart", "/usr/bin/patchgate run --config /etc/patchgate/patchgate.conf")
        // systemctl reload: run re-reads the allowlist on SIGHUP.
        .containsEntry("ExecReload", "/bin/kill -HUP $MAINPID")
        .containsEntry("Restart", "on-failure")
        .containsEntry("ProtectSystem", "strict")
        .containsEntry("ReadWritePaths", "/var/lib/patchgate")
        .containsEntry("NoNewPrivileges", "yes")
        .containsEntry("PrivateTmp", "yes")
        .containsEntry("ProtectHome", "yes")
        .containsEntry("CapabilityBoundingSet", "")
        .containsEntry("SystemCallFilter", "@system-service")
        .containsEntry("LimitNOFILE", "65536")
        .containsEntry("EnvironmentFile", "-/etc/default/patchgate");
    // $MAINPID must be the JVM, not a shell that would die of the SIGHUP: the launcher execs java.
    assertThat(Files.readString(root.resolve("usr/bin/patchgate"), UTF_8)).contains("exec java ");
    // run's stop is bounded at 23 s (the sum of its steps' limits); systemd must not kill it first.
    assertThat(seconds(unit.get("TimeoutStopSec"))).isGreaterThan(23);
    // The cgroup limit covers the worst case: the whole heap, the direct buffers the JVM is given,
    // and 256 MiB for code, classes, threads and the collector (README, "Sizing").
    String javaOpts = Files.readString(root.resolve("etc/default/patchgate"), UTF_8);
    long jvm = mebibytes(javaOpts, "-Xmx") + mebibytes(javaOpts, "-XX:MaxDirectMemorySize=");
    assertThat(mebibytes(unit.get("MemoryMax"), "")).isGreaterThanOrEqualTo(jvm + 256);
  }

  @Test
  void systemdAnalyzeAcceptsTheUnit() throws Exception {
    requireTool("systemd-analyze");
    // verify wants ExecStart's binary to exist: point it at the launcher unpacked from the package.
    Path verified = Files.createDirectories(work.resolve("verify")).resolve("patchgate.service");
    String launcher = root.resolve("usr/bin/patchgate").toString();
    Files.writeString(
        verified,
        Files.readString(unitFile(), UTF_8)
            .replace("ExecStart=/usr/bin/patchgate ", "ExecStart=" + launcher + " "),
        UTF_8);

    Result result = run("systemd-analyze", "verify", verified.toString());

    // verify exits 0 even for unknown keys and bad values; it warns about them instead.
    assertThat(result.output()).isEmpty();
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void launcherChecksTheShippedConfigurationAndExitsZero() throws Exception {
    // The shipped file, unchanged, with only the allowlist path moved into the unpacked tree.
    Path allowlist = root.resolve("etc/patchgate/allowlist.conf");
    Path config = work.resolve("check.conf");
    Files.writeString(
        config,
        "include file(\""
            + root.resolve("etc/patchgate/patchgate.conf")
            + "\")\npatchgate.allowlist = \""
            + allowlist
            + "\"\n",
        UTF_8);
    Path launcher = root.resolve("usr/bin/patchgate");
    assertThat(Files.getPosixFilePermissions(launcher)).contains(PosixFilePermission.OWNER_EXECUTE);

    Result result =
        run(
            Map.of(
                "PATCHGATE_JAR", root.resolve("usr/share/patchgate/patchgate.jar").toString(),
                "PATCHGATE_DEFAULTS", root.resolve("etc/default/patchgate").toString()),
            launcher.toString(),
            "check-config",
            "--config",
            config.toString());

    assertThat(result.output()).contains("configuration OK", allowlist.toString());
    assertThat(result.exitCode()).isZero();
  }

  @Test
  void withoutConfigTheLauncherReadsTheFileItsDefaultsName() throws Exception {
    Path allowlist = root.resolve("etc/patchgate/allowlist.conf");
    Path config = work.resolve("named.conf");
    Files.writeString(config, "patchgate.allowlist = \"" + allowlist + "\"\n", UTF_8);
    // The shipped defaults with PATCHGATE_CONFIG pointed into the unpacked tree, as on a server
    // it names /etc/patchgate/patchgate.conf.
    String shipped = Files.readString(root.resolve("etc/default/patchgate"), UTF_8);
    assertThat(shipped).contains("PATCHGATE_CONFIG=/etc/patchgate/patchgate.conf");
    Path defaults = work.resolve("default-patchgate");
    Files.writeString(
        defaults, shipped.replace("/etc/patchgate/patchgate.conf", config.toString()), UTF_8);

    Result result =
        run(
            Map.of(
                "PATCHGATE_JAR", root.resolve("usr/share/patchgate/patchgate.jar").toString(),
                "PATCHGATE_DEFAULTS", defaults.toString()),
            root.resolve("usr/bin/patchgate").toString(),
            "check-config");

    assertThat(result.output()).contains("configuration OK", allowlist.toString());
    assertThat(result.exitCode()).isZero();
  }

  private static Path unitFile() {
    return root.resolve("lib/systemd/system/patchgate.service");
  }

  /** A maintainer script's text, after {@code sh -n} has accepted its syntax. */
  private static String script(String name) throws Exception {
    Path script = control.resolve(name);
    assertThat(Files.getPosixFilePermissions(script))
        .as(name + " is executable")
        .containsAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
    ok(run("sh", "-n", script.toString()));
    return Files.readString(script, UTF_8);
  }

  private static String between(String text, String start, String end) {
    int from = text.indexOf(start);
    assertThat(from).as("'" + start + "' in the script").isNotNegative();
    return text.substring(from, text.indexOf(end, from));
  }

  private static long seconds(String duration) {
    assertThat(duration).matches("\\d+s?");
    return Long.parseLong(duration.replace("s", ""));
  }

  private static long mebibytes(String text, String prefix) {
    Matcher size = Pattern.compile(Pattern.quote(prefix) + "(\\d+)([mMgG])").matcher(text);
    assertThat(size.find()).as(prefix + "<size> in " + text).isTrue();
    long value = Long.parseLong(size.group(1));
    return size.group(2).equalsIgnoreCase("g") ? value * 1024 : value;
  }

  private static void requireTool(String tool) throws Exception {
    boolean present = run("sh", "-c", "command -v " + tool).exitCode() == 0;
    if ("required".equals(System.getenv("PATCHGATE_PACKAGE_TESTS"))) {
      assertThat(present).as(tool + " is installed (.ci/run installs it)").isTrue();
    }
    assumeTrue(present, tool + " is not installed");
  }

  private static String ok(Result result) {
    assertThat(result.exitCode()).as(result.output()).isZero();
    return result.output();
  }

  private static Result run(String... command) throws Exception {
    return run(Map.of(), command);
  }

  private static Result run(Map<String, String> environment, String... command) throws Exception {
    ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(List.of(command)));
    builder.environment().putAll(environment);
    builder.redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).as(String.join(" ", command)).isTrue();
    return new Result(process.exitValue(), output);
  }

  private record Result(int exitCode, String output) {}
}
