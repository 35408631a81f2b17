/**
 * The update mirror's side of the request path: {@link dev.patchgate.proxy.mirror.MirrorStage} asks
 * the mirror's pure strategy, then serves a stored copy ({@link
 * dev.patchgate.proxy.mirror.MirrorHitWriter}, zero copy, ranges), follows a fill as it grows
 * ({@link dev.patchgate.proxy.mirror.MirrorFollower}), sends a follower the rest of a download
 * whose fill was given up for a full disk ({@link dev.patchgate.proxy.mirror.MirrorResume}), hands
 * an answer the mirror does not keep to the client that asked ({@link
 * dev.patchgate.proxy.mirror.MirrorHandOver}), or hands the request back to be forwarded.
 *
 * <p>Uses {@code exchange}, {@code upstream} and {@code mirror.fetch}, and the store of the {@code
 * update-mirror} module; it never touches LittleProxy.
 */
package dev.patchgate.proxy.mirror;
