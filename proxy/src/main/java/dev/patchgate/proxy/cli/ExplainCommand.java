package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.proxy.console.data.Explained;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code patchgate explain}: what the allowlist in the configured file says about one request, and
 * why; what an administrator runs when a PC reports a failed update. Exits 0 when the request would
 * be allowed and 1 when it would be refused. Nothing is resolved or dialled: the address check that
 * follows DNS is described, not performed.
 */
@Command(
    name = "explain",
    customSynopsis = {
      "patchgate explain --client ADDRESS [--at TIME] [--config FILE] [METHOD] URL",
      "       patchgate explain --client ADDRESS [--at TIME] CONNECT HOST:PORT"
    },
    description = {
      "Says whether the allowlist lets a client make a request, and why.",
      "Names the entry that allows the request from ADDRESS, or the entry that came closest and"
          + " what differed. METHOD is GET (the default), HEAD or CONNECT. Exits 0 when the"
          + " request would be allowed, 1 when it would be refused."
    },
    footer = {
      "",
      "Examples:",
      "  patchgate explain --client 10.10.1.5 http://download.windowsupdate.com/x.cab",
      "  patchgate explain --client 10.10.1.5 CONNECT fe3.delivery.mp.microsoft.com:443"
    })
final class ExplainCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Spec private CommandSpec spec;

  @Mixin private CommonOptions common;

  @Option(
      names = "--client",
      paramLabel = "ADDRESS",
      description = "the PC's IP address (a literal: the gateway decides on addresses)")
  private String client;

  @Option(
      names = "--at",
      paramLabel = "TIME",
      description =
          "decide as if the request arrived at TIME (ISO-8601, e.g."
              + " 2026-11-24T23:30:00+09:00) instead of now, for entries with a schedule")
  private String at;

  @Parameters(
      arity = "0..2",
      paramLabel = "[METHOD] URL",
      hideParamSyntax = true,
      description = "the request: a URL, or CONNECT HOST:PORT")
  private List<String> request;

  ExplainCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    Request parsed =
        Request.of(
            spec, client, at, request == null ? List.of() : request, Clock.systemUTC().instant());
    Configuration loaded = Configuration.load(common.config());
    if (!loaded.problems().isEmpty()) {
      loaded.problems().forEach(terminal.err()::println);
      terminal.err().println("patchgate explain: the configuration or the allowlist is not valid");
      return Cli.INVALID;
    }
    return run(loaded.allowlist(), parsed, terminal.out());
  }

  /** The checked command line. */
  record Request(InetAddress client, Instant at, String method, String target) {
    static Request of(CommandSpec spec, String client, String at, List<String> words, Instant now) {
      InetAddress address = client == null ? null : address(spec, client);
      Instant when = at == null ? now : instant(spec, at);
      if (address == null) {
        throw UsageErrors.of(spec, "--client ADDRESS is required (the PC's IP address)");
      }
      if (words.isEmpty()) {
        throw UsageErrors.of(spec, "a URL (or CONNECT HOST:PORT) is required");
      }
      String method = words.size() == 2 ? words.get(0).toUpperCase(Locale.ROOT) : "GET";
      return new Request(address, when, method, words.get(words.size() - 1));
    }

    private static InetAddress address(CommandSpec spec, String value) {
      // Only literals: a name here would be looked up, and the gateway decides on addresses.
      if (value.matches("[0-9a-fA-F:.]+") && (value.contains(".") || value.contains(":"))) {
        try {
          return InetAddress.getByName(value);
        } catch (UnknownHostException e) {
          // reported below
        }
      }
      throw UsageErrors.of(spec, "--client needs an IP address, not '" + value + "'");
    }

    private static Instant instant(CommandSpec spec, String value) {
      try {
        return OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return Instant.parse(value);
        } catch (DateTimeParseException again) {
          throw UsageErrors.of(
              spec, "--at needs a time like 2026-11-24T23:30:00+09:00, not '" + value + "'");
        }
      }
    }
  }

  /**
   * Prints the explanation of {@code request} under {@code allowlist}.
   *
   * @return {@link Cli#OK} when allowed, {@link Cli#INVALID} when refused
   */
  private static int run(Allowlist allowlist, Request request, PrintStream out) {
    Explained explained =
        Explained.of(allowlist, request.client(), request.method(), request.target(), request.at());
    out.println(explained.allowed() ? "ALLOW" : "DENY");
    explained.lines().forEach(line -> out.println("  " + line));
    return explained.allowed() ? Cli.OK : Cli.INVALID;
  }
}
