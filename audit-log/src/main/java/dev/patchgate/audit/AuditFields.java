package dev.patchgate.audit;

import java.util.List;
import java.util.Map;

/**
 * The JSON field names of an audit record, in the order they are written.
 *
 * <p>Vendors' scripts and the hospital's SIEM read these names, so they are part of the public
 * contract: renaming one is a breaking change, adding one is not.
 */
public final class AuditFields {
  /** When the request arrived: ISO-8601 UTC with milliseconds, {@code 2026-11-23T10:15:30.123Z}. */
  public static final String TS = "ts";

  /** The request id, which ties a client's report (e.g. from a deny page) to its record. */
  public static final String ID = "id";

  /**
   * The client's IP address: the PC's. For a request relayed by a trusted downstream gateway (a
   * site gateway, {@code patchgate.trusted-downstreams}) it is the address that gateway named in
   * {@code X-Forwarded-For} or {@code Forwarded}, and {@link #VIA} names the gateway.
   */
  public static final String CLIENT = "client";

  /**
   * The trusted downstream gateway that relayed the request (its address as this gateway's TCP
   * peer), or {@code null} when the request came straight from the client. Lines written before
   * this field existed lack it; tools read a missing {@code via} as {@code null}.
   */
  public static final String VIA = "via";

  /** The HTTP method, {@code CONNECT} for tunnels. */
  public static final String METHOD = "method";

  /** The absolute URL; {@code host:port} for CONNECT; the raw request-target if malformed. */
  public static final String URL = "url";

  /** The normalised target host, or {@code null} when the request had none we could parse. */
  public static final String HOST = "host";

  /** The target port, or {@code null} when the request had none we could parse. */
  public static final String PORT = "port";

  /** {@code allow}, {@code deny} or {@code error}; see {@link AuditDecision}. */
  public static final String DECISION = "decision";

  /** The allowlist entry that matched, or {@code null}. */
  public static final String ENTRY = "entry";

  /** The fixed reason phrase of the decision or error, or {@code null}. */
  public static final String REASON = "reason";

  /**
   * {@code true} when an allowlist entry in report mode let the request through although it would
   * deny it; {@code reason} then says why. {@code false} otherwise.
   */
  public static final String WOULD_DENY = "would_deny";

  /** The status the client got; {@code 0} when no response was sent. */
  public static final String STATUS = "status";

  /** Bytes the proxy sent to the client, headers included. */
  public static final String BYTES_TO_CLIENT = "bytes_to_client";

  /** Bytes the proxy received from the client, headers included. */
  public static final String BYTES_FROM_CLIENT = "bytes_from_client";

  /** From arrival to the end of the exchange, in milliseconds. */
  public static final String DURATION_MS = "duration_ms";

  /** The response's {@code Content-Type} as sent, or {@code null}. */
  public static final String CONTENT_TYPE = "content_type";

  /**
   * The full length of the object the response carried: a 200's {@code Content-Length}, a 206's
   * {@code Content-Range} total; {@code null} when unknown. A download is complete when {@code
   * bytes_to_client} covers it.
   */
  public static final String OBJECT_LENGTH = "object_length";

  /** The mirror's part in the exchange; see {@link CacheOutcome}. */
  public static final String CACHE = "cache";

  /** The upstream IP address actually dialled, or {@code null} when none was. */
  public static final String UPSTREAM = "upstream";

  /**
   * The console user the record is about (a sign-in, a sign-out, an action; {@code method} is then
   * {@code CONSOLE}), or the user signed in when the admin listener answered. Written only when
   * known, after {@link #UPSTREAM}, so every other line stays as it always was.
   */
  public static final String USER = "user";

  /**
   * On a summary record only (see {@link AuditSummary}): how many refused requests it stands for. A
   * record without it stands for one request; every tool that counts requests adds this up.
   */
  public static final String COUNT = "count";

  /**
   * On a summary record only: when the last request it stands for arrived, formatted as {@link
   * #TS}; {@link #TS} is the first one's.
   */
  public static final String LAST_TS = "last_ts";

  /**
   * On a summary record only: the distinct hosts its requests asked for, up to {@value
   * AuditSummary#MAX_HOSTS}, separated by one space, in the order first seen; {@code ""} when none
   * had a host.
   */
  public static final String HOSTS = "hosts";

  /** On a summary record only: how many more distinct hosts were asked for than it lists. */
  public static final String MORE_HOSTS = "more_hosts";

  /**
   * The line's place in the hash chain: 1 for the first line ever, one more for every line after
   * it, records and markers alike, across files. Written after the record's own fields.
   */
  public static final String SEQ = "seq";

  /**
   * The line's link in the hash chain, 64 lower-case hex digits; always the last field. See {@link
   * AuditChainVerifier} for how it is computed.
   */
  public static final String HASH = "hash";

  /**
   * Present only on marker lines the gateway writes about itself ({@code start}, {@code stop},
   * {@code gap}; see {@link AuditMarkers}); an exchange record never has it, so tools that count
   * exchanges skip every line that has it.
   */
  public static final String TYPE = "type";

  /**
   * Every field name of an exchange record in the order {@link AuditJson} writes them, without the
   * chain fields {@link #SEQ} and {@link #HASH} that follow them on disk; immutable.
   */
  public static final List<String> IN_ORDER =
      List.of(
          TS,
          ID,
          CLIENT,
          VIA,
          METHOD,
          URL,
          HOST,
          PORT,
          DECISION,
          ENTRY,
          REASON,
          WOULD_DENY,
          STATUS,
          BYTES_TO_CLIENT,
          BYTES_FROM_CLIENT,
          DURATION_MS,
          CONTENT_TYPE,
          OBJECT_LENGTH,
          CACHE,
          UPSTREAM);

  /**
   * The fields a summary record adds after {@link #IN_ORDER}'s (and before {@link #SEQ}), in the
   * order {@link AuditJson} writes them; an ordinary record has none of them. Immutable.
   */
  public static final List<String> SUMMARY_IN_ORDER = List.of(COUNT, LAST_TS, HOSTS, MORE_HOSTS);

  /**
   * How many requests a parsed line stands for: its {@link #COUNT}, or 1 when it has none (an
   * ordinary record) or the value is not a positive number.
   */
  public static long countOf(Map<String, Object> fields) {
    return fields.get(COUNT) instanceof Long n && n > 0 ? n : 1;
  }

  private AuditFields() {}
}
