package dev.patchgate.proxy.exchange;

import dev.patchgate.audit.AuditDecision;
import dev.patchgate.audit.AuditRecord;
import dev.patchgate.audit.AuditSummary;
import dev.patchgate.audit.CacheOutcome;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Accounts for every refused request without one audit line each: per client and reason, the first
 * {@code ownPerSecond} refusals of each second keep their own ordinary records, and the rest are
 * carried by summary records ({@link AuditSummary}: a count, the first and last time, the hosts),
 * handed out by {@link #flush} (the gateway calls it every second, and once more when it stops,
 * before the audit log closes).
 *
 * <p>Nothing here assumes an HTTP request: a refusal is a client, a host or {@code null}, a reason
 * phrase, a status ({@code 0} when none was sent) and a time, so refused connections can be
 * summarised the same way as refused requests. Summary records are denials with an empty method and
 * URL; their host is the one host asked for when there was exactly one.
 *
 * <p>Memory is bounded whatever the number of clients: at most {@code maxClients} client-reason
 * pairs are followed at once (a pair is forgotten once its second has passed with nothing pending),
 * and a refusal of a pair beyond that keeps its own record, so it is still accounted for. A pending
 * summary lists at most {@value AuditSummary#MAX_HOSTS} hosts and tells at most {@value
 * #MAX_MORE_HOSTS} further distinct hosts apart; when a refusal would need more, the summary is
 * closed early and a new one begins, so counts stay exact.
 *
 * <p>Thread-safe: any event loop may report a refusal; records are handed to the consumer outside
 * the lock, on the caller's thread.
 *
 * <p>Public for the gateway's wiring and for other refusal kinds.
 */
public final class RefusalSummaries {
  /** Refusals a second per client and reason that keep their own records, unless told otherwise. */
  public static final int OWN_RECORDS_PER_SECOND = 10;

  /** Client-reason pairs followed at once, unless told otherwise. */
  public static final int MAX_CLIENTS = 4096;

  /** Distinct hosts beyond the listed ones that one summary tells apart. */
  static final int MAX_MORE_HOSTS = 100;

  private static final Duration SECOND = Duration.ofSeconds(1);

  /** What the caller does with the refusal it reported. */
  public enum Outcome {
    /** Write the refusal's own ordinary record, as for any exchange. */
    OWN_RECORD,
    /** Write nothing: a summary record carries it. */
    SUMMARISED
  }

  private final int ownPerSecond;
  private final int maxClients;
  private final Consumer<AuditRecord> out;
  private final Supplier<String> ids;
  private final Map<Key, Tally> tallies = new HashMap<>();

  /**
   * @param ownPerSecond refusals a second per client and reason that keep their own records
   * @param maxClients client-reason pairs followed at once
   * @param out takes each summary record (the audit log, the alerts, the metrics)
   * @param ids a fresh record id for each summary
   */
  public RefusalSummaries(
      int ownPerSecond, int maxClients, Consumer<AuditRecord> out, Supplier<String> ids) {
    this.ownPerSecond = ownPerSecond;
    this.maxClients = maxClients;
    this.out = Objects.requireNonNull(out, "out");
    this.ids = Objects.requireNonNull(ids, "ids");
  }

  /** Reports one refusal of a client that reached the gateway straight ({@code via} null). */
  public Outcome refused(String client, String host, String reason, int status, Instant ts) {
    return refused(client, null, host, reason, status, ts);
  }

  /**
   * Reports one refusal; refusals of one client relayed by different downstream gateways are
   * summarised apart, so each summary names its {@code via}.
   *
   * @param client the client's address as recorded
   * @param via the trusted downstream gateway that relayed the request, or {@code null}
   * @param host the host asked for, or {@code null} (a refused connection has none)
   * @param reason the fixed reason phrase
   * @param status the status the client got, {@code 0} when none
   * @param ts when the refused request or connection arrived
   * @return whether the caller writes the refusal's own record
   */
  public Outcome refused(
      String client, String via, String host, String reason, int status, Instant ts) {
    AuditRecord early = null;
    Outcome outcome;
    synchronized (this) {
      Key key = new Key(client, via, reason);
      Tally tally = tallies.get(key);
      if (tally == null) {
        if (tallies.size() >= maxClients) {
          return Outcome.OWN_RECORD;
        }
        tally = new Tally(ts);
        tallies.put(key, tally);
      }
      if (ts.isBefore(tally.secondStart) || !ts.isBefore(tally.secondStart.plus(SECOND))) {
        tally.secondStart = ts;
        tally.own = 0;
      }
      if (tally.own < ownPerSecond) {
        tally.own++;
        outcome = Outcome.OWN_RECORD;
      } else {
        if (tally.pending != null && !tally.pending.canTake(host)) {
          early = tally.pending.toRecord(key, ids.get());
          tally.pending = null;
        }
        if (tally.pending == null) {
          tally.pending = new Pending(status, ts);
        }
        tally.pending.add(host, ts);
        outcome = Outcome.SUMMARISED;
      }
    }
    if (early != null) {
      out.accept(early);
    }
    return outcome;
  }

  /**
   * Hands out a summary record for every client and reason with refusals pending, and forgets the
   * pairs whose second has passed by {@code now} with nothing pending.
   */
  public void flush(Instant now) {
    List<AuditRecord> records = new ArrayList<>();
    synchronized (this) {
      for (Iterator<Map.Entry<Key, Tally>> it = tallies.entrySet().iterator(); it.hasNext(); ) {
        Map.Entry<Key, Tally> e = it.next();
        Tally tally = e.getValue();
        if (tally.pending != null) {
          records.add(tally.pending.toRecord(e.getKey(), ids.get()));
          tally.pending = null;
        } else if (!now.isBefore(tally.secondStart.plus(SECOND))) {
          it.remove();
        }
      }
    }
    records.forEach(out);
  }

  /** How many client-reason pairs are followed now. */
  synchronized int followed() {
    return tallies.size();
  }

  private record Key(String client, String via, String reason) {}

  private static final class Tally {
    private Instant secondStart;
    private int own;
    private Pending pending;

    Tally(Instant secondStart) {
      this.secondStart = secondStart;
    }
  }

  /** The refusals one summary record will carry. */
  private static final class Pending {
    private final int status;
    private final Instant first;
    private Instant last;
    private long count;
    private final Set<String> listed = new LinkedHashSet<>();
    private final Set<String> more = new HashSet<>();

    Pending(int status, Instant first) {
      this.status = status;
      this.first = first;
      this.last = first;
    }

    /** False when {@code host} is a new host this summary has no room to tell apart. */
    boolean canTake(String host) {
      return host == null
          || listed.size() < AuditSummary.MAX_HOSTS
          || listed.contains(host)
          || more.size() < MAX_MORE_HOSTS
          || more.contains(host);
    }

    void add(String host, Instant ts) {
      count++;
      if (ts.isAfter(last)) {
        last = ts;
      }
      if (host == null || listed.contains(host)) {
        return;
      }
      if (listed.size() < AuditSummary.MAX_HOSTS) {
        listed.add(host);
      } else {
        more.add(host);
      }
    }

    AuditRecord toRecord(Key key, String id) {
      String onlyHost = listed.size() == 1 && more.isEmpty() ? listed.iterator().next() : null;
      return new AuditRecord(
          first,
          id,
          key.client(),
          key.via(),
          "",
          "",
          onlyHost,
          null,
          AuditDecision.DENY,
          null,
          key.reason(),
          false,
          status,
          0,
          0,
          0,
          null,
          null,
          CacheOutcome.NONE,
          null,
          new AuditSummary(count, last, List.copyOf(listed), more.size()),
          null);
    }
  }
}
