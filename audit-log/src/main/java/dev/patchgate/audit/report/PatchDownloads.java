package dev.patchgate.audit.report;

import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.CacheOutcome;
import dev.patchgate.audit.query.AuditLine;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Adds up the downloads of the patch report: one row per client and URL.
 *
 * <p>Only allowed {@code GET} requests answered 200 or 206 for an absolute URL are downloads; the
 * caller's query selects them, and this class checks again. The admin listener's own exchanges
 * (metrics scrapes, the console's pages) are allowed GETs answered 200 too, and never count ({@link
 * AuditLine#fromAdminListener}). Several requests of the same URL by the same client (BITS and
 * Delivery Optimization fetch large files in ranges) become one row whose bytes are summed. A row's
 * KB number is read from the file's name only when {@link KbSources} trusts the host and entry of
 * the row's first record; an optional KB filter keeps only files with that KB number. Not
 * thread-safe.
 */
public final class PatchDownloads {
  private static final String MIRROR = "mirror";
  private static final String UPSTREAM = "upstream";

  private final String kb;
  private final KbSources kbSources;
  private final Map<Key, Sum> sums = new HashMap<>();

  /**
   * @param kb the KB number to keep ({@code KB5034441}), or {@code null} for all
   * @param kbSources which hosts and entries may name KB numbers in their files' names
   */
  public PatchDownloads(String kb, KbSources kbSources) {
    this.kb = kb;
    this.kbSources = kbSources;
  }

  /** Takes one record; ignores it unless it is a download (of the KB asked for). */
  public void add(AuditLine line) {
    String url = line.text(AuditFields.URL);
    String client = line.text(AuditFields.CLIENT);
    String ts = line.text(AuditFields.TS);
    long status = line.number(AuditFields.STATUS, 0);
    if (url == null
        || line.fromAdminListener()
        || client == null
        || ts == null
        || !"GET".equals(line.text(AuditFields.METHOD))
        || !"allow".equals(line.text(AuditFields.DECISION))
        || (status != 200 && status != 206)) {
      return;
    }
    Key key = new Key(client, url);
    Sum sum = sums.get(key);
    if (sum == null) {
      String fileName = UrlParts.fileName(url);
      String host = line.text(AuditFields.HOST);
      String entry = line.text(AuditFields.ENTRY);
      String fileKb = kbSources.mayNameKb(host, entry) ? KbNumber.in(fileName).orElse("") : "";
      if (kb != null && !kb.equals(fileKb)) {
        return;
      }
      sum = new Sum(fileName, fileKb, host, entry, ts);
      sums.put(key, sum);
    }
    sum.add(line, ts, status);
  }

  /** The rows, by client (IPv4 by number) and then by first request. */
  public List<DownloadRow> rows() {
    List<DownloadRow> rows = new ArrayList<>(sums.size());
    sums.forEach((key, sum) -> rows.add(sum.row(key)));
    Map<String, Integer> rank = ClientOrder.ranks(rows.stream().map(DownloadRow::client).toList());
    rows.sort(
        Comparator.comparingInt((DownloadRow row) -> rank.get(row.client()))
            .thenComparing(DownloadRow::firstSeen)
            .thenComparing(DownloadRow::url));
    return rows;
  }

  private record Key(String client, String url) {}

  /** What the records of one client and URL add up to. */
  private static final class Sum {
    private final String fileName;
    private final String kb;
    private final String host;
    private final String entry;
    private String first;
    private String last;
    private long requests;
    private long bytes;
    private long rangeBytes;
    private boolean hadRanges;
    private boolean fullDownloadComplete;
    private Long objectLength;
    private boolean fromMirror;
    private boolean fromUpstream;

    Sum(String fileName, String kb, String host, String entry, String ts) {
      this.fileName = fileName;
      this.kb = kb;
      this.host = host;
      this.entry = entry;
      this.first = ts;
      this.last = ts;
    }

    void add(AuditLine line, String ts, long status) {
      requests++;
      // Canonical timestamps compare as text; files are read in day order but not sorted within.
      if (ts.compareTo(first) < 0) {
        first = ts;
      }
      if (ts.compareTo(last) > 0) {
        last = ts;
      }
      long sent = line.number(AuditFields.BYTES_TO_CLIENT, 0);
      bytes += sent;
      Long length = line.number(AuditFields.OBJECT_LENGTH);
      if (length != null) {
        objectLength = length;
      }
      if (status == 206) {
        hadRanges = true;
        rangeBytes += sent;
      } else if (length != null && sent >= length) {
        fullDownloadComplete = true;
      }
      String cache = line.text(AuditFields.CACHE);
      if (CacheOutcome.HIT.wireName().equals(cache)
          || CacheOutcome.STALE.wireName().equals(cache)) {
        fromMirror = true;
      } else {
        fromUpstream = true;
      }
    }

    DownloadRow row(Key key) {
      String source =
          fromMirror && fromUpstream ? MIRROR + "+" + UPSTREAM : fromMirror ? MIRROR : UPSTREAM;
      return new DownloadRow(
          key.client(),
          first,
          last,
          kb,
          fileName,
          key.url(),
          host,
          objectLength != null ? objectLength : bytes,
          bytes,
          Completeness.decide(objectLength, fullDownloadComplete, rangeBytes, hadRanges),
          source,
          requests,
          entry);
    }
  }
}
