package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.AccessRequest;
import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Explanation;
import dev.patchgate.allowlist.Target;
import dev.patchgate.allowlist.TargetException;
import dev.patchgate.allowlist.TargetParser;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;

/**
 * {@code patchgate explain}: what the allowlist in the configured file says about one request, and
 * why; what an administrator runs when a PC reports a failed update. Exits 0 when the request would
 * be allowed and 1 when it would be refused. Nothing is resolved or dialled: the address check that
 * follows DNS is described, not performed.
 */
final class ExplainCommand {
  static final String HELP =
      """
      Usage: patchgate explain --client ADDRESS [--at TIME] [--config FILE] [METHOD] URL
             patchgate explain --client ADDRESS [--at TIME] [--config FILE] CONNECT HOST:PORT

      Says whether the gateway's allowlist lets the client at ADDRESS make the request, which
      entry allows it, or which entry came closest and what differed. METHOD is GET (the
      default), HEAD or CONNECT. --at decides as if the request arrived at TIME (ISO-8601, e.g.
      2026-11-24T23:30:00+09:00) instead of now, for entries with a schedule.
      Exits 0 when the request would be allowed, 1 when it would be refused.

      Example:
        patchgate explain --client 10.10.1.5 GET http://download.windowsupdate.com/x.cab
        patchgate explain --client 10.10.1.5 CONNECT fe3cr.delivery.mp.microsoft.com:443
      """;

  private ExplainCommand() {}

  /** The parsed command line. */
  record Request(InetAddress client, Instant at, String method, String target) {
    static Request parse(List<String> args, Instant now) {
      InetAddress client = null;
      Instant at = now;
      String method = null;
      String target = null;
      for (int i = 0; i < args.size(); i++) {
        String arg = args.get(i);
        if (arg.equals("--client") || arg.equals("--at")) {
          if (i + 1 >= args.size()) {
            throw new Cli.UsageException(arg + " needs a value");
          }
          String value = args.get(++i);
          if (arg.equals("--client")) {
            client = address(value);
          } else {
            at = instant(value);
          }
        } else if (arg.startsWith("-")) {
          throw new Cli.UsageException("unknown option '" + arg + "'");
        } else if (target == null) {
          target = arg;
        } else if (method == null) {
          method = target.toUpperCase(Locale.ROOT);
          target = arg;
        } else {
          throw new Cli.UsageException("unexpected argument '" + arg + "'");
        }
      }
      if (client == null) {
        throw new Cli.UsageException("--client ADDRESS is required (the PC's IP address)");
      }
      if (target == null) {
        throw new Cli.UsageException("a URL (or CONNECT HOST:PORT) is required");
      }
      return new Request(client, at, method == null ? "GET" : method, target);
    }

    private static InetAddress address(String value) {
      // Only literals: a name here would be looked up, and the gateway decides on addresses.
      if (!value.matches("[0-9a-fA-F:.]+") || !(value.contains(".") || value.contains(":"))) {
        throw new Cli.UsageException("--client needs an IP address, not '" + value + "'");
      }
      try {
        return InetAddress.getByName(value);
      } catch (UnknownHostException e) {
        throw new Cli.UsageException("--client needs an IP address, not '" + value + "'");
      }
    }

    private static Instant instant(String value) {
      try {
        return java.time.OffsetDateTime.parse(value).toInstant();
      } catch (DateTimeParseException e) {
        try {
          return Instant.parse(value);
        } catch (DateTimeParseException again) {
          throw new Cli.UsageException(
              "--at needs a time like 2026-11-24T23:30:00+09:00, not '" + value + "'");
        }
      }
    }
  }

  /**
   * Prints the explanation of {@code request} under {@code allowlist}.
   *
   * @return {@link Cli#OK} when allowed, {@link Cli#INVALID} when refused
   */
  static int run(Allowlist allowlist, Request request, PrintStream out) {
    boolean connect = request.method().equals("CONNECT");
    String label = "  request: " + request.method() + " " + request.target();
    if (!connect && !request.method().equals("GET") && !request.method().equals("HEAD")) {
      out.println("DENY");
      out.println(label);
      out.println("  the gateway answers 405: it forwards only GET, HEAD and CONNECT");
      return Cli.INVALID;
    }
    Target target;
    try {
      target =
          connect
              ? TargetParser.parseConnect(request.target())
              : TargetParser.parseAbsolute(request.target());
    } catch (TargetException e) {
      out.println("DENY");
      out.println(label);
      out.println("  the gateway answers 400 before the allowlist is asked: " + e.reason());
      return Cli.INVALID;
    }
    Explanation explanation =
        allowlist.explain(
            new AccessRequest(request.client(), request.method(), target, request.at()));
    boolean allowed = explanation.decision().allowed();
    out.println(allowed ? "ALLOW" : "DENY");
    explanation.lines().forEach(line -> out.println("  " + line));
    return allowed ? Cli.OK : Cli.INVALID;
  }
}
