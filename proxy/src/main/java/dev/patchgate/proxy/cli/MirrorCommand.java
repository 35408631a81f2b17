package dev.patchgate.proxy.cli;

import dev.patchgate.mirror.ListedObject;
import dev.patchgate.mirror.MirrorKey;
import dev.patchgate.mirror.MirrorSettings;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.mirror.PurgeReport;
import dev.patchgate.mirror.VerifyReport;
import dev.patchgate.proxy.config.GatewaySettings;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/**
 * The {@code mirror} commands: {@code ls}, {@code verify}, {@code purge URL-PREFIX} and {@code
 * prefetch FILE}.
 *
 * <p>{@code ls} reads the store without its lock, so it works beside a running gateway. {@code
 * verify} and {@code purge} open the store and need its lock: while the gateway holds it they say
 * so in one line and change nothing. {@code prefetch} is a proxy client of the running gateway, so
 * the gateway's allowlist decides every URL and its own fills warm the mirror.
 *
 * <p>Exit codes: 0 done (verify: nothing damaged; prefetch: every URL fetched); 1 the store is held
 * by the gateway or missing, verify found damage, or a URL was not fetched; 2 a bad command line.
 * Results go to {@code out}; progress, refusals and usage errors to {@code err}. Stateless.
 */
final class MirrorCommand {
  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  static final String HELP =
      """
      Usage: patchgate mirror ls [--dir DIR]
             patchgate mirror verify [--dir DIR]
             patchgate mirror purge URL-PREFIX [--dir DIR]
             patchgate mirror prefetch FILE [--gateway HOST:PORT]

      ls        every stored object: URL, size, when stored, last hit, hits; sorted by URL.
                Works beside a running gateway (hit counts reach the disk within 30 s).
      verify    re-reads every object and checks its length and SHA-256; damaged objects are
                moved to DIR/quarantine. Exit 0 all intact, 1 damage found.
      purge     removes every object whose URL starts with URL-PREFIX, e.g.
                http://download.vendor.example/old/ (http:// removes everything).
      prefetch  downloads every URL in FILE (one a line; # comments and blank lines skipped)
                through the running gateway, so its mirror fills; the allowlist decides as for
                any client. Exit 0 when every URL was fetched, 1 otherwise.

      verify and purge need the store to themselves: stop the gateway first.
      DIR defaults to the configured patchgate.mirror.dir; HOST:PORT to patchgate.listen.
      """;

  private static final String PREFIX = "http://";
  private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};

  private MirrorCommand() {}

  /**
   * Runs {@code mirror SUBCOMMAND ...}.
   *
   * @param args the words after {@code mirror}
   * @param mirrorDir the configured store directory ({@code --dir} overrides it), or null when the
   *     mirror is off
   * @param gatewayListen the configured listen address, for prefetch ({@code --gateway} overrides
   *     it); an unspecified address (0.0.0.0, ::) means this machine's loopback
   * @return the exit code described in the class comment
   */
  static int run(
      List<String> args,
      Path mirrorDir,
      InetSocketAddress gatewayListen,
      PrintStream out,
      PrintStream err) {
    return run(args, mirrorDir, gatewayListen, out, err, System.console() != null);
  }

  /**
   * As above; {@code progressBar}: prefetch draws a progress bar on {@code err} while each URL
   * downloads (on a terminal; redrawn in place with carriage returns, so not in logs).
   */
  static int run(
      List<String> args,
      Path mirrorDir,
      InetSocketAddress gatewayListen,
      PrintStream out,
      PrintStream err,
      boolean progressBar) {
    if (args.isEmpty()) {
      return usage(err, "", "expected ls, verify, purge or prefetch");
    }
    String sub = args.get(0);
    if (args.contains("--help") || args.contains("-h") || sub.equals("help")) {
      out.print(HELP);
      return OK;
    }
    List<String> rest = args.subList(1, args.size());
    return switch (sub) {
      case "ls", "verify", "purge" -> admin(sub, rest, mirrorDir, out, err);
      case "prefetch" -> prefetch(rest, gatewayListen, out, err, progressBar);
      default ->
          usage(
              err,
              "",
              "unknown mirror command '"
                  + printable(sub)
                  + "' (expected ls, verify, purge or prefetch)");
    };
  }

  // ---- ls, verify, purge ----

  private static int admin(
      String sub, List<String> args, Path mirrorDir, PrintStream out, PrintStream err) {
    Path dir = mirrorDir;
    String prefix = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--dir") || arg.startsWith("--dir=")) {
        String value =
            arg.equals("--dir")
                ? (i + 1 < args.size() ? args.get(++i) : "")
                : arg.substring("--dir=".length());
        if (value.isBlank()) {
          return usage(err, sub, "--dir needs a directory");
        }
        dir = Path.of(value);
      } else if (arg.startsWith("-")) {
        return usage(err, sub, "unknown option '" + printable(arg) + "'");
      } else if (sub.equals("purge") && prefix == null) {
        prefix = arg;
      } else {
        return usage(err, sub, "unexpected argument '" + printable(arg) + "'");
      }
    }
    if (dir == null) {
      err.println(
          "patchgate mirror "
              + sub
              + ": the mirror is off (patchgate.mirror.enabled = false); name a store with --dir"
              + " DIR");
      return FAILED;
    }
    if (sub.equals("purge")) {
      if (prefix == null) {
        return usage(err, sub, "expected a URL prefix, e.g. http://download.vendor.example/old/");
      }
      if (!prefix.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
        return usage(
            err,
            sub,
            "'"
                + printable(prefix)
                + "' is not an http:// URL prefix (the mirror stores plain-HTTP downloads only)");
      }
    }
    if (!Files.isDirectory(dir.resolve("objects"))) {
      err.println("patchgate mirror " + sub + ": no mirror store at " + dir.toAbsolutePath());
      return FAILED;
    }
    if (sub.equals("ls")) {
      return ls(dir, out, err);
    }
    MirrorStore store;
    try {
      store = MirrorStore.open(adminSettings(dir), Clock.systemUTC(), new SimpleMeterRegistry());
    } catch (IOException e) {
      Path lock = dir.resolve("lock");
      err.println(
          "patchgate mirror "
              + sub
              + ": "
              + (lockHeld(lock)
                  ? "the gateway is running and holds the mirror ("
                      + lock.toAbsolutePath()
                      + "); stop it first"
                  : "cannot open the mirror store "
                      + dir.toAbsolutePath()
                      + ": "
                      + e.getMessage()));
      return FAILED;
    }
    try (store) {
      return sub.equals("verify") ? verify(store, dir, out) : purge(store, prefix, out);
    } catch (IOException e) {
      err.println("patchgate mirror " + sub + ": " + e.getMessage());
      return FAILED;
    }
  }

  /**
   * The store's settings for an administrative command. Size limits are unbounded: opening a store
   * evicts down to its size limit, and {@code verify} must not delete objects because the
   * configured limit is not known here.
   */
  private static MirrorSettings adminSettings(Path dir) {
    MirrorSettings defaults = MirrorSettings.defaults(dir);
    return defaults.withSizes(Long.MAX_VALUE, Long.MAX_VALUE).withMinFree(0);
  }

  /** Whether another process, or another open store in this one, holds {@code lock}. */
  private static boolean lockHeld(Path lock) {
    try (FileChannel ch = FileChannel.open(lock, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
      if (probe == null) {
        return true;
      }
      probe.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int ls(Path dir, PrintStream out, PrintStream err) {
    List<ListedObject> objects;
    try {
      objects = MirrorStore.list(dir);
    } catch (IOException e) {
      err.println("patchgate mirror ls: cannot read " + dir.toAbsolutePath() + ": " + e);
      return FAILED;
    }
    if (objects.isEmpty()) {
      out.println("the mirror is empty (" + dir.toAbsolutePath() + ")");
      return OK;
    }
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"URL", "SIZE", "STORED", "LAST HIT", "HITS"});
    long total = 0;
    for (ListedObject o : objects) {
      total += o.length();
      rows.add(
          new String[] {
            printable(o.url()),
            human(o.length()),
            iso(o.storedAt()),
            o.hits() == 0 ? "never" : iso(o.lastAccess()),
            Long.toString(o.hits())
          });
    }
    int[] width = new int[5];
    for (String[] row : rows) {
      for (int c = 0; c < row.length; c++) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    // URL and dates left-aligned, numbers right-aligned, two spaces between columns.
    String format =
        String.format(
            Locale.ROOT,
            "%%-%ds  %%%ds  %%-%ds  %%-%ds  %%%ds%%n",
            width[0],
            width[1],
            width[2],
            width[3],
            width[4]);
    for (String[] row : rows) {
      out.printf(Locale.ROOT, format, (Object[]) row);
    }
    out.println(plural(objects.size(), "object") + ", " + human(total));
    return OK;
  }

  private static int verify(MirrorStore store, Path dir, PrintStream out) throws IOException {
    VerifyReport report = store.verify();
    String checked =
        plural(report.checked(), "object") + " checked (" + human(report.bytesChecked()) + " read)";
    if (report.clean()) {
      out.println("mirror verified: " + checked + ", all intact");
      return OK;
    }
    out.println(
        "mirror DAMAGED: "
            + checked
            + "; "
            + report.quarantined().size()
            + " damaged, moved to "
            + dir.resolve("quarantine").toAbsolutePath()
            + ":");
    for (VerifyReport.Quarantined q : report.quarantined()) {
      out.println(
          "  "
              + printable(q.url())
              + ": "
              + q.problem()
              + (q.movedTo() == null ? "" : " -> " + q.movedTo().getFileName()));
    }
    return FAILED;
  }

  private static int purge(MirrorStore store, String prefix, PrintStream out) {
    String canonical = canonicalPrefix(prefix);
    // The lock is ours, so nothing fills or evicts meanwhile: what matches now is what goes.
    List<ListedObject> doomed =
        store.ls().stream().filter(o -> o.url().startsWith(canonical)).toList();
    PurgeReport report = store.purge(canonical);
    for (ListedObject o : doomed) {
      out.println("removed " + printable(o.url()) + " (" + human(o.length()) + ")");
    }
    if (report.objects() == 0) {
      out.println(
          "nothing stored under "
              + printable(canonical)
              + " (URLs are stored as http://host:port/path; see mirror ls)");
    } else {
      out.println(plural(report.objects(), "object") + " removed, " + human(report.bytes()));
    }
    return OK;
  }

  /**
   * The prefix in the form URLs are stored in, when it names a whole host: {@code
   * http://Vendor.example/x} becomes {@code http://vendor.example:80/x}. A prefix that ends inside
   * the host name ({@code http://vendor.ex}) is used as given.
   */
  static String canonicalPrefix(String prefix) {
    if (prefix.indexOf('/', PREFIX.length()) < 0) {
      return PREFIX + prefix.substring(PREFIX.length()).toLowerCase(Locale.ROOT);
    }
    try {
      return MirrorKey.of(prefix, false).url();
    } catch (IllegalArgumentException e) {
      return prefix;
    }
  }

  // ---- prefetch ----

  private static int prefetch(
      List<String> args,
      InetSocketAddress gatewayListen,
      PrintStream out,
      PrintStream err,
      boolean progressBar) {
    InetSocketAddress gateway = gatewayListen;
    Path file = null;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.equals("--gateway") || arg.startsWith("--gateway=")) {
        String value =
            arg.equals("--gateway")
                ? (i + 1 < args.size() ? args.get(++i) : "")
                : arg.substring("--gateway=".length());
        if (value.isBlank()) {
          return usage(err, "prefetch", "--gateway needs HOST:PORT");
        }
        try {
          gateway = GatewaySettings.parseListen(value);
        } catch (IllegalArgumentException e) {
          return usage(err, "prefetch", "--gateway " + printable(value) + ": " + e.getMessage());
        }
      } else if (arg.startsWith("-")) {
        return usage(err, "prefetch", "unknown option '" + printable(arg) + "'");
      } else if (file == null) {
        file = Path.of(arg);
      } else {
        return usage(err, "prefetch", "unexpected argument '" + printable(arg) + "'");
      }
    }
    if (file == null) {
      return usage(err, "prefetch", "expected a file of URLs, one a line");
    }
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return usage(
          err, "prefetch", "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
    List<URI> urls = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      URI uri = httpUri(line);
      if (uri == null) {
        problems.add(
            file
                + ":"
                + (n + 1)
                + ": '"
                + printable(line)
                + "' is not an http:// URL (the mirror stores plain-HTTP downloads only)");
      } else {
        urls.add(uri);
      }
    }
    if (!problems.isEmpty()) {
      problems.forEach(err::println);
      err.println("patchgate mirror prefetch: nothing fetched");
      return USAGE;
    }
    if (urls.isEmpty()) {
      err.println("patchgate mirror prefetch: no URLs in " + file);
      return USAGE;
    }
    return new Prefetch(proxyAddress(gateway), urls, out, err, progressBar).run();
  }

  private static URI httpUri(String line) {
    try {
      URI uri = new URI(line);
      boolean http = "http".equalsIgnoreCase(uri.getScheme());
      return http && uri.getHost() != null && uri.getRawFragment() == null ? uri : null;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  /** Where to reach a gateway listening on {@code listen}: every interface means loopback. */
  static InetSocketAddress proxyAddress(InetSocketAddress listen) {
    String host = listen.getHostString();
    if (host.equals("0.0.0.0")) {
      host = "127.0.0.1";
    } else if (host.equals("::") || host.equals("0:0:0:0:0:0:0:0")) {
      host = "::1";
    }
    return InetSocketAddress.createUnresolved(host, listen.getPort());
  }

  /**
   * One prefetch run: each URL in turn through the gateway, a line each (and a progress bar while
   * it downloads, on a terminal), then a summary.
   */
  private static final class Prefetch {
    private static final int BAR_CELLS = 24;
    private static final long BAR_REDRAW_NANOS = 200_000_000L;

    private final InetSocketAddress gateway;
    private final List<URI> urls;
    private final PrintStream out;
    private final PrintStream err;
    private final HttpClient client;
    private final boolean progressBar;
    private int barWidth;
    private int fetched;
    private int denied;
    private int failed;
    private long bytes;

    Prefetch(
        InetSocketAddress gateway,
        List<URI> urls,
        PrintStream out,
        PrintStream err,
        boolean progressBar) {
      this.gateway = gateway;
      this.progressBar = progressBar;
      this.urls = urls;
      this.out = out;
      this.err = err;
      this.client =
          HttpClient.newBuilder()
              .version(HttpClient.Version.HTTP_1_1)
              .proxy(ProxySelector.of(gateway))
              .followRedirects(HttpClient.Redirect.NEVER)
              .connectTimeout(Duration.ofSeconds(10))
              .build();
    }

    int run() {
      for (int i = 0; i < urls.size(); i++) {
        URI url = urls.get(i);
        String counter = "[" + (i + 1) + "/" + urls.size() + "] ";
        try {
          HttpResponse<InputStream> response =
              client.send(
                  HttpRequest.newBuilder(url).GET().build(),
                  HttpResponse.BodyHandlers.ofInputStream());
          int status = response.statusCode();
          if (status >= 200 && status < 300) {
            long n;
            try (InputStream body = response.body()) {
              n = download(body, counter, response.headers().firstValueAsLong("Content-Length"));
            }
            fetched++;
            bytes += n;
            err.println(counter + status + " " + human(n) + " " + printable(url.toString()));
          } else {
            String why = firstLine(response.body());
            if (status == 403) {
              denied++;
            } else {
              failed++;
            }
            err.println(
                counter
                    + status
                    + " "
                    + printable(url.toString())
                    + (why.isEmpty() ? "" : " (" + why + ")"));
          }
        } catch (ConnectException e) {
          // Nothing listens there: every other URL would fail the same way.
          err.println(
              "patchgate mirror prefetch: cannot reach the gateway at "
                  + describe(gateway)
                  + " (connection refused); is it running? (--gateway HOST:PORT)");
          return FAILED;
        } catch (IOException e) {
          failed++;
          err.println(counter + "failed " + printable(url.toString()) + " (" + reason(e) + ")");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          err.println("patchgate mirror prefetch: interrupted");
          return FAILED;
        }
      }
      out.println(
          plural(urls.size(), "URL")
              + ": "
              + fetched
              + " fetched ("
              + human(bytes)
              + "), "
              + denied
              + " denied (403), "
              + failed
              + " failed");
      return fetched == urls.size() ? OK : FAILED;
    }

    /** Reads the body to its end, drawing the progress bar meanwhile; returns its length. */
    private long download(InputStream body, String counter, OptionalLong length)
        throws IOException {
      long total = length.orElse(-1);
      long n = 0;
      byte[] buffer = new byte[1 << 16];
      if (progressBar) {
        drawBar(counter, 0, total);
      }
      long nextDraw = System.nanoTime() + BAR_REDRAW_NANOS;
      try {
        for (int r = body.read(buffer); r >= 0; r = body.read(buffer)) {
          n += r;
          if (progressBar && System.nanoTime() - nextDraw >= 0) {
            drawBar(counter, n, total);
            nextDraw = System.nanoTime() + BAR_REDRAW_NANOS;
          }
        }
        if (progressBar) {
          drawBar(counter, n, total);
        }
      } finally {
        if (progressBar) {
          // The URL's own line replaces the bar.
          err.print("\r" + " ".repeat(barWidth) + "\r");
          barWidth = 0;
        }
      }
      return n;
    }

    /** {@code [2/5] 1.2 GiB / 4.7 GiB [#####---------------] 26%}, redrawn in place. */
    private void drawBar(String counter, long done, long total) {
      StringBuilder line = new StringBuilder(counter).append(human(done));
      if (total > 0) {
        int filled = (int) (BAR_CELLS * Math.min(done, total) / total);
        line.append(" / ")
            .append(human(total))
            .append(" [")
            .append("#".repeat(filled))
            .append("-".repeat(BAR_CELLS - filled))
            .append("] ")
            .append(String.format(Locale.ROOT, "%3d%%", 100 * Math.min(done, total) / total));
      }
      int width = line.length();
      line.append(" ".repeat(Math.max(0, barWidth - width)));
      err.print("\r" + line);
      err.flush();
      barWidth = width;
    }

    /** The first line of a refusal's body (the gateway names its reason there), at most 200. */
    private static String firstLine(InputStream body) throws IOException {
      byte[] head;
      try (body) {
        head = body.readNBytes(200);
        body.transferTo(OutputStream.nullOutputStream());
      }
      String text = new String(head, StandardCharsets.UTF_8);
      int nl = text.indexOf('\n');
      return printable((nl < 0 ? text : text.substring(0, nl)).strip());
    }

    private static String reason(IOException e) {
      String message = e.getMessage();
      return printable(
          message == null || message.isBlank() ? e.getClass().getSimpleName() : message);
    }
  }

  // ---- shared ----

  private static int usage(PrintStream err, String sub, String message) {
    String command = sub.isEmpty() ? "mirror" : "mirror " + sub;
    err.println("patchgate " + command + ": " + message + " (see 'patchgate mirror --help')");
    return USAGE;
  }

  private static String describe(InetSocketAddress address) {
    String host = address.getHostString();
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
  }

  /** Byte counts for people: {@code 812 B}, {@code 1.5 KiB}, {@code 245.5 MiB}, {@code 4.7 GiB}. */
  static String human(long bytes) {
    if (bytes < 1024) {
      return bytes + " B";
    }
    double value = bytes;
    int unit = -1;
    while (value >= 1024 && unit < UNITS.length - 1) {
      value /= 1024;
      unit++;
    }
    return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
  }

  private static String iso(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private static String plural(long count, String noun) {
    return count + " " + noun + (count == 1 ? "" : "s");
  }

  /**
   * The text with every character outside printable ASCII shown as {@code ?}: URLs come from files
   * on disk and from the network, and must not drive the administrator's terminal.
   */
  static String printable(String text) {
    StringBuilder b = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      b.append(c >= 0x20 && c < 0x7f ? c : '?');
    }
    return b.toString();
  }
}
