package dev.patchgate.audit.report;

import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.alert.AlertRules;
import dev.patchgate.audit.query.AuditLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Adds up the denied report: per client, what was refused (host and reason), how often, first and
 * last seen; clients in no client group are flagged. A summary record counts as the {@code count}
 * requests it stands for, first seen at its {@code ts} and last at its {@code last_ts}; its target
 * is its host when it has one, else the hosts it lists.
 *
 * <p>Only the proxy's refusals count. The admin listener's own (a scrape from outside {@code
 * admin.clients}, a failed console sign-in; {@link AuditLine#fromAdminListener}) are not traffic
 * the allowlist refused, have nothing to explain or to add to the allowlist, and have alerts of
 * their own ({@code admin_denied}, {@code console_sign_in}); the audit search shows them. Not
 * thread-safe.
 */
public final class DeniedRequests {
  /** The reason phrase of a request from a client in no client group. */
  static final String UNREGISTERED_CLIENT = AlertRules.UNREGISTERED_CLIENT;

  private final Map<Key, Sum> sums = new HashMap<>();
  private final Set<String> unregistered = new HashSet<>();

  /** Takes one record; ignores it unless it was denied. */
  public void add(AuditLine line) {
    String client = line.text(AuditFields.CLIENT);
    String ts = line.text(AuditFields.TS);
    if (client == null
        || ts == null
        || !"deny".equals(line.text(AuditFields.DECISION))
        || line.fromAdminListener()) {
      return;
    }
    String host = line.text(AuditFields.HOST);
    String target = host != null ? host : summaryHosts(line);
    if (target == null) {
      target = String.valueOf(line.text(AuditFields.URL));
    }
    String last = line.text(AuditFields.LAST_TS);
    String reason = String.valueOf(line.text(AuditFields.REASON));
    if (reason.equals(UNREGISTERED_CLIENT)) {
      unregistered.add(client);
    }
    sums.computeIfAbsent(new Key(client, target, reason), k -> new Sum(ts))
        .add(ts, last != null ? last : ts, line.count());
  }

  /** A summary's listed hosts as one target, {@code "a.example b.example +3 more"}; else null. */
  private static String summaryHosts(AuditLine line) {
    String hosts = line.text(AuditFields.HOSTS);
    if (hosts == null || line.number(AuditFields.COUNT) == null) {
      return null;
    }
    long more = line.number(AuditFields.MORE_HOSTS, 0);
    String listed = more > 0 ? (hosts + " +" + more + " more").strip() : hosts;
    return listed.isEmpty() ? null : listed;
  }

  /** The rows, by client (IPv4 by number), then most frequent first, then by target. */
  public List<DeniedRow> rows() {
    List<DeniedRow> rows = new ArrayList<>(sums.size());
    sums.forEach(
        (key, sum) ->
            rows.add(
                new DeniedRow(
                    key.client(),
                    unregistered.contains(key.client()),
                    key.target(),
                    key.reason(),
                    sum.count,
                    sum.first,
                    sum.last)));
    Map<String, Integer> rank = ClientOrder.ranks(clientsOf(rows));
    rows.sort(
        Comparator.comparingInt((DeniedRow row) -> rank.get(row.client()))
            .thenComparing(Comparator.comparingLong(DeniedRow::count).reversed())
            .thenComparing(DeniedRow::target)
            .thenComparing(DeniedRow::reason));
    return rows;
  }

  private static List<String> clientsOf(List<DeniedRow> rows) {
    return rows.stream().map(DeniedRow::client).toList();
  }

  private record Key(String client, String target, String reason) {}

  private static final class Sum {
    private long count;
    private String first;
    private String last;

    Sum(String ts) {
      this.first = ts;
      this.last = ts;
    }

    void add(String ts, String lastTs, long requests) {
      count += requests;
      if (ts.compareTo(first) < 0) {
        first = ts;
      }
      if (lastTs.compareTo(last) > 0) {
        last = lastTs;
      }
    }
  }
}
