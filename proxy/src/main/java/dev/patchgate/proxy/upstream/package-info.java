/**
 * The way upstream: resolving a host once, off the event loop ({@link
 * dev.patchgate.proxy.upstream.UpstreamResolver}), refusing LittleProxy's own second lookup, the
 * gateway's own addresses ({@link dev.patchgate.proxy.upstream.SelfAddress}) and the {@code Host}
 * header sent upstream.
 *
 * <p>Depends on no other package of the gateway; it says where a request may go, it sends nothing.
 */
package dev.patchgate.proxy.upstream;
