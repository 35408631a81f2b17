package dev.patchgate.proxy.cli;

import dev.patchgate.proxy.config.GatewaySettings;
import dev.patchgate.proxy.config.MirrorSwitch;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code patchgate mirror ls|verify|purge|prefetch}: the update mirror's tools, as commands of the
 * frame. {@link MirrorAdmin} does {@code ls}, {@code verify} and {@code purge} on the store; {@link
 * Prefetch} downloads through the running gateway.
 *
 * <p>Exit codes: 0 done (verify: nothing damaged; prefetch: every URL fetched); 1 the store is held
 * by the gateway or missing, verify found damage, or a URL was not fetched; 2 a bad command line.
 */
@Command(
    name = "mirror",
    description = "The update mirror's tools: ls, verify, purge URL-PREFIX, prefetch FILE.",
    subcommands = {
      MirrorCommand.Ls.class,
      MirrorCommand.Verify.class,
      MirrorCommand.Purge.class,
      MirrorCommand.PrefetchUrls.class,
      CommandLine.HelpCommand.class
    },
    synopsisSubcommandLabel = "ls|verify|purge|prefetch",
    commandListHeading = "%nCommands:%n",
    footer = {
      "",
      "verify and purge need the store to themselves: stop the gateway first.",
      "DIR defaults to the configured patchgate.mirror.dir,",
      "HOST:PORT to patchgate.listen."
    })
final class MirrorCommand extends CommandGroup {
  /**
   * A tool of {@code mirror} that works on the store: {@code --dir}, else the configured one. Exits
   * 1 after saying why there is none (an invalid configuration, or the mirror is off and no {@code
   * --dir} was given).
   */
  abstract static class OnStore implements Callable<Integer> {
    final Terminal terminal;

    @Spec CommandSpec spec;

    @Mixin private CommonOptions common;

    @Mixin private DirOption dir;

    OnStore(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public final Integer call() {
      Optional<GatewaySettings> settings =
          Configuration.settings("mirror", common.config(), terminal.err());
      if (settings.isEmpty()) {
        return Cli.INVALID;
      }
      if (dir.given().isPresent()) {
        return run(dir.given().get());
      }
      if (!(settings.get().mirroring() instanceof MirrorSwitch.On on)) {
        terminal
            .err()
            .println(
                "patchgate mirror "
                    + spec.name()
                    + ": the mirror is off (patchgate.mirror.enabled = false); name a store with"
                    + " --dir DIR");
        return Cli.INVALID;
      }
      return run(on.settings().dir());
    }

    /** Runs the tool on the store in {@code dir}; returns the exit code. */
    abstract int run(Path dir);
  }

  /** {@code mirror ls}. */
  @Command(
      name = "ls",
      description = {
        "Lists every stored object: URL, size, when stored, last hit, hits.",
        "Sorted by URL. Works beside a running gateway (hit counts reach the disk within 30 s)."
      })
  static final class Ls extends OnStore {
    Ls(Terminal terminal) {
      super(terminal);
    }

    @Override
    int run(Path dir) {
      return MirrorAdmin.ls(dir, terminal);
    }
  }

  /** {@code mirror verify}. */
  @Command(
      name = "verify",
      description = {
        "Re-reads every object and checks its length and SHA-256.",
        "Damaged objects are moved to DIR/quarantine. Exits 0 all intact, 1 damage found."
      })
  static final class Verify extends OnStore {
    Verify(Terminal terminal) {
      super(terminal);
    }

    @Override
    int run(Path dir) {
      return MirrorAdmin.verify(dir, terminal);
    }
  }

  /** {@code mirror purge URL-PREFIX}. */
  @Command(
      name = "purge",
      description = {
        "Removes every object whose URL starts with URL-PREFIX.",
        "For example http://download.vendor.example/old/; http:// removes everything."
      })
  static final class Purge extends OnStore {
    private static final String HTTP = "http://";

    @Parameters(arity = "0..1", paramLabel = "URL-PREFIX", description = "what to remove")
    private String prefix;

    Purge(Terminal terminal) {
      super(terminal);
    }

    @Override
    int run(Path dir) {
      if (prefix == null) {
        throw UsageErrors.of(
            spec, "expected a URL prefix, e.g. http://download.vendor.example/old/");
      }
      if (!prefix.regionMatches(true, 0, HTTP, 0, HTTP.length())) {
        throw UsageErrors.of(
            spec,
            "'"
                + prefix
                + "' is not an http:// URL prefix (the mirror stores plain-HTTP downloads only)");
      }
      return MirrorAdmin.purge(dir, prefix, terminal);
    }
  }

  /** {@code mirror prefetch FILE}. */
  @Command(
      name = "prefetch",
      description = {
        "Downloads every URL in FILE through the running gateway, so its mirror fills.",
        "FILE has one URL a line; # comments and blank lines are skipped. The allowlist decides"
            + " as for any client. Exits 0 when every URL was fetched, 1 otherwise."
      })
  static final class PrefetchUrls implements Callable<Integer> {
    private final Terminal terminal;

    @Spec private CommandSpec spec;

    @Mixin private CommonOptions common;

    @Parameters(arity = "0..1", paramLabel = "FILE", description = "the URLs, one a line")
    private String file;

    private InetSocketAddress gateway;

    @Option(
        names = "--gateway",
        paramLabel = "HOST:PORT",
        description = "the running gateway (default: patchgate.listen)")
    void gateway(String value) {
      UsageErrors.nonBlank(spec, "--gateway", "HOST:PORT", value);
      try {
        gateway = GatewaySettings.parseListen(value);
      } catch (IllegalArgumentException e) {
        throw UsageErrors.of(spec, "--gateway " + value + ": " + e.getMessage());
      }
    }

    PrefetchUrls(Terminal terminal) {
      this.terminal = terminal;
    }

    @Override
    public Integer call() {
      if (file == null) {
        throw UsageErrors.of(spec, "expected a file of URLs, one a line");
      }
      Optional<GatewaySettings> settings =
          Configuration.settings("mirror", common.config(), terminal.err());
      if (settings.isEmpty()) {
        return Cli.INVALID;
      }
      InetSocketAddress listen = gateway != null ? gateway : settings.get().listen();
      return Prefetch.run(spec, Path.of(file), Prefetch.proxyAddress(listen), terminal);
    }
  }
}
