package dev.patchgate.proxy.console.data;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.AllowlistException;
import dev.patchgate.allowlist.Problem;
import dev.patchgate.allowlist.Profiles;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The Allowlist page's data and its explain form, for admins only.
 *
 * <p>The policy in force comes from the gateway ({@code PolicyReload} is a {@code
 * Supplier<Allowlist>}); the file's problems are found by reading the file again, as {@code
 * check-config} does, so they are those of the file as it is now, with file and line, also while a
 * rejected edit leaves the previous policy in force. Reading costs one parse of the file (about a
 * millisecond for a hospital's list). Thread-safe.
 */
public final class AllowlistData {
  private final Supplier<Allowlist> inForce;
  private final Path file;
  private final Supplier<Optional<Instant>> lastReload;
  private final Clock clock;

  /**
   * @param inForce the policy the gateway decides with
   * @param file the allowlist file it watches
   * @param lastReload when an edit was last taken over, empty when none was
   * @param clock now, for explanations without a time
   */
  public AllowlistData(
      Supplier<Allowlist> inForce, Path file, Supplier<Optional<Instant>> lastReload, Clock clock) {
    this.inForce = inForce;
    this.file = file;
    this.lastReload = lastReload;
    this.clock = clock;
  }

  /**
   * Entries and client groups in force, the shipped profiles, the file's problems.
   *
   * @throws OutOfScopeException for a vendor
   */
  public AllowlistView view(Scope scope) {
    scope.requireAdmin("the allowlist page");
    Allowlist policy = inForce.get();
    List<Problem> problems;
    try {
      Allowlist.load(file);
      problems = List.of();
    } catch (AllowlistException e) {
      problems = e.problems();
    }
    return new AllowlistView(
        file,
        policy.entryViews(),
        policy.clientGroups(),
        Profiles.all(),
        problems,
        lastReload.get());
  }

  /**
   * What the policy in force says about {@code method url} from {@code client} now, as {@code
   * patchgate explain} says it.
   *
   * @param method GET (when null or blank), HEAD or CONNECT, any case
   * @param url an absolute URL, or {@code host:port} for CONNECT
   * @throws BadFilterException when the client is not an IP address or the URL is blank
   * @throws OutOfScopeException for a vendor
   */
  public Explained explain(String method, String url, String client, Scope scope) {
    scope.requireAdmin("the explain form");
    InetAddress address = Scope.literal(client == null ? null : client.strip());
    if (address == null) {
      throw new BadFilterException(
          "client: '" + client + "' (expected: an IP address such as 10.10.1.5)");
    }
    if (url == null || url.isBlank()) {
      throw new BadFilterException("url: a URL (or host:port with CONNECT) is required");
    }
    String m = method == null || method.isBlank() ? "GET" : method.strip().toUpperCase(Locale.ROOT);
    return Explained.of(inForce.get(), address, m, url.strip(), clock.instant());
  }
}
