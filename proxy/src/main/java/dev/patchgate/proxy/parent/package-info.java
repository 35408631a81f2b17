/**
 * Parent proxies: which of the configured parents a request goes through ({@link
 * dev.patchgate.proxy.parent.ParentPolicy}, pure), the gateway's live view of them with their
 * metrics ({@link dev.patchgate.proxy.parent.Parents}), and LittleProxy's side of it ({@link
 * dev.patchgate.proxy.parent.ParentChain}).
 *
 * <p>The request is still decided here first; the parent only carries it. Depends on the
 * configuration and notes outcomes on the {@link dev.patchgate.proxy.exchange.Exchange}; the
 * request path and the mirror ask it where to send a request.
 */
package dev.patchgate.proxy.parent;
