package dev.patchgate.proxy.console.data;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.report.KbSources;
import dev.patchgate.proxy.console.users.ConsoleUser;
import dev.patchgate.proxy.console.users.Role;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A hospital's week for the console's data tests: a real allowlist file with two client groups and
 * two entries, and a real audit directory written by the gateway's own chained writer.
 *
 * <p>Allowed downloads: 10.10.1.5 gets KB5034441 whole from the mirror (yesterday), 10.20.0.7 the
 * EMR client through {@code emr-vendor}, 10.10.1.6 part of KB5034441; one download ten days ago
 * lies outside the default period. Denied: 10.10.1.5 to evil.example, 10.20.0.7 to the EMR host on
 * port 8080, the unregistered 10.99.0.1, and 10.10.1.5 with a hostile URL (markup, a bidi control,
 * 300 characters).
 */
final class ConsoleFixtures {
  static final Instant NOW = Instant.parse("2026-11-24T12:00:00Z");
  static final String KB_CAB =
      "http://download.windowsupdate.com/c/msdownload/update/software/secu/2024/01/"
          + "windows10.0-kb5034441-x64_0123456789abcdef0123456789abcdef01234567.cab";
  static final String EMR_MSI = "http://download.emr.example/pkg/emr-client-5.2.msi";
  static final String HOSTILE_URL =
      "http://evil.example/<script>alert(1)</script>/\u202egnp.exe/" + "a".repeat(240) + ".cab";
  static final String ALLOWLIST =
      """
      clients {
        his-pcs = ["10.10.1.0/24"]
        emr     = ["10.20.0.0/24"]
      }
      entries {
        windows-update { hosts = ["download.windowsupdate.com"], schemes = [http], clients = [his-pcs] }
        emr-vendor     { hosts = ["download.emr.example"], schemes = [http] }
      }
      """;
  static final KbSources KB_SOURCES =
      KbSources.of(
          "the Windows Update host", (host, entry) -> "download.windowsupdate.com".equals(host));

  static final ConsoleUser ADMIN = new ConsoleUser("root", Role.ADMIN, List.of(), List.of());
  static final ConsoleUser EMR_BY_ENTRY =
      new ConsoleUser("emr-eng", Role.VENDOR, List.of("emr-vendor"), List.of());
  static final ConsoleUser EMR_BY_GROUP =
      new ConsoleUser("emr-ops", Role.VENDOR, List.of(), List.of("emr"));

  private ConsoleFixtures() {}

  static Path allowlistFile(Path dir) throws Exception {
    Path file = dir.resolve("allowlist.conf");
    Files.writeString(file, ALLOWLIST);
    return file;
  }

  static Allowlist allowlist() throws Exception {
    return Allowlist.parse(ALLOWLIST, "allowlist.conf");
  }

  /** Writes the week's audit directory with the gateway's writer and returns it. */
  static Path auditDir(Path dir) {
    Path audit = dir.resolve("audit");
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(audit, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(50));
    try (writer) {
      writer.append(
          allowed("old", ago(Duration.ofDays(10)), "10.10.1.5", KB_CAB, 1000, 1000, "hit"));
      writer.append(allowed("d1", ago(Duration.ofDays(1)), "10.10.1.5", KB_CAB, 1000, 1000, "hit"));
      writer.append(
          allowed("d3", ago(Duration.ofHours(3)), "10.10.1.6", KB_CAB, 400, 1000, "miss"));
      writer.append(
          allowed("d2", ago(Duration.ofHours(2)), "10.20.0.7", EMR_MSI, 5000, 5000, "miss"));
      writer.append(
          denied(
              "x1",
              ago(Duration.ofHours(1)),
              "10.10.1.5",
              "http://evil.example/x.exe",
              "evil.example",
              "host not in allowlist"));
      writer.append(
          denied(
              "x2",
              ago(Duration.ofMinutes(30)),
              "10.20.0.7",
              "http://download.emr.example:8080/pkg/emr-client-5.3.msi",
              "download.emr.example",
              "port not allowed for this host"));
      writer.append(
          denied(
              "x3",
              ago(Duration.ofMinutes(20)),
              "10.99.0.1",
              "http://download.windowsupdate.com/a.cab",
              "download.windowsupdate.com",
              "unregistered client"));
      writer.append(
          denied(
              "x4",
              ago(Duration.ofMinutes(10)),
              "10.10.1.5",
              HOSTILE_URL,
              "evil.example",
              "host not in allowlist"));
    }
    return audit;
  }

  static Instant ago(Duration d) {
    return NOW.minus(d);
  }

  private static AuditRecord allowed(
      String id, Instant ts, String client, String url, long sent, long length, String cache) {
    boolean windows = url.startsWith("http://download.windowsupdate.com/");
    return exchange(
        id,
        ts,
        client,
        url,
        windows ? "download.windowsupdate.com" : "download.emr.example",
        AuditDecision.ALLOW,
        windows ? "windows-update" : "emr-vendor",
        null,
        200,
        sent,
        length,
        cache.equals("hit") ? CacheOutcome.HIT : CacheOutcome.MISS);
  }

  private static AuditRecord denied(
      String id, Instant ts, String client, String url, String host, String reason) {
    return exchange(
        id,
        ts,
        client,
        url,
        host,
        AuditDecision.DENY,
        null,
        reason,
        403,
        300,
        null,
        CacheOutcome.NONE);
  }

  /** A GET exchange on port 80; fields the console does not read get fixed values. */
  private static AuditRecord exchange(
      String id,
      Instant ts,
      String client,
      String url,
      String host,
      AuditDecision decision,
      String entry,
      String reason,
      int status,
      long sent,
      Long length,
      CacheOutcome cache) {
    return new AuditRecord(
        ts, id, client, null, "GET", url, host, 80, decision, entry, reason, false, status, sent, 0,
        1, null, length, cache, null, null, null);
  }
}
