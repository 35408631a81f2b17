package dev.patchgate.proxy.upstream;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.littleshoot.proxy.HostResolver;

/**
 * LittleProxy's own resolver, made to refuse: every upstream address comes from {@code
 * GatewayFilters.proxyToServerResolutionStarted}, which resolves once and pins the result, so a
 * second lookup (the DNS-rebinding window) never happens.
 *
 * <p>Public for the gateway's wiring, which hands it to LittleProxy.
 */
public final class RefusingHostResolver implements HostResolver {
  @Override
  public InetSocketAddress resolve(String host, int port) throws UnknownHostException {
    throw new UnknownHostException(host + ": not resolved by the gateway's policy path");
  }
}
