package dev.patchgate.proxy.cli;

import dev.patchgate.allowlist.Profile;
import dev.patchgate.allowlist.Profiles;
import dev.patchgate.audit.text.DisplayText;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code patchgate profiles [NAME]}: the curated host profiles shipped inside patchgate. */
@Command(
    name = "profiles",
    description = {
      "Lists the curated host profiles shipped inside patchgate.",
      "A profile is used as profile = NAME in an allowlist entry. Each host is listed with its"
          + " scheme, port and purpose, with the sources and the date the list was last checked."
          + " With NAME, only that profile. Exits 1 for an unknown NAME."
    })
final class ProfilesCommand implements Callable<Integer> {
  private final Terminal terminal;

  @Mixin private CommonOptions common;

  @Parameters(arity = "0..1", paramLabel = "NAME", description = "one profile")
  private String name;

  ProfilesCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() {
    if (name == null) {
      terminal.out().print(Profiles.describe());
      return Cli.OK;
    }
    Optional<Profile> profile = Profiles.find(name);
    if (profile.isEmpty()) {
      terminal
          .err()
          .println(
              "patchgate profiles: no profile named '"
                  + DisplayText.clean(name)
                  + "'; patchgate ships: "
                  + Profiles.all().stream().map(Profile::name).collect(Collectors.joining(", ")));
      return Cli.INVALID;
    }
    terminal.out().print(Profiles.describe(profile.get()));
    return Cli.OK;
  }
}
