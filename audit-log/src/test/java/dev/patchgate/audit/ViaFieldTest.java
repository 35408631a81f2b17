package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code via} field: the site gateway that relayed a PC's request to a central gateway. It is
 * written right after {@code client}, reads back, and an audit directory whose older days were
 * written before the field existed still verifies as one chain.
 */
class ViaFieldTest {
  private static final String SITE_GATEWAY = "192.0.2.10";

  @TempDir Path dir;

  @Test
  void aRelayedRecordNamesThePcAsClientAndTheSiteGatewayAsViaRightAfterIt() {
    String json = AuditJson.toJson(relayed("r-1", AuditRecords.ARRIVED));

    Map<String, Object> fields = AuditJsonReader.readObject(json);

    assertThat(fields.keySet()).containsExactlyElementsOf(AuditFields.IN_ORDER);
    assertThat(fields).contains(entry("client", "10.1.2.3"), entry("via", SITE_GATEWAY));
    assertThat(json).contains("\"client\":\"10.1.2.3\",\"via\":\"" + SITE_GATEWAY + "\",");
  }

  @Test
  void aRecordStraightFromThePcHasViaNull() {
    String json = AuditJson.toJson(AuditRecords.allowedDownload("r-1"));

    assertThat(json).contains("\"client\":\"10.1.2.3\",\"via\":null,");
  }

  @Test
  void aLogWhoseOlderDayHasNoViaFieldVerifiesAcrossTheUpgrade() throws Exception {
    // Day 1, as a gateway without the field wrote it.
    Instant day1 = Instant.parse("2026-11-21T09:00:00Z");
    HashChain chain = HashChain.empty();
    ByteArrayOutputStream oldDay = new ByteArrayOutputStream();
    for (int i = 1; i <= 3; i++) {
      String body = withoutVia(AuditRecords.withTs("old-" + i, day1.plusSeconds(i)));
      HashChain.Sealed line = chain.next(body.getBytes(StandardCharsets.UTF_8));
      chain.advanceTo(line);
      oldDay.write(line.bytes());
    }
    Files.write(dir.resolve("audit-2026-11-21.jsonl"), oldDay.toByteArray());
    // Day 2: the upgraded gateway continues the same chain, with the field.
    Instant day2 = Instant.parse("2026-11-22T09:00:00Z");
    JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(
            new AuditWriterSettings(dir, Duration.ofMillis(20), 400, false), new FakeClock(day2));
    try {
      writer.append(relayed("new-1", day2.plusSeconds(1)));
      writer.sync().get(10, TimeUnit.SECONDS);
    } finally {
      writer.close();
    }

    AuditVerification result = AuditChainVerifier.verify(dir);

    assertThat(result.firstBreak()).isEmpty();
    assertThat(result.intact()).isTrue();
    assertThat(result.records()).isEqualTo(4);
    List<Map<String, Object>> lines = AuditLogs.allLines(dir);
    assertThat(lines.get(0)).doesNotContainKey("via").containsEntry("client", "10.1.2.3");
    assertThat(lines)
        .filteredOn(line -> "new-1".equals(line.get("id")))
        .singleElement()
        .satisfies(line -> assertThat(line).containsEntry("via", SITE_GATEWAY));
  }

  /** The record's line body (without its closing brace) as written before {@code via} existed. */
  private static String withoutVia(AuditRecord record) {
    String json = AuditJson.toJson(record);
    String old = json.replace(",\"via\":null", "");
    assertThat(old).isNotEqualTo(json);
    return old.substring(0, old.length() - 1);
  }

  /** A download a site gateway relayed for PC 10.1.2.3. */
  private static AuditRecord relayed(String id, Instant ts) {
    AuditRecord r = AuditRecords.withTs(id, ts);
    return new AuditRecord(
        r.ts(),
        r.id(),
        r.client(),
        SITE_GATEWAY,
        r.method(),
        r.url(),
        r.host(),
        r.port(),
        r.decision(),
        r.entry(),
        r.reason(),
        r.wouldDeny(),
        r.status(),
        r.bytesToClient(),
        r.bytesFromClient(),
        r.durationMs(),
        r.contentType(),
        r.objectLength(),
        r.cache(),
        r.upstream(),
        r.summary(),
        null);
  }
}
