package dev.patchgate.proxy.console.data;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AuditChainBreak;
import dev.patchgate.audit.AuditChainVerifier;
import dev.patchgate.audit.AuditFields;
import dev.patchgate.audit.AuditVerification;
import dev.patchgate.audit.query.AuditLine;
import dev.patchgate.audit.query.AuditQuery;
import dev.patchgate.audit.query.AuditScanner;
import dev.patchgate.audit.query.ScanSummary;
import dev.patchgate.audit.report.CoverageReport;
import dev.patchgate.audit.report.CoverageRow;
import dev.patchgate.audit.report.DeniedRequests;
import dev.patchgate.audit.report.DeniedRow;
import dev.patchgate.audit.report.DownloadRow;
import dev.patchgate.audit.report.KbSources;
import dev.patchgate.audit.report.PatchDownloads;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Downloads, Denied and Audit search pages' data, read from the audit directory with the
 * scanner and the reports of {@code patchgate audit}.
 *
 * <p><b>Cost.</b> Every call reads the day files of its period, default the last {@link
 * Filters#DEFAULT_PERIOD}: the scanner reads about 500,000 to 800,000 records/s on the reference
 * machine (2 shared cores, gzipped day files; {@code bench/RESULTS.md}), so a week of a large
 * hospital's traffic (a few million records) takes several seconds. Call it off the event loop.
 * Rows are cut at a row limit with a "more" flag, so memory is bounded by the rows kept, not by the
 * records read; an audit search keeps at most {@value #MAX_SEARCH_DEPTH} records. The chain status
 * ({@code audit verify}: every line of every file, about 100,000 lines/s, so well over a minute for
 * a month of a large hospital's log) is verified on a thread of its own, at most one at a time, and
 * reused for {@link #CHAIN_TTL}; a search waits {@link #CHAIN_WAIT} for it, then answers with the
 * previous status (its time says how old it is) instead of holding the page.
 *
 * <p>Scoping is applied to each record before it is counted, so a vendor's totals hold only what
 * the vendor may see. Thread-safe.
 */
public final class AuditData {
  /** The most rows a Downloads or Denied page holds when the caller gives no limit. */
  public static final int DEFAULT_ROWS = 2000;

  /** How deep an audit search may page: page times limit. */
  public static final int MAX_SEARCH_DEPTH = 10_000;

  /** How long a chain status is reused. */
  public static final Duration CHAIN_TTL = Duration.ofSeconds(60);

  /** How long a search waits for a chain verification under way before it answers without it. */
  public static final Duration CHAIN_WAIT = Duration.ofSeconds(2);

  private static final Logger LOG = LoggerFactory.getLogger(AuditData.class);
  private static final int WARNINGS_LOGGED = 5;

  private final Path dir;
  private final Supplier<KbSources> kbSources;
  private final Clock clock;
  // Guarded by this: the last status, and the verification under way (null when none is).
  private ChainStatus chain;
  private CompletableFuture<ChainStatus> verifying;

  /**
   * @param dir the audit directory
   * @param kbSources which hosts and entries may name KB numbers, asked at each Downloads page (the
   *     command line's come from the configured allowlist)
   * @param clock now, for the chain status's age
   */
  public AuditData(Path dir, Supplier<KbSources> kbSources, Clock clock) {
    this.dir = dir;
    this.kbSources = kbSources;
    this.clock = clock;
  }

  /**
   * The patch report's rows in scope, and with KB numbers the coverage report ({@link #coverage}).
   *
   * @param rowLimit the most rows returned (and coverage rows)
   * @throws BadFilterException when {@code decision} is given (downloads are allowed requests)
   * @throws OutOfScopeException when the entry or client filter is outside the scope
   * @throws UncheckedIOException when the audit directory cannot be listed
   */
  public DownloadsPage downloads(Filters filters, Scope scope, int rowLimit) {
    if (filters.decision() != null) {
      throw new BadFilterException("decision: downloads are allowed requests; leave it out");
    }
    checkScope(filters, scope);
    KbSources sources = kbSources.get();
    PatchDownloads downloads =
        new PatchDownloads(filters.kbs().size() == 1 ? filters.kbs().get(0) : null, sources);
    AuditQuery query = filters.query().decision("allow").method("GET").status(200, 206).build();
    ScanSummary summary = scan(query, scope, downloads::add);
    List<Download> rows = new ArrayList<>();
    boolean more = false;
    for (DownloadRow row : downloads.rows()) {
      if (!filters.kbs().isEmpty() && !filters.kbs().contains(row.kb())) {
        continue;
      }
      if (rows.size() == rowLimit) {
        more = true;
        break;
      }
      rows.add(new Download(row, DisplayUrl.of(row.url())));
    }
    Optional<Coverage> coverage =
        filters.kbs().isEmpty()
            ? Optional.empty()
            : Optional.of(coverage(filters, scope, sources, rowLimit));
    return new DownloadsPage(
        rows, more, coverage, sources.description(), Period.of(filters, summary));
  }

  /**
   * The coverage of the KB numbers asked for over the clients seen in the period ({@code audit
   * report coverage}), in scope: a client counts when the user sees any of its records in the
   * period, and a download when the user sees it, exactly as the Downloads rows are scoped. So a
   * vendor of entries sees the clients that used their entries and what came through them; a vendor
   * of client groups, their groups' clients and everything those downloaded. The {@code client}
   * filter narrows the clients; {@code entry} and {@code host} do not apply (a client's coverage is
   * whatever it downloaded).
   *
   * @param rowLimit the most client rows returned; the summaries count every client
   * @throws BadFilterException without a KB number, or with {@code decision}
   * @throws OutOfScopeException when the entry or client filter is outside the scope
   */
  public Coverage coverage(Filters filters, Scope scope, int rowLimit) {
    if (filters.kbs().isEmpty()) {
      throw new BadFilterException("kb: give one or more KB numbers, such as KB5034441");
    }
    if (filters.decision() != null) {
      throw new BadFilterException("decision: coverage counts every client seen; leave it out");
    }
    checkScope(filters, scope);
    return coverage(filters, scope, kbSources.get(), rowLimit);
  }

  private Coverage coverage(Filters filters, Scope scope, KbSources sources, int rowLimit) {
    CoverageReport report = CoverageReport.ofKbs(filters.kbs(), sources);
    AuditQuery population =
        AuditQuery.builder()
            .since(filters.since())
            .until(filters.until())
            .client(filters.client())
            .build();
    ScanSummary summary = scan(population, scope, report::add);
    List<CoverageRow> all = report.rows();
    return new Coverage(
        report.summaries(),
        all.subList(0, Math.min(rowLimit, all.size())),
        all.size() > rowLimit,
        Period.of(filters, summary));
  }

  /**
   * The denied report's rows in scope, each with the explanation of its latest request under {@code
   * inForce} and, for an admin, an allowlist snippet.
   *
   * @throws BadFilterException when {@code kb} is given, or {@code decision} is not {@code deny}
   * @throws OutOfScopeException when the entry or client filter is outside the scope
   */
  public DeniedPage denied(Filters filters, Scope scope, Allowlist inForce, int rowLimit) {
    if (!filters.kbs().isEmpty()) {
      throw new BadFilterException("kb: applies to downloads and the audit search only");
    }
    if (filters.decision() != null && !filters.decision().equals("deny")) {
      throw new BadFilterException("decision: the denied page lists deny only");
    }
    checkScope(filters, scope);
    DeniedRequests denied = new DeniedRequests();
    Map<List<String>, Sample> samples = new HashMap<>();
    AuditQuery query = filters.query().decision("deny").build();
    ScanSummary summary =
        scan(
            query,
            scope,
            line -> {
              denied.add(line);
              Sample.keep(samples, line);
            });
    List<DeniedItem> rows = new ArrayList<>();
    boolean more = false;
    for (DeniedRow row : denied.rows()) {
      if (rows.size() == rowLimit) {
        more = true;
        break;
      }
      Sample sample = samples.get(List.of(row.client(), row.target(), row.reason()));
      rows.add(item(row, sample, scope, inForce));
    }
    return new DeniedPage(rows, more, Period.of(filters, summary));
  }

  private static DeniedItem item(DeniedRow row, Sample sample, Scope scope, Allowlist inForce) {
    InetAddress client = Scope.literal(row.client());
    if (sample == null || client == null) {
      return new DeniedItem(row, "", "", "", Optional.empty(), Optional.empty());
    }
    Instant at;
    try {
      at = Instant.parse(sample.ts());
    } catch (DateTimeParseException e) {
      return new DeniedItem(row, "", "", "", Optional.empty(), Optional.empty());
    }
    Explained explained = Explained.of(inForce, client, sample.method(), sample.url(), at);
    Optional<String> snippet =
        scope.isAdmin() ? AllowlistSnippet.toAllow(explained, client, inForce) : Optional.empty();
    return new DeniedItem(
        row,
        sample.method(),
        sample.url(),
        DisplayUrl.of(sample.url()),
        Optional.of(explained),
        snippet);
  }

  /**
   * A page of the records in scope that match the filters, newest first (by day file, then file
   * order), with their total and the chain status.
   *
   * @throws BadFilterException when more than one KB number is given, or the page is deeper than
   *     {@value #MAX_SEARCH_DEPTH} records
   * @throws OutOfScopeException when the entry or client filter is outside the scope
   */
  public AuditPage search(Filters filters, Scope scope) {
    if (filters.kbs().size() > 1) {
      throw new BadFilterException("kb: the audit search takes one KB number");
    }
    long depth = filters.offset() + filters.limit();
    if (depth > MAX_SEARCH_DEPTH) {
      throw new BadFilterException(
          "page: "
              + filters.page()
              + " is beyond the newest "
              + MAX_SEARCH_DEPTH
              + " records; narrow the period or the filters");
    }
    checkScope(filters, scope);
    ArrayDeque<AuditRow> newest = new ArrayDeque<>();
    long[] total = {0};
    ScanSummary summary =
        scan(
            filters.query().build(),
            scope,
            line -> {
              total[0]++;
              if (newest.size() == depth) {
                newest.removeFirst();
              }
              newest.addLast(
                  new AuditRow(
                      Collections.unmodifiableMap(new LinkedHashMap<>(line.fields())),
                      line.file(),
                      line.lineNumber(),
                      DisplayUrl.of(line.text(AuditFields.URL))));
            });
    List<AuditRow> page = new ArrayList<>(filters.limit());
    long skip = filters.offset();
    for (var it = newest.descendingIterator(); it.hasNext() && page.size() < filters.limit(); ) {
      AuditRow row = it.next();
      if (skip > 0) {
        skip--;
      } else {
        page.add(row);
      }
    }
    return new AuditPage(
        page, total[0], filters.page(), filters.limit(), chain(), Period.of(filters, summary));
  }

  /**
   * The chain status of {@code audit verify}, verified again (on a thread of its own) when the last
   * answer is older than {@link #CHAIN_TTL}. Waits up to {@link #CHAIN_WAIT} for that; a longer
   * verification goes on, and meanwhile the previous status is the answer, or {@link
   * ChainStatus.State#UNKNOWN} "being verified" before the first has ended.
   */
  public ChainStatus chain() {
    CompletableFuture<ChainStatus> check;
    synchronized (this) {
      Instant now = clock.instant();
      if (chain != null && now.isBefore(chain.checkedAt().plus(CHAIN_TTL))) {
        return chain;
      }
      check = verifying;
      if (check == null) {
        check = CompletableFuture.supplyAsync(() -> verify(now), AuditData::onOwnThread);
        verifying = check;
        // May run at once, on this thread, when the verification has already ended.
        check.whenComplete(this::verified);
      }
    }
    try {
      return check.get(CHAIN_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      synchronized (this) {
        return chain != null
            ? chain
            : new ChainStatus(
                ChainStatus.State.UNKNOWN,
                0,
                "",
                0,
                "being verified (every line of every day file is read); reload in a minute",
                clock.instant());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the chain status", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the chain verification failed", e.getCause());
    }
  }

  private synchronized void verified(ChainStatus status, Throwable failure) {
    if (status != null) {
      chain = status;
    } else {
      LOG.error("audit chain verification for the console failed", failure);
    }
    verifying = null;
  }

  /** A verification runs on a daemon thread of its own: at most one per minute, so none is kept. */
  private static void onOwnThread(Runnable verification) {
    Thread thread = new Thread(verification, "patchgate-console-chain-check");
    thread.setDaemon(true);
    thread.start();
  }

  private ChainStatus verify(Instant now) {
    AuditVerification result;
    try {
      result = AuditChainVerifier.verify(dir);
    } catch (IOException e) {
      return new ChainStatus(
          ChainStatus.State.UNKNOWN, 0, "", 0, "cannot read " + dir + ": " + e.getMessage(), now);
    }
    if (result.files().isEmpty()) {
      return new ChainStatus(ChainStatus.State.UNKNOWN, 0, "", 0, "no audit files in " + dir, now);
    }
    if (result.firstBreak().isPresent()) {
      AuditChainBreak broken = result.firstBreak().get();
      return new ChainStatus(
          ChainStatus.State.BROKEN,
          result.records(),
          broken.file(),
          broken.line(),
          broken.message(),
          now);
    }
    return new ChainStatus(ChainStatus.State.OK, result.records(), "", 0, "", now);
  }

  private static void checkScope(Filters filters, Scope scope) {
    if (filters.entry() != null) {
      scope.checkEntry(filters.entry());
    }
    if (filters.client() != null) {
      scope.checkClient(filters.client());
    }
  }

  private ScanSummary scan(AuditQuery query, Scope scope, Consumer<AuditLine> sink) {
    return scan(dir, query, scope, sink);
  }

  /**
   * Hands every record of {@code query} in {@code dir} that {@code scope} sees to {@code sink}; the
   * scanner's warnings go to the service log (the first few).
   */
  static ScanSummary scan(Path dir, AuditQuery query, Scope scope, Consumer<AuditLine> sink) {
    ByteArrayOutputStream warnings = new ByteArrayOutputStream();
    ScanSummary summary;
    try (PrintStream out = new PrintStream(warnings, true, StandardCharsets.UTF_8)) {
      summary =
          AuditScanner.scan(
              dir,
              query,
              line -> {
                if (scope.sees(
                    line.text(AuditFields.ENTRY),
                    line.text(AuditFields.HOST),
                    line.text(AuditFields.CLIENT))) {
                  sink.accept(line);
                }
                return true;
              },
              out);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the audit directory " + dir, e);
    }
    String text = warnings.toString(StandardCharsets.UTF_8);
    if (!text.isEmpty()) {
      text.lines().limit(WARNINGS_LOGGED).forEach(LOG::warn);
    }
    return summary;
  }

  /** The latest request of one denied row: what is explained. */
  private record Sample(String method, String url, String ts) {
    /** Keeps {@code line} as its row's sample when it is a single request later than the last. */
    static void keep(Map<List<String>, Sample> samples, AuditLine line) {
      String client = line.text(AuditFields.CLIENT);
      String host = line.text(AuditFields.HOST);
      String url = line.text(AuditFields.URL);
      String method = line.text(AuditFields.METHOD);
      String ts = line.text(AuditFields.TS);
      if (client == null || host == null || url == null || method == null || ts == null) {
        return;
      }
      if (line.number(AuditFields.COUNT) != null) {
        return;
      }
      List<String> key = List.of(client, host, String.valueOf(line.text(AuditFields.REASON)));
      Sample known = samples.get(key);
      if (known == null || ts.compareTo(known.ts) > 0) {
        samples.put(key, new Sample(method, url, ts));
      }
    }
  }
}
