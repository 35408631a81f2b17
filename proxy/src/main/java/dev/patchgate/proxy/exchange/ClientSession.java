package dev.patchgate.proxy.exchange;

import dev.patchgate.allowlist.Allowlist;
import dev.patchgate.allowlist.Decision;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.AttributeKey;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection's bookkeeping: the bytes that crossed it, the exchange in progress, and the
 * upstream addresses already pinned for it.
 *
 * <p>Byte counters and the current exchange are touched only on the connection's event loop (the
 * taps run there, and Netty runs writes issued from upstream threads there too), so they need no
 * locks. An exchange's bytes are the difference between the totals at its end and at the end of the
 * exchange before it. Bytes read count when the request framer hands them to the request path, one
 * request at a time, so a pipelined request's head is charged to its own record, never to the one
 * before it; bytes that were read but never handed on are charged to the exchange in progress when
 * the connection closes.
 *
 * <p>Public for the gateway's wiring and the request path.
 */
public final class ClientSession {
  public static final AttributeKey<ClientSession> KEY = AttributeKey.valueOf("patchgate.session");
  private static final Logger LOG = LoggerFactory.getLogger(ClientSession.class);

  private final Channel channel;
  private final InetAddress clientAddress;
  // Formatted once: every exchange on the connection records it.
  private final String clientIp;
  private final ExchangeLog log;
  private final OpenTunnels tunnels;
  private final Map<String, InetAddress> upstreamByAuthority = new ConcurrentHashMap<>(4);
  private final Map<String, String> parentByAuthority = new ConcurrentHashMap<>(4);

  private long bytesArrived;
  private long bytesRead;
  private long bytesWritten;
  private long readMark;
  private long writtenMark;
  private Exchange current;
  private RequestFlow framer;
  private RequestLine nextRequestLine = RequestLine.NONE;

  public ClientSession(
      Channel channel, InetAddress clientAddress, ExchangeLog log, OpenTunnels tunnels) {
    this.channel = channel;
    this.tunnels = tunnels;
    this.clientAddress = clientAddress;
    this.clientIp = clientAddress.getHostAddress();
    this.log = log;
  }

  public InetAddress clientAddress() {
    return clientAddress;
  }

  /**
   * What hands this connection's requests to the request path, one at a time (the request framer):
   * it is told when each exchange ends and when the tunnel opens.
   */
  public interface RequestFlow {
    /**
     * The exchange in progress ended; the next request may go on.
     *
     * @param endsConnection true when nothing may follow it on this connection
     */
    void exchangeEnded(boolean endsConnection);

    /** The CONNECT's 200 is on its way: from now on the connection carries a tunnel. */
    void tunnelOpened();
  }

  /** The request flow told of this connection's exchanges; set once, by the framer. */
  public void framedBy(RequestFlow flow) {
    framer = flow;
  }

  /** The raw request line of the head the framer is handing on, for an unparseable request. */
  public void nextRequestLine(RequestLine line) {
    nextRequestLine = line;
  }

  /** A request head was decoded (well formed or not): it opens the next exchange. */
  public Exchange requestArrived(HttpRequest request) {
    if (current != null) {
      // The framer hands on one head at a time, so this cannot happen; if it did, the previous
      // exchange would end here, as far as bookkeeping can tell.
      finish();
    }
    current = log.open(clientIp, request, nextRequestLine);
    nextRequestLine = RequestLine.NONE;
    return current;
  }

  /**
   * The next request's head did not arrive whole in time: opens the exchange of the gateway's 408,
   * whose record keeps {@code line} as far as it came.
   */
  public Exchange headerTimedOut(RequestLine line) {
    if (current != null) {
      finish(); // the framer only times a head between exchanges; as in requestArrived
    }
    current = log.openTimedOut(clientIp, line);
    nextRequestLine = RequestLine.NONE;
    return current;
  }

  /** The exchange in progress, or null between exchanges. */
  public Exchange current() {
    return current;
  }

  /** Bytes came off the client's socket. */
  void bytesArrived(long n) {
    bytesArrived += n;
  }

  /** Bytes went on to the request path (a request head) or into the open tunnel. */
  public void bytesHandedOver(long n) {
    bytesRead += n;
  }

  /** Bytes written to the client so far, over the connection's life. Event loop only. */
  long bytesWritten() {
    return bytesWritten;
  }

  void bytesWritten(long n) {
    bytesWritten += n;
  }

  /** The last byte of {@code exchange}'s response reached the client's socket. */
  void responseEnded(Exchange exchange) {
    if (current == exchange) {
      finish();
    }
  }

  /** The client connection closed: whatever is in progress (a tunnel, a cut download) ends now. */
  void closed() {
    tunnels.closed(this);
    bytesRead = bytesArrived;
    if (current != null) {
      finish();
    }
  }

  /** The current exchange's CONNECT succeeded: the connection now carries its tunnel. */
  void tunnelOpened() {
    tunnels.opened(this);
    if (framer != null) {
      framer.tunnelOpened();
    }
  }

  /**
   * The allowlist was reloaded (any thread): if the open tunnel's request is no longer allowed, or
   * no longer to the address it was dialled on, the tunnel is closed and its record says why.
   */
  void recheckTunnel(Allowlist next) {
    channel
        .eventLoop()
        .execute(
            () -> {
              Exchange tunnel = current;
              if (tunnel == null
                  || tunnel.access() == null
                  || (tunnel.pinned() == null && !tunnel.viaParent())) {
                return;
              }
              Decision allowlistDecision = next.decide(tunnel.access());
              // A tunnel through a parent with resolve = parent has no address checked here.
              if (!allowlistDecision.allowed()
                  || (tunnel.pinned() != null
                      && allowlistDecision.addressRefusal(tunnel.pinned()) != null)) {
                tunnel.closedByReload();
                channel.close();
              }
            });
  }

  /**
   * The upstream connection for {@code authority} closed (any thread). If the client is still
   * waiting for the rest of a response from it, that response can never complete: the client's
   * connection is closed so that the cut download cannot pass for a whole one. LittleProxy itself
   * leaves the client waiting when an upstream closes mid-body.
   */
  public void upstreamClosed(String authority) {
    if (channel.eventLoop().isShuttingDown()) {
      return; // the gateway is stopping and closes every client itself
    }
    channel
        .eventLoop()
        .execute(
            () -> {
              Exchange exchange = current;
              if (exchange != null
                  && exchange.responseOpen()
                  && exchange.target() != null
                  && authority.equals(exchange.target().authority())) {
                exchange.failed(Exchange.UPSTREAM_BROKEN);
                channel.close();
              }
            });
  }

  /**
   * LittleProxy failed a parent and then lost its retry of the next one (see {@code ParentChain}),
   * leaving this client waiting: unless an answer has begun, the client gets the 502 the parents'
   * failure calls for, its record says why, and the connection closes. Any thread.
   */
  public void parentRetryLost(Exchange exchange) {
    if (channel.eventLoop().isShuttingDown()) {
      return;
    }
    channel
        .eventLoop()
        .execute(
            () -> {
              if (current != exchange || exchange.status() != 0 || !channel.isActive()) {
                return;
              }
              LOG.warn(
                  "LittleProxy lost its retry of the next parent proxy; answering 502 ({})",
                  exchange.reason());
              channel
                  .writeAndFlush(
                      GatewayResponses.refusal(
                          HttpResponseStatus.BAD_GATEWAY,
                          exchange.reason(),
                          exchange.isHead(),
                          true))
                  .addListener(ChannelFutureListener.CLOSE);
            });
  }

  /** The upstream address an earlier exchange on this connection pinned for {@code authority}. */
  public InetAddress knownUpstream(String authority) {
    return upstreamByAuthority.get(authority);
  }

  public void rememberUpstream(String authority, InetAddress address) {
    upstreamByAuthority.put(authority, address);
  }

  /** The parent an earlier exchange's upstream connection for {@code authority} was made to. */
  public String knownParent(String authority) {
    return parentByAuthority.get(authority);
  }

  public void rememberParent(String authority, String label) {
    parentByAuthority.put(authority, label);
  }

  private void finish() {
    Exchange done = current;
    current = null;
    long toClient = bytesWritten - writtenMark;
    long fromClient = bytesRead - readMark;
    writtenMark = bytesWritten;
    readMark = bytesRead;
    log.finished(done, toClient, fromClient);
    if (framer != null) {
      framer.exchangeEnded(done.endsConnection());
    }
  }
}
