/**
 * The admin listener: Prometheus metrics, liveness and readiness, for the addresses in {@code
 * patchgate.admin.clients} only, every request audited.
 *
 * <p>Owns its own event loop and HTTP handling; it reads the gateway's state (meters, readiness
 * checks) and writes records through the exchange log. It must not touch the proxy's request path
 * or its connections: the monitoring has to keep answering while the proxy is flooded.
 */
package dev.patchgate.proxy.admin;
