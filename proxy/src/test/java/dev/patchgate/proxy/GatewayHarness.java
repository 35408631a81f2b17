package dev.patchgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.AuditJsonReader;
import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.alert.AlertDispatcher;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.proxy.admin.PrometheusMeters;
import dev.patchgate.proxy.config.GatewaySettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.Socket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A gateway started in this JVM on an ephemeral loopback port, with a temporary allowlist and audit
 * directory, and the clients tests talk to it with.
 */
final class GatewayHarness implements AutoCloseable {
  /** Tests see an allowlist edit within this; the product polls every 500 ms. */
  static final Duration RELOAD_POLL = Duration.ofMillis(50);

  final Path dir;
  final Path allowlistFile;
  final PrometheusMeters meters = PrometheusMeters.create();
  final MeterRegistry registry = meters.registry();
  final FakeResolver resolver;
  private final JsonLinesAuditWriter audit;
  private final PolicyReload policy;
  private final AlertSink alerts;
  private final Gateway gateway;

  private GatewayHarness(Options options) throws Exception {
    this.dir = options.dir;
    this.resolver = options.resolver;
    Files.createDirectories(dir);
    this.allowlistFile = dir.resolve("allowlist.conf");
    Files.writeString(allowlistFile, options.allowlist);
    // The harness configures the gateway the way an operator does: a file over the defaults.
    Path config = dir.resolve("patchgate.conf");
    Files.writeString(
        config,
        """
        patchgate {
          listen = "127.0.0.1:0"
          allowlist = "%s"
          audit { dir = "%s", flush-interval = 200ms, on-failure = %s }
          mirror { enabled = %s, dir = "%s" }
          timeouts { connect = 5s, idle = 30s, dns = 2s }
          threads { client = %d, upstream = 2 }
          alerts { log = false }
          admin { listen = "%s" }
        }
        %s
        """
            .formatted(
                allowlistFile,
                dir.resolve("audit"),
                options.onAuditFailure,
                options.mirror,
                dir.resolve("mirror"),
                options.clientThreads,
                options.admin ? "127.0.0.1:0" : "",
                options.extraConfig));
    GatewaySettings settings = GatewaySettings.load(Optional.of(config));
    this.audit = new JsonLinesAuditWriter(settings.audit(), Clock.systemUTC());
    this.policy =
        PolicyReload.watch(allowlistFile, Allowlist.load(allowlistFile), RELOAD_POLL, registry);
    this.alerts = AlertDispatcher.start(settings.alerts());
    this.gateway = Gateway.start(settings, policy, audit, alerts, meters, resolver, options.clock);
  }

  /** How to start a harness; every option has a default. */
  static final class Options {
    private final Path dir;
    private final String allowlist;
    private FakeResolver resolver = new FakeResolver();
    private Clock clock = Clock.systemUTC();
    private int clientThreads = 2;
    private String onAuditFailure = "fail-closed";
    private String extraConfig = "";
    private boolean mirror;
    private boolean admin;

    private Options(Path dir, String allowlist) {
      this.dir = dir;
      this.allowlist = allowlist;
    }

    Options resolver(FakeResolver value) {
      resolver = value;
      return this;
    }

    /** The clock that stamps arrivals, which schedules are decided on. */
    Options clock(Clock value) {
      clock = value;
      return this;
    }

    /** {@code fail-closed} (the default) or {@code fail-open}. */
    Options onAuditFailure(String value) {
      onAuditFailure = value;
      return this;
    }

    /** HOCON appended to the harness's configuration file, e.g. alert channels. */
    Options config(String hocon) {
      extraConfig = hocon;
      return this;
    }

    /** Turns the update mirror on (off by default: most tests are about pass-through). */
    Options mirror() {
      mirror = true;
      return this;
    }

    /** Starts the admin listener on an ephemeral loopback port (off by default). */
    Options admin() {
      admin = true;
      return this;
    }

    Options clientThreads(int value) {
      clientThreads = value;
      return this;
    }

    GatewayHarness start() throws Exception {
      return new GatewayHarness(this);
    }
  }

  static Options with(Path dir, String allowlistHocon) {
    return new Options(dir, allowlistHocon);
  }

  static GatewayHarness start(Path dir, String allowlistHocon) throws Exception {
    return with(dir, allowlistHocon).start();
  }

  static GatewayHarness start(Path dir, String allowlistHocon, FakeResolver resolver)
      throws Exception {
    return with(dir, allowlistHocon).resolver(resolver).start();
  }

  /** Replaces the allowlist file as an administrator's editor would: a new file moved over it. */
  void editAllowlist(String hocon) throws IOException {
    Path next = dir.resolve("allowlist.conf.new");
    Files.writeString(next, hocon);
    Files.move(
        next, allowlistFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** How many allowlist edits were taken over ({@code ok}) or refused ({@code rejected}). */
  double reloads(String result) {
    return registry.get(PolicyReload.RELOADS).tag("result", result).counter().count();
  }

  InetSocketAddress address() {
    return gateway.address();
  }

  int port() {
    return gateway.address().getPort();
  }

  /** The JDK's HttpClient configured to use the gateway as its proxy. */
  HttpClient client() throws Exception {
    return HttpClient.newBuilder()
        .proxy(ProxySelector.of(address()))
        .sslContext(HttpOrigin.clientContext())
        .connectTimeout(Duration.ofSeconds(5))
        .build();
  }

  Socket socket() throws IOException {
    Socket socket = new Socket(address().getAddress(), port());
    socket.setSoTimeout(15_000);
    return socket;
  }

  /** A connection from the loopback address {@code clientAddress} (e.g. 127.0.0.9): another PC. */
  Socket socketFrom(String clientAddress) throws IOException {
    Socket socket =
        new Socket(address().getAddress(), port(), InetAddress.getByName(clientAddress), 0);
    socket.setSoTimeout(15_000);
    return socket;
  }

  /** A raw connection whose {@code CONNECT authority} was answered 200: the open tunnel. */
  Socket tunnel(String authority) throws IOException {
    Socket socket = socket();
    RawHttp.send(socket, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n".formatted(authority, authority));
    assertThat(RawHttp.read(socket, true).status()).as("CONNECT " + authority).isEqualTo(200);
    return socket;
  }

  /**
   * Every audit record in the plain day files (today's, and earlier days not yet compressed), in
   * order, after the writer has flushed.
   */
  List<Map<String, Object>> records() {
    audit.sync().join();
    List<Map<String, Object>> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir.resolve("audit"))) {
      for (Path file :
          files.filter(f -> f.getFileName().toString().endsWith(".jsonl")).sorted().toList()) {
        List<String> lines;
        try {
          lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
          continue; // an earlier day, compressed since the listing: not read here (nor its .gz)
        }
        for (int i = 0; i < lines.size(); i++) {
          if (tornByAFailedWrite(lines, i)) {
            continue;
          }
          Map<String, Object> fields = AuditJsonReader.readObject(lines.get(i));
          // start, stop and gap markers are the writer's, not exchanges
          if (!fields.containsKey("type")) {
            records.add(fields);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  /**
   * Whether line {@code i} is the start of a line a failed write (disk full) left behind: not a
   * record, and the writer's {@code gap} marker right after it says so (the record itself is
   * written again in full after the marker).
   */
  private static boolean tornByAFailedWrite(List<String> lines, int i) {
    if (i + 1 >= lines.size() || !lines.get(i + 1).contains("\"type\":\"gap\"")) {
      return false;
    }
    try {
      AuditJsonReader.readObject(lines.get(i));
      return false;
    } catch (IllegalArgumentException e) {
      return true;
    }
  }

  /**
   * Waits (up to 10 s) until {@code n} records are written, and returns every record: a record is
   * written when its exchange has finished, which can be just after the client read the response.
   */
  List<Map<String, Object>> awaitRecords(int n) {
    return await().atMost(Duration.ofSeconds(10)).until(this::records, l -> l.size() >= n);
  }

  /** Waits (up to 10 s) for the one record that matches, and returns it. */
  Map<String, Object> awaitRecord(Predicate<Map<String, Object>> match) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> records().stream().filter(match).toList(), l -> l.size() == 1)
        .get(0);
  }

  /** Waits for the record of the request to {@code url}. */
  Map<String, Object> awaitRecordFor(String url) {
    return awaitRecord(r -> url.equals(r.get("url")));
  }

  /** Where the admin listener is; fails when the harness was started without {@code admin()}. */
  InetSocketAddress adminAddress() {
    return gateway.adminAddress().orElseThrow();
  }

  @Override
  public void close() {
    policy.close();
    gateway.close();
    audit.close();
    alerts.close();
    meters.close();
  }
}
