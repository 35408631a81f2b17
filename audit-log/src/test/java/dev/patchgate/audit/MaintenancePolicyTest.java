package dev.patchgate.audit;

import static dev.patchgate.audit.MaintenancePolicy.Action.COMPRESS;
import static dev.patchgate.audit.MaintenancePolicy.Action.DELETE;
import static dev.patchgate.audit.MaintenancePolicy.Action.KEEP;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class MaintenancePolicyTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 11, 23);

  @ParameterizedTest(name = "{0} (written from {1}, keep {2} days) -> {3}")
  @MethodSource("files")
  void decide(
      String file, LocalDate finishedBefore, int retainDays, MaintenancePolicy.Action expected) {
    DayFileName name = DayFileName.parse(file).orElseThrow();

    assertThat(MaintenancePolicy.decide(name, TODAY, retainDays, finishedBefore))
        .isEqualTo(expected);
  }

  static Stream<Arguments> files() {
    return Stream.of(
        // Yesterday, finished: compressed.
        Arguments.of("audit-2026-11-22.jsonl", TODAY, 400, COMPRESS),
        Arguments.of("access-2026-11-22.log", TODAY, 400, COMPRESS),
        // The day being written is left alone.
        Arguments.of("audit-2026-11-23.jsonl", TODAY, 400, KEEP),
        Arguments.of("access-2026-11-23.log", TODAY, 400, KEEP),
        Arguments.of("audit-2026-11-22.jsonl.gz", TODAY, 400, KEEP),
        // Both forms of one day: the plain one wins and is compressed again over the .gz.
        Arguments.of("audit-2026-11-20.jsonl", TODAY, 400, COMPRESS),
        // An interrupted compression's temporary file.
        Arguments.of("audit-2026-11-20.jsonl.gz.tmp", TODAY, 400, DELETE),
        Arguments.of("access-2026-11-20.log.gz.tmp", TODAY, 400, DELETE),
        // Exactly retainDays before today is kept; one more is expired.
        Arguments.of("audit-2025-10-19.jsonl.gz", TODAY, 400, KEEP),
        Arguments.of("audit-2025-10-18.jsonl.gz", TODAY, 400, DELETE),
        Arguments.of("access-2025-10-18.log", TODAY, 400, DELETE),
        Arguments.of("audit-2025-10-18.jsonl", TODAY, 400, DELETE),
        // A day still being written is never deleted, whatever the clock says.
        Arguments.of("audit-2020-01-01.jsonl", LocalDate.of(2020, 1, 1), 1, KEEP));
  }

  @ParameterizedTest(name = "{0} with the forwarder's cursor at {1} -> {2}")
  @MethodSource("forwarded")
  void anExpiredDayTheCollectorHasNotHadIsKept(
      String file, LocalDate unforwardedFrom, MaintenancePolicy.Action expected) {
    DayFileName name = DayFileName.parse(file).orElseThrow();

    assertThat(MaintenancePolicy.decide(name, TODAY, 400, TODAY, unforwardedFrom))
        .isEqualTo(expected);
  }

  static Stream<Arguments> forwarded() {
    return Stream.of(
        // Expired but not yet forwarded: kept until the collector has it.
        Arguments.of("audit-2025-10-18.jsonl.gz", LocalDate.of(2025, 10, 18), KEEP),
        Arguments.of("audit-2025-10-18.jsonl", LocalDate.of(2025, 10, 1), KEEP),
        // Not forwarded but finished: compressed all the same (the forwarder reads .gz).
        Arguments.of("audit-2026-11-22.jsonl", LocalDate.of(2026, 11, 22), COMPRESS),
        // Forwarded and expired: deleted as without forwarding.
        Arguments.of("audit-2025-10-18.jsonl.gz", LocalDate.of(2025, 10, 19), DELETE),
        // An interrupted compression is no day at all.
        Arguments.of("audit-2025-10-18.jsonl.gz.tmp", LocalDate.of(2025, 10, 1), DELETE));
  }
}
