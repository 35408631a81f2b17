/**
 * One exchange as the audit log tells it: the per-request {@link
 * dev.patchgate.proxy.exchange.Exchange} built up along the request path and written once at its
 * end ({@link dev.patchgate.proxy.exchange.ExchangeLog}, to the audit sink, the metrics and the
 * alerts), the connection's bookkeeping ({@link dev.patchgate.proxy.exchange.ClientSession}, open
 * tunnels), the byte taps that count what crossed the wire ({@link
 * dev.patchgate.proxy.exchange.WireTap}, {@link dev.patchgate.proxy.exchange.ExchangeTap}) and the
 * gateway's own canned answers.
 *
 * <p>It records and answers; it decides nothing. It depends on no other package of the gateway: the
 * request path, the tunnel gate and the mirror report to it, never the other way round (the request
 * framer is told of an exchange's end through {@link
 * dev.patchgate.proxy.exchange.ClientSession.RequestFlow}).
 */
package dev.patchgate.proxy.exchange;
