package dev.patchgate.audit;

import java.time.Instant;
import java.util.Objects;

/**
 * One finished exchange: an HTTP request or a CONNECT tunnel, built once at its end; or a summary
 * record standing for many refused requests of one client (see {@link AuditSummary}).
 *
 * <p>{@code via}, {@code host}, {@code port}, {@code entry}, {@code reason}, {@code contentType},
 * {@code objectLength} and {@code upstream} may be {@code null}. {@code client}, {@code method} and
 * {@code url} are turned into {@code ""} when {@code null}, because a malformed request may lack
 * them and its record must still be written. {@code ts}, {@code id}, {@code decision} and {@code
 * cache} are required: the proxy always knows them, so a {@code null} is a bug and fails fast with
 * a {@link NullPointerException} naming the component. Numbers are recorded as given, without range
 * checks, so that a clock step or a counting slip never costs the record itself. Immutable and
 * thread-safe.
 *
 * @param ts when the request arrived
 * @param id the request id
 * @param client the client's IP address (the PC's, also when a trusted downstream relayed it)
 * @param via the trusted downstream gateway that relayed the request, or {@code null} when the
 *     request came straight from the client
 * @param method the HTTP method, {@code CONNECT} for tunnels
 * @param url the absolute URL, {@code host:port} for CONNECT, or the raw target if malformed
 * @param host the target host, or {@code null}
 * @param port the target port, or {@code null}
 * @param decision what the gateway did
 * @param entry the allowlist entry that matched, or {@code null}
 * @param reason the fixed reason phrase, or {@code null}; for an allowed request with {@code
 *     wouldDeny}, the reason it would have been denied
 * @param wouldDeny true when an allowlist entry in report mode let through a request it would
 *     otherwise deny
 * @param status the status the client got, {@code 0} when none was sent
 * @param bytesToClient bytes sent to the client
 * @param bytesFromClient bytes received from the client
 * @param durationMs from arrival to the end of the exchange
 * @param contentType the response's media type as sent, or {@code null}
 * @param objectLength the full length of the object the response carried (Content-Length of a 200,
 *     the total of a 206's Content-Range), or {@code null} when unknown
 * @param cache how the mirror took part
 * @param upstream the upstream IP address dialled, or {@code null}
 * @param summary {@code null} for the record of one exchange; for a summary record, how many
 *     refused requests it stands for and what they asked (see {@link AuditSummary})
 * @param user the console user the exchange was made by or about, or {@code null} (every exchange
 *     but the console's)
 */
public record AuditRecord(
    Instant ts,
    String id,
    String client,
    String via,
    String method,
    String url,
    String host,
    Integer port,
    AuditDecision decision,
    String entry,
    String reason,
    boolean wouldDeny,
    int status,
    long bytesToClient,
    long bytesFromClient,
    long durationMs,
    String contentType,
    Long objectLength,
    CacheOutcome cache,
    String upstream,
    AuditSummary summary,
    String user) {

  /** Validates the required components and fills the tolerated ones; see the class contract. */
  public AuditRecord {
    Objects.requireNonNull(ts, "ts");
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(decision, "decision");
    Objects.requireNonNull(cache, "cache");
    client = Objects.requireNonNullElse(client, "");
    method = Objects.requireNonNullElse(method, "");
    url = Objects.requireNonNullElse(url, "");
  }

  /** How many requests the record stands for: a summary's {@code count}, else 1. */
  public long count() {
    return summary == null ? 1 : summary.count();
  }
}
