/**
 * The request path, in the order a request meets it: {@link
 * dev.patchgate.proxy.request.RequestFramer} hands LittleProxy one request head at a time; {@link
 * dev.patchgate.proxy.request.AdmissionStage} checks its form ({@link
 * dev.patchgate.proxy.request.RequestGate}), decides it against the allowlist, resolves and pins
 * the address, guards a tunnel with the SNI gate and lets the mirror answer; {@link
 * dev.patchgate.proxy.request.GatewayFilters} is what LittleProxy calls to refuse, or to forward
 * exactly what was decided to exactly the address that was checked.
 *
 * <p>Uses {@code exchange}, {@code upstream}, {@code tunnel} and {@code mirror}; none of them uses
 * it. It must not write audit records itself: it notes outcomes on the exchange.
 */
package dev.patchgate.proxy.request;
