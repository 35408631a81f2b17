/**
 * The update mirror: an on-disk store of complete upstream responses to plain-HTTP GETs, and the
 * pure rules that say when to serve, revalidate, fill or bypass it.
 *
 * <p>Plain Java: nothing here knows about Netty or LittleProxy. The proxy asks {@link
 * dev.patchgate.mirror.MirrorStrategy} what to do, then serves a {@link
 * dev.patchgate.mirror.StoredObject} from disk (resolving ranges with {@link
 * dev.patchgate.mirror.ByteRanges}) or drives a single-flight fill through {@link
 * dev.patchgate.mirror.MirrorStore#fill}. Every class is thread-safe unless its Javadoc says
 * otherwise; the only blocking calls are the disk reads and writes documented as such.
 *
 * <p>{@link dev.patchgate.mirror.MirrorStore} is the store's one public face; behind it each
 * concern has its own package-private class: the committed objects ({@code CommittedObjects}), the
 * fills under way ({@code InflightFills}, {@code Fill}), eviction ({@code StoreEviction}), the
 * administrative calls ({@code StoreAdmin}) and the directory's lock ({@code StoreLock}).
 */
package dev.patchgate.mirror;
