package dev.patchgate.audit;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What {@link AuditChainVerifier} found in an audit directory. Immutable.
 *
 * @param files the day files read, in date order; where the chain broke, the last one is the file
 *     it broke in
 * @param records exchange records checked (before the break, if any)
 * @param markers marker lines checked ({@code start}, {@code stop}, {@code gap})
 * @param firstSeq the seq of the first line, 0 if there was none; more than 1 when earlier lines
 *     are not present (removed by retention, or deleted)
 * @param lastSeq the seq of the last line checked, 0 if there was none
 * @param gaps the {@code gap} markers met, in order
 * @param firstBreak where the chain first does not hold, or empty when it is intact
 */
public record AuditVerification(
    List<String> files,
    long records,
    long markers,
    long firstSeq,
    long lastSeq,
    List<AuditChainGap> gaps,
    Optional<AuditChainBreak> firstBreak) {

  /** Copies the lists and checks that nothing is {@code null}. */
  public AuditVerification {
    files = List.copyOf(files);
    gaps = List.copyOf(gaps);
    Objects.requireNonNull(firstBreak, "firstBreak");
  }

  /** Whether every line was read and the chain holds from the first to the last. */
  public boolean intact() {
    return firstBreak.isEmpty();
  }
}
