package dev.patchgate.audit.report;

/**
 * One line of the denied report: how often one client was refused one target for one reason.
 *
 * @param client the client address
 * @param unregistered true when the client is in no client group (some request of it was refused as
 *     {@value DeniedRequests#UNREGISTERED_CLIENT})
 * @param target the host asked for, or the raw request target when it had no host
 * @param reason the reason phrase
 * @param count how many requests
 * @param firstSeen the {@code ts} of the first
 * @param lastSeen the {@code ts} of the last
 */
public record DeniedRow(
    String client,
    boolean unregistered,
    String target,
    String reason,
    long count,
    String firstSeen,
    String lastSeen) {}
