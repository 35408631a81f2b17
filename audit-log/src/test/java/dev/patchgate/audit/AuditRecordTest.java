package dev.patchgate.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AuditRecordTest {

  @Test
  void wireNamesAreTheLowerCaseConstantNames() {
    assertThat(AuditDecision.values())
        .extracting(AuditDecision::wireName)
        .containsExactly("allow", "deny", "error");
    assertThat(CacheOutcome.values())
        .extracting(CacheOutcome::wireName)
        .containsExactly("hit", "miss", "bypass", "stale", "none");
  }

  @Test
  void nullClientMethodAndUrlBecomeEmptyStrings() {
    AuditRecord record = record(Instant.EPOCH, "r-1", AuditDecision.ERROR, CacheOutcome.NONE);

    assertThat(record.client()).isEmpty();
    assertThat(record.method()).isEmpty();
    assertThat(record.url()).isEmpty();
  }

  @Test
  void requiredComponentsRejectNullByName() {
    assertThatNullPointerException()
        .isThrownBy(() -> record(null, "r-1", AuditDecision.DENY, CacheOutcome.NONE))
        .withMessage("ts");
    assertThatNullPointerException()
        .isThrownBy(() -> record(Instant.EPOCH, null, AuditDecision.DENY, CacheOutcome.NONE))
        .withMessage("id");
    assertThatNullPointerException()
        .isThrownBy(() -> record(Instant.EPOCH, "r-1", null, CacheOutcome.NONE))
        .withMessage("decision");
    assertThatNullPointerException()
        .isThrownBy(() -> record(Instant.EPOCH, "r-1", AuditDecision.DENY, null))
        .withMessage("cache");
  }

  private static AuditRecord record(
      Instant ts, String id, AuditDecision decision, CacheOutcome cache) {
    return new AuditRecord(
        ts, id, null, null, null, null, null, null, decision, null, null, false, 0, 0, 0, 0, null,
        null, cache, null, null, null);
  }
}
