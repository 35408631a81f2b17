package dev.patchgate.audit.alert;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AlertDeduplicatorTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final AlertEvent DENIED =
      new AlertEvent(AlertKind.DENIED, "10.10.1.5", "evil.example", "host not in allowlist");

  private final AlertDeduplicator dedupe = new AlertDeduplicator(WINDOW, 100);

  @Test
  void tenEventsInAWindowMakeOneAlertAtOnceAndOneSummaryOfNineWhenItCloses() {
    List<Alert> sent = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      sent.addAll(dedupe.offer(DENIED, T0.plusSeconds(30L * i)));
    }
    assertThat(sent).containsExactly(alert(T0, 1, false));
    assertThat(dedupe.tick(T0.plus(WINDOW).minusMillis(1))).isEmpty();

    assertThat(dedupe.tick(T0.plus(WINDOW))).containsExactly(alert(T0.plus(WINDOW), 9, true));
    assertThat(alert(T0.plus(WINDOW), 9, true).text())
        .isEqualTo(
            "patchgate: 9 more denied requests from 10.10.1.5 to evil.example in the last 10"
                + " minutes (host not in allowlist)");
  }

  @Test
  void aSteadyFloodMakesOneSummaryPerWindowAndNoNewFirstAlert() {
    List<Alert> sent = new ArrayList<>();
    for (int minute = 0; minute < 30; minute++) {
      sent.addAll(dedupe.offer(DENIED, T0.plus(Duration.ofMinutes(minute))));
    }
    sent.addAll(dedupe.tick(T0.plus(Duration.ofMinutes(30))));

    assertThat(sent)
        .extracting(Alert::count, Alert::summary)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1L, false),
            org.assertj.core.groups.Tuple.tuple(9L, true),
            org.assertj.core.groups.Tuple.tuple(10L, true),
            org.assertj.core.groups.Tuple.tuple(10L, true));
  }

  @Test
  void aQuietWindowIsForgottenSoTheNextEventAlertsAtOnceAgain() {
    dedupe.offer(DENIED, T0);
    assertThat(dedupe.tick(T0.plus(WINDOW))).isEmpty();
    assertThat(dedupe.openWindows()).isZero();

    assertThat(dedupe.offer(DENIED, T0.plus(WINDOW).plusSeconds(1)))
        .containsExactly(alert(T0.plus(WINDOW).plusSeconds(1), 1, false));
  }

  @Test
  void otherClientsHostsAndKindsAreCountedApart() {
    List<Alert> sent = new ArrayList<>();
    sent.addAll(dedupe.offer(DENIED, T0));
    sent.addAll(
        dedupe.offer(new AlertEvent(AlertKind.DENIED, "10.10.1.6", "evil.example", ""), T0));
    sent.addAll(
        dedupe.offer(new AlertEvent(AlertKind.DENIED, "10.10.1.5", "other.example", ""), T0));
    sent.addAll(
        dedupe.offer(new AlertEvent(AlertKind.SNI_MISMATCH, "10.10.1.5", "evil.example", ""), T0));

    assertThat(sent).hasSize(4).allMatch(a -> a.count() == 1 && !a.summary());
  }

  @Test
  void beyondTheKeyLimitEventsAreCountedInOneWindowPerKind() {
    AlertDeduplicator small = new AlertDeduplicator(WINDOW, 2);
    List<Alert> sent = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      sent.addAll(small.offer(new AlertEvent(AlertKind.DENIED, "10.0.0." + i, "h", ""), T0));
    }
    assertThat(sent).hasSize(2);

    assertThat(small.tick(T0.plus(WINDOW)))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.client()).isEqualTo("*");
              assertThat(a.count()).isEqualTo(3);
              assertThat(a.summary()).isTrue();
            });
  }

  @Test
  void flushSendsTheOpenCountsAtOnce() {
    dedupe.offer(DENIED, T0);
    dedupe.offer(DENIED, T0.plusSeconds(1));
    dedupe.offer(new AlertEvent(AlertKind.DENIED, "10.10.1.6", "x", ""), T0);

    assertThat(dedupe.flush(T0.plusSeconds(2))).containsExactly(alert(T0.plusSeconds(2), 1, true));
    assertThat(dedupe.openWindows()).isZero();
  }

  @Test
  void aSummaryRecordOfFiveHundredCountsAsFiveHundredDenials() {
    AlertEvent summary =
        new AlertEvent(AlertKind.DENIED, "10.10.1.5", "evil.example", "host not in allowlist", 500);
    List<Alert> sent = new ArrayList<>(dedupe.offer(DENIED, T0));
    sent.addAll(dedupe.offer(summary, T0.plusSeconds(1)));
    sent.addAll(dedupe.tick(T0.plus(WINDOW)));

    assertThat(sent).containsExactly(alert(T0, 1, false), alert(T0.plus(WINDOW), 500, true));
  }

  @Test
  void aSummaryThatOpensAWindowAlertsOnceAndCountsTheRestInIt() {
    AlertEvent summary =
        new AlertEvent(AlertKind.DENIED, "10.10.1.5", "evil.example", "host not in allowlist", 500);
    List<Alert> sent = new ArrayList<>(dedupe.offer(summary, T0));
    sent.addAll(dedupe.tick(T0.plus(WINDOW)));

    assertThat(sent).containsExactly(alert(T0, 1, false), alert(T0.plus(WINDOW), 499, true));
  }

  private static Alert alert(Instant at, long count, boolean summary) {
    return new Alert(
        AlertKind.DENIED,
        "10.10.1.5",
        "evil.example",
        "host not in allowlist",
        at,
        count,
        summary,
        WINDOW);
  }
}
