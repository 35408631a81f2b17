package dev.patchgate.audit.report;

import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.query.AuditLine;
import dev.patchgate.audit.report.ReportModel.Column;
import dev.patchgate.audit.report.ReportModel.Kind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The coverage report: for each client seen in the period and each KB number asked for (or the
 * {@code --file} pattern), whether the client downloaded it completely, started without finishing,
 * or never asked for it.
 *
 * <p>The population is every client with any record in the period (allowed, denied or a tunnel),
 * narrowed to a {@link ClientScope}; a client the gateway never saw cannot be counted. Downloads
 * are added up by {@link PatchDownloads} exactly as the patch report does (ranges merged, a mirror
 * hit counts like an upstream fetch). A target is {@code complete} for a client when at least one
 * of its files arrived whole; {@code incomplete} when files were fetched but none whole (also when
 * the length was unknown, since then completeness cannot be shown); {@code none} otherwise. Not
 * thread-safe.
 */
public final class CoverageReport {
  static final List<Column> COLUMNS =
      List.of(
          new Column("kb", "KB / file", Kind.TEXT, 40, true),
          new Column("status", "Status", Kind.TEXT, 0, true),
          new Column("files", "Files", Kind.COUNT, 0, true),
          new Column("source", "Source", Kind.TEXT, 0, true),
          new Column("first_download", "First download", Kind.TIME, 0, true),
          new Column("last_download", "Last download", Kind.TIME, 0, true),
          new Column("first_seen", "Client first seen", Kind.TIME, 0, true),
          new Column("last_seen", "Client last seen", Kind.TIME, 0, true));

  /** What one client has of one target. */
  enum Status {
    COMPLETE("complete"),
    INCOMPLETE("incomplete"),
    NONE("none");

    private final String label;

    Status(String label) {
      this.label = label;
    }

    String label() {
      return label;
    }
  }

  private final List<String> kbs;
  private final FileGlob file;
  private final ClientScope clients;
  private final PatchDownloads downloads;
  private final Map<String, Seen> population = new HashMap<>();

  /**
   * @param kbs the KB numbers, parsed ({@code KB5034441}); empty when {@code file} is given
   * @param file the file name pattern, or {@code null} when {@code kbs} are given
   * @param clients the group or block the population is narrowed to, or {@code null} for every
   *     client
   * @param kbSources which hosts and entries may name KB numbers
   */
  CoverageReport(List<String> kbs, FileGlob file, ClientScope clients, KbSources kbSources) {
    if (kbs.isEmpty() == (file == null)) {
      throw new IllegalArgumentException("give KB numbers or a file pattern, not both");
    }
    this.kbs = List.copyOf(kbs);
    this.file = file;
    this.clients = clients;
    this.downloads = new PatchDownloads(null, kbSources);
  }

  /**
   * A coverage report of KB numbers over every client, for callers outside this package.
   *
   * @param kbs KB numbers as {@link KbNumber#parse} returns them; at least one
   */
  public static CoverageReport ofKbs(List<String> kbs, KbSources kbSources) {
    return new CoverageReport(kbs, null, null, kbSources);
  }

  /** Takes one record of the period: counts its client, and its download if it is one. */
  public void add(AuditLine line) {
    String client = line.text(AuditFields.CLIENT);
    String ts = line.text(AuditFields.TS);
    if (client == null || ts == null || (clients != null && !clients.contains(client))) {
      return;
    }
    population.computeIfAbsent(client, c -> new Seen(ts)).add(ts);
    String url = line.text(AuditFields.URL);
    if (url != null && mayBeTarget(url)) {
      downloads.add(line);
    }
  }

  // A cheap first cut so that PatchDownloads holds only candidate rows; rows are checked exactly.
  private boolean mayBeTarget(String url) {
    if (file != null) {
      return file.matches(UrlParts.fileName(url));
    }
    for (String kb : kbs) {
      if (containsIgnoreCase(url, kb)) {
        return true;
      }
    }
    return false;
  }

  // Without lower-casing a copy of every URL: this runs for every record of the period.
  private static boolean containsIgnoreCase(String text, String part) {
    char first = Character.toLowerCase(part.charAt(0));
    for (int i = 0, last = text.length() - part.length(); i <= last; i++) {
      if (Character.toLowerCase(text.charAt(i)) == first
          && text.regionMatches(true, i, part, 0, part.length())) {
        return true;
      }
    }
    return false;
  }

  /** The targets' labels, in the order asked. */
  List<String> targets() {
    return file != null ? List.of(file.toString()) : kbs;
  }

  /** One line per client and target, clients in {@link ClientOrder}, then the summary notes. */
  ReportModel model(List<String> notes) {
    Map<String, Map<String, Files>> byClient = new HashMap<>();
    for (DownloadRow row : downloads.rows()) {
      String target = targetOf(row);
      if (target != null) {
        byClient
            .computeIfAbsent(row.client(), c -> new HashMap<>())
            .computeIfAbsent(target, t -> new Files())
            .add(row);
      }
    }
    List<String> order = new ArrayList<>(population.keySet());
    order.sort(ClientOrder.INSTANCE);
    List<ReportModel.Row> rows = new ArrayList<>();
    for (String client : order) {
      Seen seen = population.get(client);
      for (String target : targets()) {
        Files files = byClient.getOrDefault(client, Map.of()).get(target);
        Status status = files == null ? Status.NONE : files.status();
        List<Object> cells =
            Arrays.asList(
                target,
                status.label(),
                files == null ? 0L : (long) files.count,
                files == null ? "" : files.source(),
                files == null ? "" : files.first,
                files == null ? "" : files.last,
                seen.first,
                seen.last);
        rows.add(new ReportModel.Row(client, false, cells));
      }
    }
    List<String> allNotes = new ArrayList<>(notes);
    if (clients != null) {
      allNotes.add("Clients: those in " + clients + " seen in the period");
    }
    allNotes.addAll(summaries(targets(), rows));
    return new ReportModel("Patch coverage", allNotes, null, COLUMNS, rows, "no clients seen");
  }

  /** The report's lines, as {@link #model} orders them, for callers that render their own. */
  public List<CoverageRow> rows() {
    List<CoverageRow> rows = new ArrayList<>();
    for (ReportModel.Row row : model(List.of()).rows()) {
      List<Object> c = row.cells();
      rows.add(
          new CoverageRow(
              row.client(),
              (String) c.get(0),
              (String) c.get(1),
              (Long) c.get(2),
              (String) c.get(3),
              (String) c.get(4),
              (String) c.get(5),
              (String) c.get(6),
              (String) c.get(7)));
    }
    return rows;
  }

  /** The coverage of each target over every client seen, in the order asked. */
  public List<CoverageSummary> summaries() {
    return counts(targets(), model(List.of()).rows());
  }

  /**
   * One summary line per target, from a model's rows: {@code KB5034441: 10 clients, 4 complete
   * (40.0%), 3 incomplete (30.0%), 3 none (30.0%)}.
   */
  static List<String> summaries(List<String> targets, List<ReportModel.Row> rows) {
    return counts(targets, rows).stream().map(CoverageSummary::line).toList();
  }

  private static List<CoverageSummary> counts(List<String> targets, List<ReportModel.Row> rows) {
    List<CoverageSummary> summaries = new ArrayList<>();
    for (String target : targets) {
      long[] counts = new long[Status.values().length];
      int clients = 0;
      for (ReportModel.Row row : rows) {
        if (target.equals(row.cells().get(0))) {
          clients++;
          for (Status status : Status.values()) {
            if (status.label().equals(row.cells().get(1))) {
              counts[status.ordinal()]++;
            }
          }
        }
      }
      summaries.add(
          new CoverageSummary(
              target,
              clients,
              counts[Status.COMPLETE.ordinal()],
              counts[Status.INCOMPLETE.ordinal()],
              counts[Status.NONE.ordinal()]));
    }
    return summaries;
  }

  private String targetOf(DownloadRow row) {
    if (file != null) {
      return file.matches(row.fileName()) ? file.toString() : null;
    }
    return kbs.contains(row.kb()) ? row.kb() : null;
  }

  /** When a client was seen at all. */
  private static final class Seen {
    private String first;
    private String last;

    Seen(String ts) {
      first = ts;
      last = ts;
    }

    void add(String ts) {
      if (ts.compareTo(first) < 0) {
        first = ts;
      }
      if (ts.compareTo(last) > 0) {
        last = ts;
      }
    }
  }

  /** The files of one target one client fetched. */
  private static final class Files {
    private int count;
    private boolean complete;
    private boolean mirror;
    private boolean upstream;
    private String first;
    private String last;

    void add(DownloadRow row) {
      count++;
      complete |= row.completeness() == Completeness.COMPLETE;
      mirror |= row.source().contains("mirror");
      upstream |= row.source().contains("upstream");
      first = first == null || row.firstSeen().compareTo(first) < 0 ? row.firstSeen() : first;
      last = last == null || row.lastSeen().compareTo(last) > 0 ? row.lastSeen() : last;
    }

    Status status() {
      return complete ? Status.COMPLETE : Status.INCOMPLETE;
    }

    String source() {
      return mirror && upstream ? "mirror+upstream" : mirror ? "mirror" : "upstream";
    }
  }
}
