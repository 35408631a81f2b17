package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code audit verify --collector}: a central collector's file, two gateways' lines interleaved as
 * the rsyslog template writes them ({@code HOSTNAME SP AUDITLINE}), each chain verified on its own.
 */
class AuditCollectorVerifierTest {
  @TempDir Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private List<String> siteA;
  private List<String> siteB;

  @BeforeEach
  void twoGateways() throws Exception {
    Path a = tmp.resolve("a");
    ThreeDayLog.write(a);
    siteA = new ArrayList<>();
    for (AuditDayFile day : AuditFiles.auditDays(a)) {
      siteA.addAll(AuditLogs.lines(day.path()));
    }
    Path b = tmp.resolve("b");
    try (JsonLinesAuditWriter writer =
        new JsonLinesAuditWriter(b, Clock.systemUTC(), Duration.ofMillis(20))) {
      for (int i = 0; i < 5; i++) {
        writer.append(AuditRecords.withTs("b" + i, Instant.now()));
      }
    }
    siteB = new ArrayList<>();
    for (AuditDayFile day : AuditFiles.auditDays(b)) {
      siteB.addAll(AuditLogs.lines(day.path()));
    }
  }

  @Test
  void eachGatewaysChainIsVerifiedOnItsOwnAndRepeatedLinesAreCountedNotBreaks() throws Exception {
    List<String> a = new ArrayList<>(siteA);
    // A reconnection sent lines 4 to 6 again.
    a.addAll(6, a.subList(3, 6));

    boolean verified = run(interleave(a, siteB));

    assertThat(out())
        .isEqualTo(
            """
            collector file collector.log: 2 gateways (gw-a, gw-b)
            gw-a: verified: 15 records, chain intact (first seq 1, last seq 17), 3 duplicates skipped
            gw-b: verified: 5 records, chain intact (first seq 1, last seq 7)
            """);
    assertThat(verified).isTrue();
  }

  @Test
  void aLineMissingFromOneGatewayBreaksOnlyThatGatewaysChain() throws Exception {
    List<String> b = new ArrayList<>(siteB);
    b.remove(3);

    boolean verified = run(interleave(siteA, b));

    assertThat(out())
        .contains("gw-a: verified: 15 records, chain intact (first seq 1, last seq 17)")
        .contains(
            "gw-b: BROKEN at collector.log:8 (seq 5): seq jumps from 3 to 5: 1 line is missing"
                + " (deleted)");
    assertThat(verified).isFalse();
  }

  @Test
  void aRepeatedSeqWithOtherContentIsABreakNotADuplicate() throws Exception {
    List<String> a = new ArrayList<>(siteA);
    a.add(5, a.get(4).replace("\"ts\":\"2026", "\"ts\":\"2025"));

    boolean verified = run(interleave(a, siteB));

    assertThat(out()).contains("gw-a: BROKEN at collector.log:11 (seq 5): seq 5 repeats");
    assertThat(verified).isFalse();
  }

  /** gw-a's and gw-b's lines alternately, while both have some. */
  private static List<String> interleave(List<String> a, List<String> b) {
    List<String> merged = new ArrayList<>();
    for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
      if (i < a.size()) {
        merged.add("gw-a " + a.get(i));
      }
      if (i < b.size()) {
        merged.add("gw-b " + b.get(i));
      }
    }
    return merged;
  }

  private boolean run(List<String> lines) throws Exception {
    Path file = Files.write(tmp.resolve("collector.log"), lines);
    return AuditVerifyCommand.runCollector(
        file,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8).replace(tmp.resolve("").toString() + "/", "");
  }
}
