/**
 * The gateway's own upstream client for mirror fills: one fetch per URL ({@link
 * dev.patchgate.proxy.mirror.fetch.MirrorFetcher}), dialling only the address the allowlist check
 * pinned, writing into the store's fill with backpressure, and passing an answer the mirror does
 * not keep to whoever waits for it.
 *
 * <p>Depends on no other package of the gateway; it knows nothing of clients or audit records (its
 * {@link dev.patchgate.proxy.mirror.fetch.MirrorFetchOutcome} says what happened, the caller words
 * it).
 */
package dev.patchgate.proxy.mirror.fetch;
