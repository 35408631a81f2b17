package dev.patchgate.proxy.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import dev.patchgate.allowlist.Cidr;
import dev.patchgate.allowlist.RequestRate;
import dev.patchgate.audit.AuditWriterSettings;
import dev.patchgate.audit.alert.AlertChannelSettings;
import dev.patchgate.audit.alert.AlertSettings;
import dev.patchgate.audit.alert.LogSettings;
import dev.patchgate.audit.alert.SyslogSettings;
import dev.patchgate.audit.alert.WebhookSettings;
import dev.patchgate.audit.anomaly.AnomalyKind;
import dev.patchgate.audit.anomaly.AnomalySettings;
import dev.patchgate.audit.forward.ForwardSettings;
import dev.patchgate.mirror.MirrorSettings;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The gateway's configuration, read once from {@code reference.conf} overlaid with the operator's
 * file, validated, and immutable from then on.
 *
 * @param configFile the operator's file, or empty when running on the embedded defaults
 * @param listen where clients connect (unresolved host name or literal, and port)
 * @param allowlist the administrator's allowlist file
 * @param allowlistPoll how often the allowlist file is looked at for edits; zero: never (only on a
 *     reload signal)
 * @param audit how the audit log is written (directory, flush interval, retention, Squid log)
 * @param auditFailClosed true to answer 503 while audit records cannot be written
 * @param auditMinFree below this many usable bytes on the audit log's file system the gateway
 *     warns, is not ready and has the mirror give space back; 0: the guard is off
 * @param mirroring the package store, on (where, how big, how many ranges) or off
 * @param connectTimeout dialling an upstream server
 * @param idleTimeout closing a connection with no traffic
 * @param dnsTimeout resolving an upstream name
 * @param maxRequestLine longest request line accepted
 * @param maxHeaderSize largest request header block accepted
 * @param connections connection limits per client and in all, and the request header timeout
 * @param clientThreads event-loop threads for client connections
 * @param upstreamThreads event-loop threads for upstream connections
 * @param alerts the alert window and channels
 * @param pac the proxy auto-configuration file served as /proxy.pac and /wpad.dat
 * @param admin the admin listener (metrics, health and readiness), or off
 * @param requestsPerClient each client's request rate, unless a group of it in the allowlist's
 *     {@code limits} block sets its own; {@link RequestRate#UNLIMITED} when off
 * @param hierarchy whose forwarded-for headers are believed, and what a parent proxy is told
 * @param upstream the parent proxies, if any, and how they are used
 * @param auditForward where the audit lines are forwarded to, or empty when forwarding is off
 * @param anomalies what the anomaly report and the live watch call unusual
 * @param consoleUsers the console's user file ({@code patchgate user ...} writes it)
 *     <p>Public for the gateway's wiring, the command line and the end-to-end tests.
 */
public record GatewaySettings(
    Optional<Path> configFile,
    InetSocketAddress listen,
    Path allowlist,
    Duration allowlistPoll,
    AuditWriterSettings audit,
    boolean auditFailClosed,
    long auditMinFree,
    MirrorSwitch mirroring,
    Duration connectTimeout,
    Duration idleTimeout,
    Duration dnsTimeout,
    int maxRequestLine,
    int maxHeaderSize,
    ConnectionSettings connections,
    int clientThreads,
    int upstreamThreads,
    AlertSettings alerts,
    ProxyAutoConfig pac,
    AdminSettings admin,
    RequestRate requestsPerClient,
    HierarchySettings hierarchy,
    UpstreamSettings upstream,
    Optional<ForwardSettings> auditForward,
    AnomalySettings anomalies,
    Path consoleUsers) {

  static final String ROOT = "patchgate";
  // The allowlist's limits block takes the same range.
  private static final int MAX_RATE = 1_000_000;

  /** Thrown when the configuration cannot be used; the message lists every problem, one a line. */
  public static final class InvalidSettingsException extends Exception {
    private static final long serialVersionUID = 1L;
    private final List<String> problems;

    InvalidSettingsException(List<String> problems) {
      super(String.join("\n", problems));
      this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
      return problems;
    }
  }

  /** Reads the embedded defaults, overlaid with {@code file} when given. */
  public static GatewaySettings load(Optional<Path> file) throws InvalidSettingsException {
    return load(file, System::getenv);
  }

  /**
   * As {@link #load(Optional)}, looking environment variables (the parents' credentials) up with
   * {@code environment}.
   */
  public static GatewaySettings load(Optional<Path> file, Function<String, String> environment)
      throws InvalidSettingsException {
    Config defaults = ConfigFactory.defaultReference(GatewaySettings.class.getClassLoader());
    Config config = defaults;
    if (file.isPresent()) {
      Path path = file.get();
      if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
        throw new InvalidSettingsException(
            List.of(path + ": cannot read configuration file (does it exist, and is it a file?)"));
      }
      try {
        Config own =
            ConfigFactory.parseFile(
                path.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        config = own.withFallback(defaults).resolve();
      } catch (ConfigException e) {
        throw new InvalidSettingsException(List.of(describe(e)));
      }
    }
    Config patchgate;
    try {
      patchgate = config.getConfig(ROOT);
    } catch (ConfigException e) {
      throw new InvalidSettingsException(
          List.of(describe(e) + " (expected an object: patchgate { listen = ... })"));
    }
    return from(patchgate, defaults.getConfig(ROOT), file, environment);
  }

  private static GatewaySettings from(
      Config c, Config defaults, Optional<Path> file, Function<String, String> environment)
      throws InvalidSettingsException {
    List<String> problems = new ArrayList<>();
    // Every key has a default in reference.conf, so the defaults are the list of known keys.
    Set<String> known = new TreeSet<>();
    defaults.entrySet().forEach(e -> known.add(e.getKey()));
    for (var e : c.entrySet()) {
      if (!known.contains(e.getKey())) {
        problems.add(
            SettingsReader.where(e.getValue())
                + "unknown key 'patchgate."
                + e.getKey()
                + "' (expected one of: patchgate."
                + String.join(", patchgate.", known)
                + ")");
      }
    }
    SettingsReader r = new SettingsReader(c, problems);
    InetSocketAddress listen = r.get("listen", GatewaySettings::parseListen);
    Path allowlist = r.get("allowlist", GatewaySettings::parsePath);
    Path consoleUsers = r.get("console.users", GatewaySettings::parsePath);
    Duration allowlistPoll = r.durationOrZero("allowlist-poll");
    Path auditDir = r.get("audit.dir", GatewaySettings::parsePath);
    Duration flush = r.duration("audit.flush-interval");
    int retainDays = r.integer("audit.retain-days", 1, 100_000);
    boolean squidLog = r.bool("audit.squid-log");
    Boolean failClosed = r.get("audit.on-failure", GatewaySettings::parseOnFailure);
    long auditMinFree = r.sizeOrZero("audit.min-free");
    Path mirrorDir = r.get("mirror.dir", GatewaySettings::parsePath);
    boolean mirrorOn = r.bool("mirror.enabled");
    long maxSize = r.size("mirror.max-size");
    long maxObjectSize = r.size("mirror.max-object-size");
    long minFree = r.size("mirror.min-free");
    int maxRanges = r.integer("mirror.max-ranges", 1, 1000);
    long memory = r.bytes("mirror.memory-cache", 0, Integer.MAX_VALUE);
    int memoryMaxObject =
        r.bytes("mirror.memory-max-object-size", 0, MirrorSettings.MAX_MEMORY_OBJECT);
    int maxUnreadFills =
        r.integer(
            "mirror.max-unread-fills-per-client", 0, MirrorSettings.MAX_UNREAD_FILLS_PER_CLIENT);
    Duration connect = r.duration("timeouts.connect");
    Duration idle = r.duration("timeouts.idle");
    Duration dns = r.duration("timeouts.dns");
    int requestLine = r.bytes("limits.request-line", 256, 1 << 20);
    int headerSize = r.bytes("limits.header-size", 1024, 1 << 20);
    RequestRate requestsPerClient = requestRate(r, problems);
    ConnectionSettings connections =
        new ConnectionSettings(
            r.integer("limits.connections-per-client", 1, ConnectionSettings.MAX),
            r.integer("limits.connections", 0, ConnectionSettings.MAX),
            r.duration("timeouts.request-header"));
    int clientThreads = r.threads("threads.client");
    int upstreamThreads = r.threads("threads.upstream");
    AlertSettings alerts = alerts(r);
    Optional<ForwardSettings> auditForward = auditForward(r, problems);
    ProxyAutoConfig pac =
        new ProxyAutoConfig(
            r.list("pac.proxies", ProxyAutoConfig::parseProxy),
            r.list("pac.direct", ProxyAutoConfig::parseDirect));
    Optional<InetSocketAddress> adminListen = r.get("admin.listen", AdminSettings::parseListen);
    HierarchySettings hierarchy =
        new HierarchySettings(
            r.list("trusted-downstreams", AdminSettings::parseClient),
            r.bool("upstream.forwarded-for"));
    int problemsBefore = problems.size();
    List<Cidr> adminClients = r.list("admin.clients", AdminSettings::parseClient);
    // Only when the list itself is empty: one whose values were all refused is reported already.
    if (adminListen != null
        && adminListen.isPresent()
        && adminClients.isEmpty()
        && problems.size() == problemsBefore) {
      problems.add(
          "patchgate.admin.clients: no client may use the admin listener; name at least one"
              + " address or range (e.g. \"127.0.0.1\"), or turn the listener off with"
              + " patchgate.admin.listen = \"\"");
    }
    UpstreamSettings upstream = upstream(r, problems, environment);
    AnomalySettings anomalies = anomalies(r);
    ConsoleSettings console = console(r, problems, environment);
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
    MirrorSwitch mirror = MirrorSwitch.off();
    if (mirrorOn) {
      MirrorSettings mirrorDefaults = MirrorSettings.defaults(mirrorDir);
      try {
        mirror =
            new MirrorSwitch.On(
                new MirrorSettings(
                    mirrorDir,
                    maxSize,
                    // An object larger than the whole store could never be kept.
                    Math.min(maxObjectSize, maxSize),
                    minFree,
                    maxRanges,
                    mirrorDefaults.accessFlushInterval(),
                    // A fill must be given up only after the upstream connection itself would be.
                    max(mirrorDefaults.fillStallTimeout(), idle.multipliedBy(2)),
                    memory,
                    memoryMaxObject,
                    maxUnreadFills));
      } catch (IllegalArgumentException e) {
        throw new InvalidSettingsException(List.of("patchgate.mirror: " + e.getMessage()));
      }
    }
    return new GatewaySettings(
        file,
        listen,
        allowlist,
        allowlistPoll,
        new AuditWriterSettings(auditDir, flush, retainDays, squidLog),
        failClosed,
        auditMinFree,
        mirror,
        connect,
        idle,
        dns,
        requestLine,
        headerSize,
        connections,
        clientThreads,
        upstreamThreads,
        alerts,
        pac,
        new AdminSettings(adminListen, adminClients, console),
        requestsPerClient,
        hierarchy,
        upstream,
        auditForward,
        anomalies,
        consoleUsers);
  }

  /** {@code patchgate.anomalies}: the kinds looked for and their thresholds. */
  private static AnomalySettings anomalies(SettingsReader r) {
    Set<AnomalyKind> enabled = EnumSet.noneOf(AnomalyKind.class);
    for (AnomalyKind kind : AnomalyKind.values()) {
      if (r.bool("anomalies." + kind.configKey() + ".enabled")) {
        enabled.add(kind);
      }
    }
    AnomalySettings defaults = AnomalySettings.defaults();
    return new AnomalySettings(
        enabled,
        r.duration("anomalies.baseline", defaults.baseline()),
        r.integer("anomalies.min-baseline-days", 0, 366),
        r.integer("anomalies.unusual-hours.min-requests", 1, 1_000_000),
        r.integer("anomalies.beaconing.min-attempts", 3, 1_000_000),
        r.number("anomalies.beaconing.max-spread", 0, 1),
        r.duration("anomalies.beaconing.max-gap", defaults.beaconMaxGap()),
        r.number("anomalies.burst.factor", 1, 1_000_000),
        r.integer("anomalies.burst.min-denied", 1, 1_000_000),
        r.integer("anomalies.outside-schedule.min-attempts", 1, 1_000_000),
        r.integer("anomalies.live-max-tracked", 100, 10_000_000));
  }

  /**
   * {@code patchgate.console}: on or off, session lifetimes, and the admin listener's keystore,
   * whose password comes from the environment (never from this file).
   */
  private static ConsoleSettings console(
      SettingsReader r, List<String> problems, Function<String, String> environment) {
    boolean enabled = r.bool("console.enabled");
    Duration idle = r.duration("console.session-idle");
    Duration max = r.duration("console.session-max");
    Path keystore = r.get("console.tls.keystore", v -> v.isBlank() ? null : parsePath(v));
    String passwordEnv = r.get("console.tls.password-env", String::strip);
    ConsoleSettings off = ConsoleSettings.off();
    if (idle != null && max != null && idle.compareTo(max) > 0) {
      problems.add(
          r.where("console.session-idle")
              + "patchgate.console.session-idle ("
              + idle
              + ") is longer than session-max ("
              + max
              + "): a session ends at session-max anyway (expected e.g. 30m and 12h)");
    }
    Optional<ConsoleSettings.Keystore> tls = Optional.empty();
    if (keystore != null) {
      String password =
          passwordEnv == null || passwordEnv.isEmpty() ? null : environment.apply(passwordEnv);
      if (!Files.isRegularFile(keystore) || !Files.isReadable(keystore)) {
        problems.add(
            r.where("console.tls.keystore")
                + "patchgate.console.tls.keystore: "
                + keystore
                + " cannot be read (expected a PKCS#12 file, e.g. made by keytool -genkeypair"
                + " -storetype PKCS12)");
      } else if (password == null) {
        problems.add(
            r.where("console.tls.password-env")
                + "patchgate.console.tls.password-env: "
                + (passwordEnv == null || passwordEnv.isEmpty()
                    ? "not set"
                    : "the environment variable " + passwordEnv + " is not set")
                + " (expected the name of an environment variable holding the keystore's"
                + " password, e.g. PATCHGATE_ADMIN_KEYSTORE_PASSWORD)");
      } else {
        tls = Optional.of(new ConsoleSettings.Keystore(keystore, password));
      }
    }
    return new ConsoleSettings(
        enabled,
        idle == null ? off.sessionIdle() : idle,
        max == null ? off.sessionMax() : max,
        tls);
  }

  /**
   * {@code patchgate.upstream}: the parent proxies, their credentials (from outside this file), and
   * how they are used. A URL with a password in it is refused without being repeated.
   */
  private static UpstreamSettings upstream(
      SettingsReader r, List<String> problems, Function<String, String> environment) {
    List<ParentProxy> proxies =
        r.list("upstream.proxies", ParentProxy::parse, ParentProxy::redacted);
    int failLimit = r.integer("upstream.connect-fail-limit", 1, 1000);
    Duration retry = r.duration("upstream.parent-retry");
    Boolean fallbackDirect = r.get("upstream.fallback", GatewaySettings::parseFallback);
    Boolean resolveLocally = r.get("upstream.resolve", GatewaySettings::parseResolve);
    Path credentialsFile =
        r.get("upstream.credentials-file", v -> v.isBlank() ? null : parsePath(v));
    String credentialsEnv = r.get("upstream.credentials-env", String::strip);
    if (fallbackDirect == null || resolveLocally == null || retry == null) {
      return UpstreamSettings.DIRECT; // reported
    }
    if (fallbackDirect && !resolveLocally) {
      problems.add(
          r.where("upstream.fallback")
              + "patchgate.upstream.fallback = direct needs resolve = local: a request sent"
              + " straight to its origin must go to an address the gateway resolved and checked"
              + " itself (set resolve = local, or fallback = none)");
    }
    if (proxies.isEmpty()
        && (credentialsFile != null || (credentialsEnv != null && !credentialsEnv.isEmpty()))) {
      problems.add(
          r.where("upstream.proxies")
              + "patchgate.upstream: credentials are set but patchgate.upstream.proxies names no"
              + " parent proxy (add one, e.g. [\"http://proxy.internet-side.example:8080\"])");
    }
    proxies =
        new ParentCredentials(problems, r)
            .apply(
                proxies,
                Optional.ofNullable(credentialsFile),
                Optional.ofNullable(credentialsEnv).filter(v -> !v.isEmpty()),
                environment);
    return new UpstreamSettings(proxies, failLimit, retry, fallbackDirect, resolveLocally);
  }

  private static Boolean parseFallback(String value) {
    return switch (value) {
      case "none" -> false;
      case "direct" -> true;
      default ->
          throw new IllegalArgumentException(
              "expected none (every parent down: 502) or direct (every parent down: straight to"
                  + " the origin)");
    };
  }

  private static Boolean parseResolve(String value) {
    return switch (value) {
      case "local" -> true;
      case "parent" -> false;
      default ->
          throw new IllegalArgumentException(
              "expected local (the gateway resolves and checks the origin's addresses) or parent"
                  + " (the parent does)");
    };
  }

  /** {@code audit.forward}: off when the URL is empty. */
  private static Optional<ForwardSettings> auditForward(SettingsReader r, List<String> problems) {
    ForwardSettings.Target target =
        r.get("audit.forward.url", url -> url.isBlank() ? null : ForwardSettings.parseUrl(url));
    String name = r.get("audit.forward.name", String::strip);
    Optional<Path> ca = r.get("audit.forward.ca", GatewaySettings::optionalPath);
    Optional<Path> cert = r.get("audit.forward.client-cert", GatewaySettings::optionalPath);
    Optional<Path> key = r.get("audit.forward.client-key", GatewaySettings::optionalPath);
    long maxBacklog = r.size("audit.forward.max-backlog");
    Integer facility = r.get("audit.forward.facility", SyslogSettings::facilityCode);
    if (target == null || name == null || ca == null || cert == null || key == null) {
      return Optional.empty();
    }
    for (var file :
        List.of(
            Map.entry("ca", ca), Map.entry("client-cert", cert), Map.entry("client-key", key))) {
      if (file.getValue().isPresent() && !Files.isReadable(file.getValue().get())) {
        problems.add(
            r.where("audit.forward." + file.getKey())
                + "patchgate.audit.forward."
                + file.getKey()
                + ": cannot read "
                + file.getValue().get().toAbsolutePath()
                + " (does it exist, and may the gateway's user read it?)");
      }
    }
    try {
      return Optional.of(
          new ForwardSettings(
              target.tls(),
              target.host(),
              target.port(),
              name.isEmpty() ? localHostName() : name,
              ca,
              cert,
              key,
              maxBacklog,
              facility == null ? SyslogSettings.DEFAULT_FACILITY : facility,
              ForwardSettings.DEFAULT_CONNECT_TIMEOUT));
    } catch (IllegalArgumentException e) {
      problems.add(r.where("audit.forward.url") + "patchgate.audit.forward: " + e.getMessage());
      return Optional.empty();
    }
  }

  private static Optional<Path> optionalPath(String value) {
    return value.isBlank() ? Optional.empty() : Optional.of(parsePath(value));
  }

  private static String localHostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "-";
    }
  }

  /**
   * {@code limits.requests-per-client}: rate 0 is off; a limited rate needs a burst of 1 or more.
   */
  private static RequestRate requestRate(SettingsReader r, List<String> problems) {
    int rate = r.integer("limits.requests-per-client.rate", 0, MAX_RATE);
    int burst = r.integer("limits.requests-per-client.burst", 0, MAX_RATE);
    if (rate == 0) {
      return RequestRate.UNLIMITED;
    }
    if (burst < 1) {
      problems.add(
          "patchgate.limits.requests-per-client.burst: 0 lets no request through at rate "
              + rate
              + " (expected: 1 or more, e.g. requests-per-client { rate = 20, burst = 200 })");
      return RequestRate.UNLIMITED;
    }
    return new RequestRate(rate, burst);
  }

  /** The alert channels that are switched on: the log by default, syslog and webhook when named. */
  private static AlertSettings alerts(SettingsReader r) {
    Duration window = r.duration("alerts.window");
    List<AlertChannelSettings> channels = new ArrayList<>();
    if (r.bool("alerts.log")) {
      channels.add(new LogSettings());
    }
    String syslogHost = r.get("alerts.syslog.host", String::strip);
    if (syslogHost != null && !syslogHost.isEmpty()) {
      int port = r.integer("alerts.syslog.port", 1, 65_535);
      SyslogSettings.Protocol protocol =
          r.get("alerts.syslog.protocol", GatewaySettings::parseSyslogProtocol);
      Integer facility = r.get("alerts.syslog.facility", SyslogSettings::facilityCode);
      if (protocol != null && facility != null) {
        channels.add(
            new SyslogSettings(
                syslogHost, port, protocol, facility, SyslogSettings.DEFAULT_CONNECT_TIMEOUT));
      }
    }
    Duration timeout = r.duration("alerts.webhook.timeout");
    WebhookSettings webhook = r.get("alerts.webhook.url", url -> webhook(url, timeout));
    if (webhook != null) {
      channels.add(webhook);
    }
    return window == null ? AlertSettings.disabled() : new AlertSettings(window, channels);
  }

  private static SyslogSettings.Protocol parseSyslogProtocol(String value) {
    return switch (value) {
      case "udp" -> SyslogSettings.Protocol.UDP;
      case "tcp" -> SyslogSettings.Protocol.TCP;
      default -> throw new IllegalArgumentException("expected udp or tcp");
    };
  }

  /** The webhook channel, or null when {@code url} is blank (the channel is off). */
  private static WebhookSettings webhook(String url, Duration timeout) {
    if (url.isBlank()) {
      return null;
    }
    try {
      return new WebhookSettings(
          new URI(url.strip()), timeout == null ? WebhookSettings.DEFAULT_TIMEOUT : timeout);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "not a URL (expected e.g. https://collector.example/hook)");
    }
  }

  /** Parses "host:port" or "[v6]:port"; the host stays unresolved until the listener binds. */
  public static InetSocketAddress parseListen(String value) {
    int colon = value.lastIndexOf(':');
    if (colon <= 0 || colon == value.length() - 1) {
      throw new IllegalArgumentException("expected host:port, e.g. \"127.0.0.1:3128\"");
    }
    String host = value.substring(0, colon);
    String portText = value.substring(colon + 1);
    if (host.startsWith("[") != host.endsWith("]")) {
      throw new IllegalArgumentException("an IPv6 address goes in brackets, e.g. \"[::1]:3128\"");
    }
    if (host.startsWith("[")) {
      host = host.substring(1, host.length() - 1);
    } else if (host.contains(":")) {
      throw new IllegalArgumentException("an IPv6 address goes in brackets, e.g. \"[::1]:3128\"");
    }
    if (host.isEmpty()
        || !portText.chars().allMatch(ch -> ch >= '0' && ch <= '9')
        || portText.length() > 5) {
      throw new IllegalArgumentException("expected host:port, e.g. \"127.0.0.1:3128\"");
    }
    int port = Integer.parseInt(portText);
    if (port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535");
    }
    return InetSocketAddress.createUnresolved(host, port);
  }

  private static Boolean parseOnFailure(String value) {
    return switch (value) {
      case "fail-closed" -> true;
      case "fail-open" -> false;
      default -> throw new IllegalArgumentException("expected fail-closed or fail-open");
    };
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** The directory of the daily audit files. */
  public Path auditDir() {
    return audit.dir();
  }

  private static Path parsePath(String value) {
    if (value.isBlank()) {
      throw new IllegalArgumentException("expected a file system path");
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("not a valid path: " + e.getReason(), e);
    }
  }

  /** "file:line: message" for a Typesafe Config error, without Typesafe's own origin prefix. */
  static String describe(ConfigException e) {
    String message = e.getMessage();
    if (e.origin() == null) {
      return message;
    }
    String prefix = e.origin().description() + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    String where =
        e.origin().filename() == null
            ? e.origin().description() + ": "
            : e.origin().filename() + ":" + Math.max(0, e.origin().lineNumber()) + ": ";
    return where + message;
  }
}
