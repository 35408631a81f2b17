package dev.patchgate.proxy.parent;

import dev.patchgate.proxy.config.ParentProxy;
import dev.patchgate.proxy.exchange.ClientSession;
import dev.patchgate.proxy.exchange.Exchange;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.internal.ThreadExecutorMap;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import org.littleshoot.proxy.ActivityTrackerAdapter;
import org.littleshoot.proxy.ChainedProxy;
import org.littleshoot.proxy.ChainedProxyAdapter;
import org.littleshoot.proxy.ChainedProxyManager;
import org.littleshoot.proxy.FullFlowContext;
import org.littleshoot.proxy.impl.ClientDetails;

/**
 * LittleProxy's upstream connection for a request the parents carry: LittleProxy dials the parents
 * this returns, in order, until one connects, sends a plain request to it in absolute form and a
 * CONNECT as a CONNECT, with {@code Proxy-Authorization} when the parent has credentials. With none
 * left it answers 502, which the request path turns into the page naming {@link
 * Exchange#PARENT_UNREACHABLE}; only {@code fallback = direct} adds the origin's checked address as
 * a last hop.
 *
 * <p>A request its entry sends direct gets LittleProxy's own direct connection, dialled to the
 * address the request path pinned.
 *
 * <p>LittleProxy hands the manager only the request, so the request path names the exchange it is
 * forwarding ({@link #forwarding}) on the client's event loop right before: LittleProxy asks for
 * the chain on that same thread, in the same call ({@code ClientToProxyConnection}'s reading of a
 * request head), and a kept-alive upstream connection that needs no chain asks nothing.
 *
 * <p>Also an activity tracker: it hears a parent's answer to a CONNECT (a {@code 407} when the
 * credentials are wrong), which LittleProxy otherwise only reports as a failed connection.
 *
 * <p>LittleProxy 2.8 goes on to the next parent from the listener of the failed connection; when
 * the parent refused at once, that listener can run after Netty has torn down the failed
 * connection's pipeline, and the retry then throws ({@code NoSuchElementException} from {@code
 * resetConnectionForRetry}) and leaves the client waiting with no answer. So each failed hop
 * checks, right after LittleProxy's handling of the failure, that the next hop was dialled; if not,
 * the client gets the parents' 502 ({@link ClientSession#parentRetryLost}).
 *
 * <p>Public for the gateway's wiring and the request path.
 */
public final class ParentChain extends ActivityTrackerAdapter implements ChainedProxyManager {
  private static final ThreadLocal<Forwarding> FORWARDING = new ThreadLocal<>();

  /** The exchange whose request is being handed to LittleProxy, and its client connection. */
  private record Forwarding(Exchange exchange, ClientSession session) {}

  private final Parents parents;

  public ParentChain(Parents parents) {
    this.parents = parents;
  }

  /**
   * The request path is handing {@code exchange}'s request to LittleProxy on this thread; any chain
   * LittleProxy asks for next is this exchange's, on {@code session}'s connection. Null for a
   * request that goes straight to its origin.
   */
  public static void forwarding(Exchange exchange, ClientSession session) {
    if (exchange == null) {
      FORWARDING.remove();
    } else {
      FORWARDING.set(new Forwarding(exchange, session));
    }
  }

  /**
   * A response head on its way to the client of {@code exchange}: a parent's {@code 407} is a
   * challenge to the gateway, not to the client, who must not be asked for a password it has no use
   * for; the record says the parent refused the gateway's credentials.
   */
  public static void answered(Exchange exchange, HttpResponse response) {
    if (exchange.viaParent()
        && response.status().equals(HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED)) {
      exchange.parentFailed(Exchange.PARENT_REFUSED_CREDENTIALS);
      response.headers().remove(HttpHeaderNames.PROXY_AUTHENTICATE);
    }
  }

  @Override
  public void lookupChainedProxies(
      HttpRequest httpRequest, Queue<ChainedProxy> chainedProxies, ClientDetails clientDetails) {
    Forwarding forwarding = FORWARDING.get();
    FORWARDING.remove();
    if (forwarding == null || !forwarding.exchange().viaParent()) {
      chainedProxies.add(ChainedProxyAdapter.FALLBACK_TO_DIRECT_CONNECTION);
      return;
    }
    Exchange exchange = forwarding.exchange();
    List<ParentProxy> candidates = parents.candidates();
    boolean direct = parents.fallbackDirect() && exchange.pinned() != null;
    ParentHop next = null;
    // Built from the last: each hop knows whether one follows it.
    for (int i = candidates.size() - 1; i >= 0; i--) {
      next = new ParentHop(candidates.get(i), forwarding, next, direct && next == null);
    }
    for (ParentHop hop = next; hop != null; hop = hop.next) {
      chainedProxies.add(hop);
    }
    if (direct) {
      // LittleProxy's own direct connection, which asks the request path for the pinned address.
      chainedProxies.add(ChainedProxyAdapter.FALLBACK_TO_DIRECT_CONNECTION);
    }
    if (chainedProxies.isEmpty()) {
      // Every parent is skipped: LittleProxy answers 502 without dialling anything.
      exchange.parentFailed(Exchange.PARENT_UNREACHABLE);
    }
  }

  @Override
  public void responseReceivedFromServer(FullFlowContext context, HttpResponse response) {
    if (context.getChainedProxy() instanceof ParentHop hop) {
      hop.answered(response.status().code());
    }
  }

  /** One parent, for one request: dialled by LittleProxy, reporting back to the parents. */
  private final class ParentHop extends ChainedProxyAdapter {
    private final ParentProxy parent;
    private final Exchange exchange;
    private final ClientSession session;
    // What LittleProxy tries after this hop fails: the next parent, or the direct fallback.
    private final ParentHop next;
    private final boolean directNext;
    private volatile int answer;
    private volatile boolean dialled;

    ParentHop(ParentProxy parent, Forwarding forwarding, ParentHop next, boolean directNext) {
      this.parent = parent;
      this.exchange = forwarding.exchange();
      this.session = forwarding.session();
      this.next = next;
      this.directNext = directNext;
    }

    void answered(int status) {
      answer = status;
    }

    @Override
    public InetSocketAddress getChainedProxyAddress() {
      dialled = true; // asked when LittleProxy sets up the connection to this parent
      return parent.address();
    }

    @Override
    public String getUsername() {
      return parent.username().orElse(null);
    }

    @Override
    public String getPassword() {
      return parent.password().orElse(null);
    }

    @Override
    public void connectionSucceeded() {
      parents.connected(parent);
      exchange.parentConnected(parent.label());
    }

    @Override
    public void connectionFailed(Throwable cause) {
      if (cause == null && answer != 0) {
        // The parent is up and answered the CONNECT with a refusal: no connection failure.
        parents.connected(parent);
        exchange.parentFailed(
            answer == HttpResponseStatus.PROXY_AUTHENTICATION_REQUIRED.code()
                ? Exchange.PARENT_REFUSED_CREDENTIALS
                : Exchange.PARENT_REFUSED);
      } else {
        parents.connectFailed(parent);
        exchange.parentFailed(Exchange.PARENT_UNREACHABLE);
      }
      checkTheRetry();
    }

    /**
     * LittleProxy dials the next hop in the same task that called {@link #connectionFailed}: once
     * that task is over, a next hop not dialled means the retry was lost.
     */
    private void checkTheRetry() {
      EventExecutor here = ThreadExecutorMap.currentExecutor();
      if (here == null || (next == null && !directNext)) {
        return; // with no hop left LittleProxy answers 502 itself
      }
      here.execute(
          () -> {
            boolean retried = next != null ? next.dialled : !exchange.parentFailure();
            if (!retried) {
              session.parentRetryLost(exchange);
            }
          });
    }
  }
}
