package dev.patchgate.deploy;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The built {@code patchgate-<version>.zip}: its layout (monitoring files included), its Windows
 * launcher and WinSW service definition, and its Unix launcher running {@code check-config} on the
 * configuration it ships.
 */
final class ZipIT {
  private static final Path ZIP = Path.of(System.getProperty("patchgate.zip", "missing.zip"));

  @TempDir static Path work;
  private static Path home;
  private static final List<String> entries = new ArrayList<>();

  @BeforeAll
  static void unpack() throws IOException {
    assertThat(ZIP).as("the zip built by `mvn package`").isRegularFile();
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(ZIP))) {
      for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
        Path target = work.resolve(entry.getName()).normalize();
        assertThat(target.startsWith(work)).as(entry.getName()).isTrue();
        if (entry.isDirectory()) {
          Files.createDirectories(target);
        } else {
          entries.add(entry.getName());
          Files.createDirectories(target.getParent());
          Files.copy(zip, target);
        }
      }
    }
    home = work.resolve(ZIP.getFileName().toString().replaceFirst("\\.zip$", ""));
  }

  @Test
  void zipHoldsLaunchersServiceDefinitionConfigurationJarAndMonitoringFiles() throws IOException {
    String base = home.getFileName() + "/";

    assertThat(entries)
        .containsExactlyInAnyOrder(
            base + "bin/patchgate",
            base + "bin/patchgate.cmd",
            base + "bin/patchgate-service.xml",
            base + "conf/patchgate.conf",
            base + "conf/allowlist.conf",
            base + "lib/patchgate.jar",
            base + "monitoring/patchgate-dashboard.json",
            base + "monitoring/patchgate-alerts.yml",
            base + "monitoring/prometheus-scrape.yml",
            base + "README.md");
    assertThat(home.resolve("lib/patchgate.jar"))
        .hasSameBinaryContentAs(Path.of("../proxy/target/patchgate.jar"));
    assertThat(home.resolve("monitoring/patchgate-dashboard.json"))
        .hasSameBinaryContentAs(Path.of("grafana/patchgate-dashboard.json"));
    assertThat(home.resolve("monitoring/patchgate-alerts.yml"))
        .hasSameBinaryContentAs(Path.of("prometheus/patchgate-alerts.yml"));
  }

  @Test
  void windowsLauncherRunsTheJarWithCrlfLineEndings() throws IOException {
    String cmd = Files.readString(home.resolve("bin/patchgate.cmd"), UTF_8);

    assertThat(cmd).contains("-jar \"%APP_HOME%\\lib\\patchgate.jar\" %*");
    assertThat(cmd.replace("\r\n", "")).doesNotContain("\n");
  }

  @Test
  void everyZipLauncherStartsTheJvmWithTheDebsSizing() throws Exception {
    // The options bench/soak measured (README, "Sizing"): one set, whichever way the gateway runs.
    Matcher deb =
        Pattern.compile("(?m)^JAVA_OPTS=\"([^\"]+)\"$")
            .matcher(Files.readString(Path.of("src/deb/files/default"), UTF_8));
    assertThat(deb.find()).as("JAVA_OPTS in src/deb/files/default").isTrue();
    String options = deb.group(1);
    assertThat(options).contains("-Xmx", "-XX:MaxDirectMemorySize=", "-XX:+UseG1GC");
    Document service;
    try (InputStream xml = Files.newInputStream(home.resolve("bin/patchgate-service.xml"))) {
      service = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml);
    }

    assertThat(Files.readString(home.resolve("bin/patchgate"), UTF_8))
        .contains("${JAVA_OPTS:-" + options + "}");
    assertThat(Files.readString(home.resolve("bin/patchgate.cmd"), UTF_8))
        .contains("set \"JAVA_OPTS=" + options + "\"");
    assertThat(text(service, "arguments")).startsWith(options + " -jar ");
  }

  @Test
  void winswDefinitionRunsTheGatewayFromTheInstallDirectory() throws Exception {
    Document service;
    try (InputStream xml = Files.newInputStream(home.resolve("bin/patchgate-service.xml"))) {
      service = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(xml);
    }

    assertThat(text(service, "id")).isEqualTo("patchgate");
    assertThat(text(service, "executable")).isEqualTo("java");
    assertThat(text(service, "arguments"))
        .endsWith(
            "-jar \"%BASE%\\..\\lib\\patchgate.jar\" run --config"
                + " \"%BASE%\\..\\conf\\patchgate.conf\"");
    assertThat(text(service, "workingdirectory")).isEqualTo("%BASE%\\..");
    assertThat(text(service, "startmode")).isEqualTo("Automatic");
    assertThat(text(service, "stoptimeout")).isEqualTo("30 sec");
    assertThat(service.getElementsByTagName("onfailure").item(0).getAttributes())
        .satisfies(
            attributes ->
                assertThat(attributes.getNamedItem("action").getNodeValue()).isEqualTo("restart"));
    assertThat(
            service
                .getElementsByTagName("log")
                .item(0)
                .getAttributes()
                .getNamedItem("mode")
                .getNodeValue())
        .isEqualTo("roll-by-size");
  }

  @Test
  void launcherChecksTheShippedConfigurationFromTheInstallDirectory() throws Exception {
    ProcessBuilder builder =
        new ProcessBuilder("sh", "bin/patchgate", "check-config", "--config", "conf/patchgate.conf")
            .directory(home.toFile())
            .redirectErrorStream(true);
    Process process = builder.start();
    process.getOutputStream().close();
    String output = new String(process.getInputStream().readAllBytes(), UTF_8);
    assertThat(process.waitFor(2, TimeUnit.MINUTES)).isTrue();

    assertThat(output).contains("configuration OK", "conf/allowlist.conf");
    assertThat(process.exitValue()).as(output).isZero();
  }

  private static String text(Document document, String element) {
    return document.getElementsByTagName(element).item(0).getTextContent().strip();
  }
}
