package dev.patchgate.proxy.console.data;

import dev.patchgate.audit.report.AnomalyFinding;
import java.time.Instant;
import java.util.List;

/**
 * The Anomalies page: the findings of {@code audit report anomalies} for a period against its
 * baseline.
 *
 * @param findings by client, kind, then time
 * @param baselineStart where the baseline starts (it ends where the period starts)
 * @param clients the client group or address block the findings are narrowed to, or {@code ""}
 * @param kinds the kinds looked for, by wire name
 * @param turnedOff the kinds asked for that {@code patchgate.anomalies} turns off, by wire name
 * @param period the period reviewed (since, until) and what was read (baseline included)
 */
public record AnomalyPage(
    List<AnomalyFinding> findings,
    Instant baselineStart,
    String clients,
    List<String> kinds,
    List<String> turnedOff,
    Period period) {

  /** Copies the lists. */
  public AnomalyPage {
    findings = List.copyOf(findings);
    kinds = List.copyOf(kinds);
    turnedOff = List.copyOf(turnedOff);
  }
}
