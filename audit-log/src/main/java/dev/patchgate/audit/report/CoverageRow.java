package dev.patchgate.audit.report;

/**
 * One line of the coverage report: what one client has of one KB number (or file pattern).
 *
 * @param client the client address
 * @param target the KB number or file pattern
 * @param status {@code complete}, {@code incomplete} or {@code none}
 * @param files how many of its files the client fetched
 * @param source {@code mirror}, {@code upstream}, {@code mirror+upstream}, or {@code ""} for none
 * @param firstDownload the {@code ts} of the first download, or {@code ""}
 * @param lastDownload the {@code ts} of the last download, or {@code ""}
 * @param firstSeen when the client was first seen in the period
 * @param lastSeen when the client was last seen in the period
 */
public record CoverageRow(
    String client,
    String target,
    String status,
    long files,
    String source,
    String firstDownload,
    String lastDownload,
    String firstSeen,
    String lastSeen) {}
