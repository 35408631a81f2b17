package dev.patchgate.audit.report;

import dev.patchgate.audit.anomaly.AnomalyKind;

/**
 * One row of the anomaly report.
 *
 * @param kind what kind of unusual traffic
 * @param client the client address
 * @param subject what was unusual: a host, an hour of the week, an hour, an entry and day
 * @param count the requests (or attempts) the finding stands for
 * @param first the first of them, epoch milliseconds
 * @param last the last of them, epoch milliseconds
 * @param evidence what was seen, in words
 * @param baseline what it was compared with, in words
 */
public record AnomalyFinding(
    AnomalyKind kind,
    String client,
    String subject,
    long count,
    long first,
    long last,
    String evidence,
    String baseline) {}
