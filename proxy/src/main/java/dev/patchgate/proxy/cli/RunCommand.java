package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.audit.JsonLinesAuditWriter;
import dev.patchgate.audit.Ticker;
import dev.patchgate.audit.alert.AlertDispatcher;
import dev.patchgate.audit.alert.AlertSink;
import dev.patchgate.audit.forward.AuditForwarder;
import dev.patchgate.audit.text.DisplayText;
import dev.patchgate.proxy.Gateway;
import dev.patchgate.proxy.PolicyReload;
import dev.patchgate.proxy.admin.PrometheusMeters;
import dev.patchgate.proxy.config.GatewaySettings;
import dev.patchgate.proxy.upstream.SystemResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code patchgate run}: starts the gateway and runs until the JVM is stopped; the shutdown hook
 * closes every connection, writes the records of what was still open and flushes the audit log.
 */
@Command(
    name = "run",
    description = {
      "Starts the gateway and runs until stopped (SIGTERM or Ctrl-C); SIGHUP re-reads the"
          + " allowlist at once.",
      "Logs one line saying where it listens, which allowlist it loaded and where the audit log"
          + " goes. Exits 1 for an invalid configuration or allowlist, 3 when it cannot listen"
          + " or cannot write the audit log."
    })
final class RunCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger("dev.patchgate");

  private final Terminal terminal;

  @Mixin private CommonOptions common;

  RunCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    Configuration loaded = Configuration.load(common.config());
    if (!loaded.problems().isEmpty()) {
      loaded.problems().forEach(terminal.err()::println);
      terminal
          .err()
          .println(
              "patchgate run: "
                  + (loaded.settings() == null ? "configuration" : "allowlist")
                  + " is not valid; nothing started");
      return Cli.INVALID;
    }
    GatewaySettings settings = loaded.settings();
    Allowlist allowlist = loaded.allowlist();
    JsonLinesAuditWriter audit;
    try {
      audit = new JsonLinesAuditWriter(settings.audit(), Clock.systemUTC());
    } catch (UncheckedIOException e) {
      terminal
          .err()
          .println(
              "patchgate run: cannot create the audit log directory "
                  + DisplayText.clean(settings.auditDir().toAbsolutePath().toString())
                  + " ("
                  + whyNot(e.getCause())
                  + ")");
      return Cli.CANNOT_START;
    }
    Optional<AuditForwarder> forwarder =
        settings
            .auditForward()
            .map(f -> AuditForwarder.start(settings.auditDir(), f, Clock.systemUTC()));
    PrometheusMeters meters = PrometheusMeters.create();
    AlertSink alerts = AlertDispatcher.start(settings.alerts());
    PolicyReload policy =
        PolicyReload.watch(
            settings.allowlist(), allowlist, settings.allowlistPoll(), meters.registry());
    Gateway gateway;
    try {
      gateway =
          Gateway.start(
              settings,
              policy,
              audit,
              alerts,
              meters,
              new SystemResolver(settings.dnsTimeout()),
              Clock.systemUTC(),
              Ticker.SYSTEM,
              forwarder);
    } catch (Gateway.StartException e) {
      policy.close();
      audit.close();
      forwarder.ifPresent(AuditForwarder::close);
      alerts.close();
      meters.close();
      terminal.err().println(DisplayText.clean("patchgate run: " + e.getMessage()));
      return Cli.CANNOT_START;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    // Each step bounded (StopSequence): at most 27 s in all, within the unit's 30 s. Forwarding
    // stops after the audit log, so that its stop marker reaches the collector too.
    Runtime.getRuntime()
        .addShutdownHook(
            new StopSequence()
                .then("allowlist watcher", Duration.ofSeconds(1), policy::close)
                .then("gateway", Duration.ofSeconds(8), gateway::close)
                .then("audit log", Duration.ofSeconds(6), audit::close)
                .then(
                    "audit forwarding",
                    Duration.ofSeconds(4),
                    () -> forwarder.ifPresent(AuditForwarder::close))
                .then("alert channels", Duration.ofSeconds(7), alerts::close)
                .then("meters", Duration.ofSeconds(1), meters::close)
                .hook(stopped));
    ReloadSignal.install(policy);
    LOG.info(
        "patchgate listening on {} (admin: {}); allowlist {} ({}, watched for edits); audit log {}",
        Gateway.describe(gateway.address()),
        gateway.adminAddress().map(Gateway::describe).orElse("off"),
        settings.allowlist(),
        PolicyReload.entries(allowlist),
        settings.auditDir().toAbsolutePath());
    try {
      stopped.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return Cli.OK;
  }

  /** An I/O failure in words; the JDK's message for most of them is only the path. */
  private static String whyNot(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileAlreadyExistsException) {
      return "a file of that name is in the way";
    }
    return e instanceof FileSystemException fs && fs.getReason() != null
        ? fs.getReason()
        : String.valueOf(e.getMessage());
  }
}
