package dev.patchgate.proxy.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.patchgate.mirror.FillLease;
import dev.patchgate.mirror.FillOutcome;
import dev.patchgate.mirror.FillWriter;
import dev.patchgate.mirror.HeaderLookup;
import dev.patchgate.mirror.ListedObject;
import dev.patchgate.mirror.MirrorKey;
import dev.patchgate.mirror.MirrorSettings;
import dev.patchgate.mirror.MirrorStore;
import dev.patchgate.proxy.FakeClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MirrorCommandTest {
  private static final Instant T0 = Instant.parse("2026-11-23T10:00:00Z");
  private static final InetSocketAddress NO_GATEWAY =
      InetSocketAddress.createUnresolved("127.0.0.1", 9);

  @TempDir Path tmp;
  private final FakeClock clock = new FakeClock(T0);
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private MirrorStore store;
  private HttpServer proxy;

  @AfterEach
  void tearDown() {
    if (store != null) {
      store.close();
    }
    if (proxy != null) {
      proxy.stop(0);
    }
  }

  private Path dir() {
    return tmp.resolve("mirror");
  }

  private MirrorStore openStore() throws IOException {
    MirrorSettings settings =
        MirrorSettings.defaults(dir()).withSizes(1L << 30, 1L << 28).withMinFree(0);
    store = MirrorStore.open(settings, clock, new SimpleMeterRegistry());
    return store;
  }

  /** Stores {@code length} bytes under {@code url} through a whole fill, as the gateway does. */
  private void fill(String url, int length) throws Exception {
    FillLease lease = store.fill(MirrorKey.of(url, false));
    assertThat(lease.kind()).isEqualTo(FillLease.Kind.FILLER);
    FillWriter w = lease.writer();
    assertThat(w.start(200, HeaderLookup.of("Content-Length", Integer.toString(length)))).isTrue();
    byte[] body = new byte[length];
    for (int i = 0; i < length; i++) {
      body[i] = (byte) (i * 31 + length);
    }
    assertThat(w.write(ByteBuffer.wrap(body))).isTrue();
    w.complete();
    assertThat(w.outcome().get(20, TimeUnit.SECONDS)).isEqualTo(FillOutcome.STORED);
  }

  private void closeStore() {
    store.close();
    store = null;
  }

  private int run(String... args) {
    return run(NO_GATEWAY, args);
  }

  private int run(InetSocketAddress gateway, String... args) {
    return run(gateway, dir(), false, args);
  }

  /**
   * Runs {@code patchgate mirror --config FILE ARGS} through the command-line frame, with a
   * configuration naming the store {@code mirror} (the mirror off when null) and the gateway.
   */
  private int run(InetSocketAddress gateway, Path mirror, boolean terminal, String... args) {
    Path config = tmp.resolve("patchgate.conf");
    try {
      Files.writeString(
          config,
          "patchgate.listen = \"%s:%d\"\n%s\n"
              .formatted(
                  gateway.getHostString(),
                  gateway.getPort(),
                  mirror == null
                      ? "patchgate.mirror.enabled = false"
                      : "patchgate.mirror.dir = \"" + mirror + "\""));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<String> argv = new ArrayList<>(List.of("mirror", "--config", config.toString()));
    argv.addAll(List.of(args));
    return new Cli(
            new Terminal(
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                terminal))
        .execute(argv.toArray(String[]::new));
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  // ---- ls ----

  @Test
  void lsBesideARunningGatewayPrintsATableSortedByUrl() throws Exception {
    openStore();
    fill("http://b.example:80/z.cab", 10);
    clock.set(T0.plusSeconds(60));
    fill("http://a.example:80/kb5034441.cab", 3 * 1024 * 1024 / 2);
    clock.set(T0.plus(Duration.ofHours(2)));
    store.lookup(MirrorKey.of("http://a.example:80/kb5034441.cab", false)).orElseThrow().touch();
    store.lookup(MirrorKey.of("http://a.example:80/kb5034441.cab", false)).orElseThrow().touch();
    store.flush();

    int exit = run("ls");

    assertThat(exit).isZero();
    assertThat(out())
        .isEqualTo(
            """
            URL                                   SIZE  STORED                LAST HIT              HITS
            http://a.example:80/kb5034441.cab  1.5 MiB  2026-11-23T10:01:00Z  2026-11-23T12:00:00Z     2
            http://b.example:80/z.cab             10 B  2026-11-23T10:00:00Z  never                    0
            2 objects, 1.5 MiB
            """);
    assertThat(err()).isEmpty();
  }

  @Test
  void lsOfAnEmptyStoreSaysSoAndOfAMissingOneExitsOne() throws Exception {
    openStore();

    assertThat(run("ls")).isZero();
    assertThat(out()).isEqualTo("the mirror is empty (" + dir().toAbsolutePath() + ")\n");

    Path nowhere = tmp.resolve("nowhere");
    assertThat(run("ls", "--dir", nowhere.toString())).isEqualTo(1);
    assertThat(err()).isEqualTo("patchgate mirror ls: no mirror store at " + nowhere + "\n");
    assertThat(nowhere).doesNotExist();
  }

  @Test
  void withTheMirrorOffAStoreMustBeNamed() throws Exception {
    openStore();
    fill("http://a.example:80/1.cab", 10);
    assertThat(run(NO_GATEWAY, null, false, "ls")).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "patchgate mirror ls: the mirror is off (patchgate.mirror.enabled = false); name a"
                + " store with --dir DIR\n");
    assertThat(run(NO_GATEWAY, null, false, "ls", "--dir=" + dir())).isZero();
    assertThat(out()).contains("http://a.example:80/1.cab").endsWith("1 object, 10 B\n");
  }

  // ---- purge ----

  @Test
  void purgeRemovesTheObjectsUnderAPrefixAndNamesThem() throws Exception {
    openStore();
    fill("http://a.example:80/x/1.cab", 100);
    fill("http://a.example:80/x/2.cab", 2048);
    fill("http://a.example:80/y/3.cab", 300);
    fill("http://b.example:80/x/4.cab", 400);
    closeStore();

    int exit = run("purge", "http://A.example/x/");

    assertThat(exit).isZero();
    assertThat(out())
        .isEqualTo(
            """
            removed http://a.example:80/x/1.cab (100 B)
            removed http://a.example:80/x/2.cab (2.0 KiB)
            2 objects removed, 2.1 KiB
            """);
    assertThat(MirrorStore.list(dir()))
        .extracting(ListedObject::url)
        .containsExactly("http://a.example:80/y/3.cab", "http://b.example:80/x/4.cab");
  }

  @Test
  void purgeOfAPrefixNothingMatchesSaysHowUrlsAreStored() throws Exception {
    openStore();
    fill("http://a.example:80/x/1.cab", 100);
    closeStore();

    assertThat(run("purge", "http://a.example:8080/")).isZero();

    assertThat(out())
        .isEqualTo(
            "nothing stored under http://a.example:8080/ (URLs are stored as"
                + " http://host:port/path; see mirror ls)\n");
    assertThat(MirrorStore.list(dir())).hasSize(1);
  }

  @ParameterizedTest
  @CsvSource({
    "http://,                        http://",
    "http://vendor.ex,               http://vendor.ex",
    "HTTP://Vendor.Example/Old/,     http://vendor.example:80/Old/",
    "http://vendor.example:8080/a?b, http://vendor.example:8080/a?b",
  })
  void aPurgePrefixThatNamesAWholeHostIsMatchedInTheStoredForm(String given, String used) {
    assertThat(MirrorAdmin.canonicalPrefix(given)).isEqualTo(used);
  }

  // ---- verify ----

  @Test
  void verifyOfAnIntactStoreExitsZero() throws Exception {
    openStore();
    fill("http://a.example:80/1.cab", 1000);
    fill("http://a.example:80/2.cab", 24);
    closeStore();

    assertThat(run("verify")).isZero();

    assertThat(out()).isEqualTo("mirror verified: 2 objects checked (1.0 KiB read), all intact\n");
  }

  @Test
  void verifyQuarantinesACorruptedObjectNamesItsUrlAndExitsOne() throws Exception {
    openStore();
    fill("http://a.example:80/good.cab", 1000);
    fill("http://a.example:80/bad.cab", 1000);
    Path data =
        store.lookup(MirrorKey.of("http://a.example:80/bad.cab", false)).orElseThrow().dataPath();
    closeStore();
    try (FileChannel ch = FileChannel.open(data, StandardOpenOption.WRITE)) {
      ch.write(ByteBuffer.wrap(new byte[] {0x55, 0x55}), 500);
    }

    int exit = run("verify");

    assertThat(exit).isEqualTo(1);
    assertThat(out())
        .isEqualTo(
            "mirror DAMAGED: 2 objects checked (2.0 KiB read); 1 damaged, moved to "
                + dir().resolve("quarantine").toAbsolutePath()
                + ":\n"
                + "  http://a.example:80/bad.cab: sha256 mismatch -> "
                + data.getFileName()
                + "\n");
    assertThat(dir().resolve("quarantine").resolve(data.getFileName())).exists();
    assertThat(MirrorStore.list(dir()))
        .extracting(ListedObject::url)
        .containsExactly("http://a.example:80/good.cab");
  }

  @ParameterizedTest
  @ValueSource(strings = {"verify", "purge http://"})
  void verifyAndPurgeOnAStoreTheGatewayHoldsSayStopItFirstAndChangeNothing(String command)
      throws Exception {
    openStore();
    fill("http://a.example:80/1.cab", 100);

    int exit = run(command.split(" "));

    assertThat(exit).isEqualTo(1);
    String sub = command.split(" ")[0];
    assertThat(err())
        .isEqualTo(
            "patchgate mirror "
                + sub
                + ": the gateway is running and holds the mirror ("
                + dir().resolve("lock").toAbsolutePath()
                + "); stop it first\n");
    assertThat(out()).isEmpty();
    assertThat(store.ls()).hasSize(1);
    assertThat(MirrorStore.list(dir())).hasSize(1);
  }

  // ---- the command line ----

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                        | patchgate mirror: expected ls, verify, purge or prefetch",
        "rm                        | patchgate mirror: unknown mirror command 'rm'",
        "ls extra                  | patchgate mirror ls: unexpected argument 'extra'",
        "ls --format csv           | patchgate mirror ls: unknown option '--format'",
        "verify --dir              | patchgate mirror verify: --dir needs a directory",
        "purge                     | patchgate mirror purge: expected a URL prefix",
        "purge ftp://a.example/    | patchgate mirror purge: 'ftp://a.example/' is not an http://",
        "purge http://a/ http://b/ | patchgate mirror purge: unexpected argument 'http://b/'",
        "prefetch                  | patchgate mirror prefetch: expected a file of URLs",
        "prefetch a b              | patchgate mirror prefetch: unexpected argument 'b'",
        "prefetch a --gateway      | patchgate mirror prefetch: --gateway needs HOST:PORT",
        "prefetch a --gateway x    | patchgate mirror prefetch: --gateway x: expected host:port",
        "prefetch no-such-file     | patchgate mirror prefetch: cannot read no-such-file",
      })
  void aBadCommandLineIsOneLineAndExitCode2(String args, String expected) {
    String[] argv = args.isEmpty() ? new String[0] : args.split(" ", -1);

    assertThat(run(argv)).isEqualTo(2);

    assertThat(err()).startsWith(expected).endsWith("\n").hasLineCount(1);
    assertThat(out()).isEmpty();
  }

  @Test
  void helpListsEverySubcommand() {
    assertThat(run("--help")).isZero();

    assertThat(out())
        .startsWith("Usage: patchgate mirror")
        .contains("  ls ", "  verify ", "  purge ", "  prefetch ", "stop the gateway first");
    assertThat(err()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({
    "ls,       Usage: patchgate mirror ls,       --dir=DIR",
    "verify,   Usage: patchgate mirror verify,   --dir=DIR",
    "purge,    Usage: patchgate mirror purge,    URL-PREFIX",
    "prefetch, Usage: patchgate mirror prefetch, --gateway=HOST:PORT"
  })
  void eachSubcommandHasItsOwnHelp(String sub, String usage, String option) {
    assertThat(run(sub, "--help")).isZero();

    assertThat(out()).startsWith(usage).contains(option, "--config=FILE");
  }

  @Test
  void aStoreDirectoryWithControlCharactersIsEchoedCleaned() {
    Path nowhere = tmp.resolve("no\u001b[2Jwhere");

    assertThat(run("ls", "--dir", nowhere.toString())).isEqualTo(1);

    assertThat(err())
        .isEqualTo(
            "patchgate mirror ls: no mirror store at "
                + tmp.toAbsolutePath()
                + "/no\\u001b[2Jwhere\n");
  }

  @Test
  void aUrlPrefixWithControlCharactersIsEchoedCleaned() {
    assertThat(run("purge", "ftp://a.example/\u001b[2J")).isEqualTo(2);

    assertThat(err())
        .startsWith("patchgate mirror purge: 'ftp://a.example/\\u001b[2J' is not an http://")
        .doesNotContain("\u001b")
        .hasLineCount(1);
  }

  // ---- prefetch ----

  /**
   * A JDK HttpServer in the gateway's place: the JDK HttpClient sends it absolute-form requests as
   * to any proxy. {@code /deny...} is answered 403 as the gateway denies, {@code /broken...} 502 as
   * the gateway answers a failed upstream, anything else 200 with as many bytes as its last path
   * segment says.
   */
  private InetSocketAddress startProxy(List<String> seen) throws IOException {
    proxy = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    proxy.createContext(
        "/",
        exchange -> {
          seen.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
          String path = exchange.getRequestURI().getPath();
          if (path.startsWith("/deny")) {
            answer(exchange, 403, "403 Forbidden: host not in allowlist\n".getBytes());
          } else if (path.startsWith("/broken")) {
            answer(exchange, 502, "502 Bad Gateway: upstream connection failed\n".getBytes());
          } else {
            answer(exchange, 200, new byte[Integer.parseInt(path.substring(1))]);
          }
        });
    proxy.start();
    return InetSocketAddress.createUnresolved("127.0.0.1", proxy.getAddress().getPort());
  }

  private static void answer(HttpExchange exchange, int status, byte[] body) throws IOException {
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream os = exchange.getResponseBody()) {
      os.write(body);
    }
  }

  private Path urls(String... lines) throws IOException {
    Path file = tmp.resolve("urls.txt");
    Files.write(file, List.of(lines));
    return file;
  }

  @Test
  void prefetchGetsEveryUrlThroughTheGatewayAsAProxyAndExitsZero() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    InetSocketAddress gateway = startProxy(seen);
    Path file =
        urls(
            "# KB5034441, both architectures",
            "http://updates.example/1536",
            "",
            "   http://updates.example:8080/5242880   ",
            "# done");

    int exit = run(gateway, "prefetch", file.toString());

    assertThat(exit).isZero();
    assertThat(seen)
        .containsExactly(
            "GET http://updates.example/1536", "GET http://updates.example:8080/5242880");
    assertThat(err())
        .isEqualTo(
            """
            [1/2] 200 1.5 KiB http://updates.example/1536
            [2/2] 200 5.0 MiB http://updates.example:8080/5242880
            """);
    assertThat(out()).isEqualTo("2 URLs: 2 fetched (5.0 MiB), 0 denied (403), 0 failed\n");
  }

  @Test
  void onATerminalPrefetchDrawsAProgressBarThatTheUrlsLineReplaces() throws Exception {
    InetSocketAddress gateway = startProxy(new CopyOnWriteArrayList<>());
    Path file = urls("http://updates.example/3145728");

    int exit = run(gateway, dir(), true, "prefetch", file.toString());

    assertThat(exit).isZero();
    String drawn = err();
    assertThat(drawn)
        .startsWith("\r[1/1] 0 B / 3.0 MiB [------------------------]   0%")
        .contains("\r[1/1] 3.0 MiB / 3.0 MiB [########################] 100%")
        .endsWith("\r[1/1] 200 3.0 MiB http://updates.example/3145728\n");
    // Every redraw goes back to the start of the line: nothing scrolls but the URL's own line.
    assertThat(drawn.chars().filter(c -> c == '\n').count()).isEqualTo(1);
  }

  @Test
  void prefetchCountsDeniedAndFailedUrlsGoesOnAndExitsOne() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    InetSocketAddress gateway = startProxy(seen);
    Path file =
        urls(
            "http://updates.example/2048",
            "http://elsewhere.example/deny.exe",
            "http://updates.example/broken.cab",
            "http://updates.example/10");

    int exit = run(gateway, "prefetch", file.toString());

    assertThat(exit).isEqualTo(1);
    assertThat(seen).hasSize(4);
    assertThat(err())
        .isEqualTo(
            """
            [1/4] 200 2.0 KiB http://updates.example/2048
            [2/4] 403 http://elsewhere.example/deny.exe (403 Forbidden: host not in allowlist)
            [3/4] 502 http://updates.example/broken.cab (502 Bad Gateway: upstream connection failed)
            [4/4] 200 10 B http://updates.example/10
            """);
    assertThat(out()).isEqualTo("4 URLs: 2 fetched (2.0 KiB), 1 denied (403), 1 failed\n");
  }

  @Test
  void prefetchThroughAGatewayOnEveryInterfaceDialsLoopback() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    InetSocketAddress gateway = startProxy(seen);
    Path file = urls("http://updates.example/1");

    int exit =
        run(
            InetSocketAddress.createUnresolved("0.0.0.0", gateway.getPort()),
            "prefetch",
            file.toString());

    assertThat(exit).isZero();
    assertThat(seen).containsExactly("GET http://updates.example/1");
  }

  @Test
  void prefetchWithNoGatewayListeningSaysSoOnceAndExitsOne() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path file = urls("http://updates.example/1", "http://updates.example/2");

    int exit = run("prefetch", file.toString(), "--gateway", "127.0.0.1:" + port);

    assertThat(exit).isEqualTo(1);
    assertThat(err())
        .isEqualTo(
            "patchgate mirror prefetch: cannot reach the gateway at 127.0.0.1:"
                + port
                + " (connection refused); is it running? (--gateway HOST:PORT)\n");
    assertThat(out()).isEmpty();
  }

  @Test
  void prefetchRefusesAFileWithLinesThatAreNotHttpUrlsBeforeFetchingAnything() throws Exception {
    List<String> seen = new CopyOnWriteArrayList<>();
    InetSocketAddress gateway = startProxy(seen);
    Path file = urls("http://updates.example/1", "https://updates.example/2", "updates.example/3");

    int exit = run(gateway, "prefetch", file.toString());

    assertThat(exit).isEqualTo(2);
    assertThat(err())
        .isEqualTo(
            file
                + ":2: 'https://updates.example/2' is not an http:// URL (the mirror stores"
                + " plain-HTTP downloads only)\n"
                + file
                + ":3: 'updates.example/3' is not an http:// URL (the mirror stores plain-HTTP"
                + " downloads only)\n"
                + "patchgate mirror prefetch: nothing fetched\n");
    assertThat(seen).isEmpty();
  }
}
