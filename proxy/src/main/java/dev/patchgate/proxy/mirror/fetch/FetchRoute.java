package dev.patchgate.proxy.mirror.fetch;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a mirror fetch connects, tried in order until one connection is made: the origin's checked
 * address, or parent proxies (which get the request in absolute form, with their credentials),
 * perhaps followed by the origin ({@code fallback = direct}).
 *
 * @param hops at least one
 *     <p>Public for the mirror, which routes each fill as the request path routes its request.
 */
public record FetchRoute(List<Hop> hops) {
  public FetchRoute {
    hops = List.copyOf(hops);
    if (hops.isEmpty()) {
      throw new IllegalArgumentException("hops: empty (expected: at least one place to dial)");
    }
  }

  /** One place to dial, and who hears whether the connection was made. */
  public interface Hop {
    /** The address to dial: the origin's, resolved and checked; or a parent's, perhaps a name. */
    InetSocketAddress address();

    /**
     * True for a parent proxy: the request goes to it in absolute form. False for the origin, whose
     * address must be resolved (a fill never looks an origin up).
     */
    boolean parent();

    /** The {@code Proxy-Authorization} value a parent wants; empty for the origin. */
    Optional<String> authorization();

    /**
     * The {@code X-Forwarded-For} a parent gets: the PC whose request started the fill; empty for
     * the origin, which never learns the hospital's internal addresses.
     */
    default Optional<String> forwardedFor() {
      return Optional.empty();
    }

    /** The connection was made (on the fetch's event loop). */
    default void connected() {}

    /** The connection could not be made (on the fetch's event loop). */
    default void failed(Throwable cause) {}
  }

  /** Straight to the origin's checked address. */
  public static FetchRoute direct(InetSocketAddress origin) {
    Objects.requireNonNull(origin, "origin");
    return new FetchRoute(List.of(origin(origin)));
  }

  /** The origin's checked address as a hop. */
  public static Hop origin(InetSocketAddress origin) {
    return origin(origin, () -> {});
  }

  /**
   * The origin's checked address as a hop, {@code connected} run once a connection to it is made
   * (the last hop after the parents, with {@code fallback = direct}).
   */
  public static Hop origin(InetSocketAddress origin, Runnable connected) {
    return new OriginHop(Objects.requireNonNull(origin, "origin"), connected);
  }

  private record OriginHop(InetSocketAddress address, Runnable onConnected) implements Hop {
    @Override
    public boolean parent() {
      return false;
    }

    @Override
    public Optional<String> authorization() {
      return Optional.empty();
    }

    @Override
    public void connected() {
      onConnected.run();
    }
  }
}
