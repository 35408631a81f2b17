package dev.patchgate.proxy.exchange;

import static org.assertj.core.api.Assertions.assertThat;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditSummary;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The summariser: who keeps an own record, what the summaries carry, and that counts add up. */
class RefusalSummariesTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final String PC = "10.10.1.5";

  private final List<AuditRecord> written = new ArrayList<>();
  private int ids;
  private final RefusalSummaries summaries =
      new RefusalSummaries(3, 100, written::add, () -> "s-" + ++ids);

  @Test
  void theFirstOfEachSecondKeepTheirRecordsAndTheRestGoIntoOneSummary() {
    List<RefusalSummaries.Outcome> outcomes = new ArrayList<>();
    for (int i = 0; i < 500; i++) {
      outcomes.add(refuse(PC, "evil.example", T0.plusMillis(i)));
    }

    assertThat(outcomes.subList(0, 3)).containsOnly(RefusalSummaries.Outcome.OWN_RECORD);
    assertThat(outcomes.subList(3, 500)).containsOnly(RefusalSummaries.Outcome.SUMMARISED);
    assertThat(written).as("nothing before the flush").isEmpty();

    summaries.flush(T0.plusMillis(500));
    assertThat(written).hasSize(1);
    AuditRecord summary = written.get(0);
    assertThat(summary.decision()).isEqualTo(AuditDecision.DENY);
    assertThat(summary.reason()).isEqualTo("rate limit");
    assertThat(summary.status()).isEqualTo(429);
    assertThat(summary.client()).isEqualTo(PC);
    assertThat(summary.host()).isEqualTo("evil.example");
    assertThat(summary.ts()).isEqualTo(T0.plusMillis(3));
    assertThat(summary.summary())
        .isEqualTo(new AuditSummary(497, T0.plusMillis(499), List.of("evil.example"), 0));
  }

  @Test
  void eachNewSecondStartsWithOwnRecordsAgainAndTheTotalsAddUp() {
    long own = 0;
    // 50 a second for 10 s, with a flush every second as the gateway does.
    for (int second = 0; second < 10; second++) {
      for (int i = 0; i < 50; i++) {
        Instant ts = T0.plusSeconds(second).plusMillis(i * 20L);
        if (refuse(PC, "evil.example", ts) == RefusalSummaries.Outcome.OWN_RECORD) {
          own++;
        }
      }
      summaries.flush(T0.plusSeconds(second + 1));
    }

    assertThat(own).isEqualTo(30);
    assertThat(written).hasSize(10);
    assertThat(written.stream().mapToLong(AuditRecord::count).sum() + own).isEqualTo(500);
  }

  @Test
  void clientsAndReasonsAreSummarisedApart() {
    for (int i = 0; i < 10; i++) {
      refuse(PC, "a.example", T0);
      refuse("10.10.1.6", "a.example", T0);
      summaries.refused(PC, null, "connection limit", 0, T0);
    }
    summaries.flush(T0.plusMillis(100));

    assertThat(written)
        .extracting(AuditRecord::client, AuditRecord::reason, AuditRecord::count)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(PC, "rate limit", 7L),
            org.assertj.core.groups.Tuple.tuple("10.10.1.6", "rate limit", 7L),
            org.assertj.core.groups.Tuple.tuple(PC, "connection limit", 7L));
  }

  @Test
  void aSummaryListsTenHostsCountsTheOtherDistinctOnesAndNamesNoSingleHost() {
    for (int i = 0; i < 3; i++) {
      refuse(PC, "own.example", T0);
    }
    for (int i = 0; i < 15; i++) {
      refuse(PC, "h" + i + ".example", T0.plusMillis(i));
      refuse(PC, "h" + i + ".example", T0.plusMillis(i));
    }
    summaries.refused(PC, null, "rate limit", 429, T0.plusMillis(20));
    summaries.flush(T0.plusSeconds(1));

    AuditRecord summary = written.get(0);
    assertThat(summary.host()).isNull();
    assertThat(summary.summary().count()).isEqualTo(31);
    assertThat(summary.summary().hosts())
        .containsExactly(
            "h0.example",
            "h1.example",
            "h2.example",
            "h3.example",
            "h4.example",
            "h5.example",
            "h6.example",
            "h7.example",
            "h8.example",
            "h9.example");
    assertThat(summary.summary().moreHosts()).isEqualTo(5);
  }

  @Test
  void aScanOfMoreHostsThanOneSummaryTellsApartClosesItEarlyAndLosesNoCount() {
    int hosts = AuditSummary.MAX_HOSTS + RefusalSummaries.MAX_MORE_HOSTS + 5;
    for (int i = 0; i < 3 + hosts; i++) {
      refuse(PC, "h" + i + ".example", T0);
    }
    assertThat(written).as("the full summary went out at once").hasSize(1);

    summaries.flush(T0.plusMillis(10));
    assertThat(written).hasSize(2);
    assertThat(written.stream().mapToLong(AuditRecord::count).sum()).isEqualTo(hosts);
    assertThat(written.get(0).summary().moreHosts()).isEqualTo(RefusalSummaries.MAX_MORE_HOSTS);
  }

  @Test
  void aBurstThatStopsIsStillWrittenByTheNextFlushAndIdleClientsAreForgotten() {
    for (int i = 0; i < 20; i++) {
      refuse(PC, "evil.example", T0);
    }
    summaries.flush(T0.plusMillis(400));
    assertThat(written).extracting(AuditRecord::count).containsExactly(17L);
    assertThat(summaries.followed()).isEqualTo(1);

    summaries.flush(T0.plus(Duration.ofMillis(1400)));
    assertThat(written).hasSize(1);
    assertThat(summaries.followed()).as("bounded memory: nothing kept for a quiet client").isZero();
  }

  @Test
  void beyondMaxClientsARefusalKeepsItsOwnRecord() {
    RefusalSummaries small = new RefusalSummaries(0, 2, written::add, () -> "s");
    small.refused("10.0.0.1", null, "rate limit", 429, T0);
    small.refused("10.0.0.2", null, "rate limit", 429, T0);

    assertThat(small.refused("10.0.0.3", null, "rate limit", 429, T0))
        .isEqualTo(RefusalSummaries.Outcome.OWN_RECORD);
    assertThat(small.followed()).isEqualTo(2);
  }

  private RefusalSummaries.Outcome refuse(String client, String host, Instant ts) {
    return summaries.refused(client, host, "rate limit", 429, ts);
  }
}
