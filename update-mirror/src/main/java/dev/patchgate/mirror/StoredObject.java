package dev.patchgate.mirror;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One committed object: its meta and its data file. Returned by {@link MirrorStore#lookup}.
 *
 * <p>The data file of a given {@code StoredObject} never changes: a newer copy of the URL is a new
 * object with a new file. Thread-safe.
 */
public final class StoredObject {
  private final CommittedObjects store;
  private final String hex;
  private final String dataName;
  private final Path dataPath;
  private final AtomicLong hits;
  private volatile StoredMeta meta;
  private volatile long lastAccessMillis;

  StoredObject(
      CommittedObjects store,
      String hex,
      String dataName,
      Path dataPath,
      StoredMeta meta,
      long hits,
      long lastAccessMillis) {
    this.store = store;
    this.hex = hex;
    this.dataName = dataName;
    this.dataPath = dataPath;
    this.meta = meta;
    this.hits = new AtomicLong(hits);
    this.lastAccessMillis = lastAccessMillis;
  }

  /** The current meta; replaced (headers, validation time) when the upstream answers 304. */
  public StoredMeta meta() {
    return meta;
  }

  /** The URL it is stored under. */
  public String url() {
    return meta.url();
  }

  /** The content length in bytes. */
  public long length() {
    return meta.length();
  }

  /** The data file, for callers that open it themselves. */
  public Path dataPath() {
    return dataPath;
  }

  /**
   * Opens the data file for reading, e.g. for a zero-copy {@code FileRegion}. Blocking: an {@code
   * open(2)}, normally microseconds. The caller owns and closes the channel; once open, it reads
   * the same bytes even if the object is evicted, purged or replaced meanwhile.
   *
   * @throws java.nio.file.NoSuchFileException if the object was removed since {@link
   *     MirrorStore#lookup}: treat it as a miss
   */
  public FileChannel open() throws IOException {
    return FileChannel.open(dataPath, StandardOpenOption.READ);
  }

  /**
   * The whole content from memory when the object is small enough for the memory cache, see {@link
   * MirrorStore#content}; else empty (serve {@link #open()}). Blocking on first use.
   */
  public Optional<ByteBuffer> content() {
    return store.content(this);
  }

  /**
   * Records a hit: counts it, makes the object the most recently used, and marks its access record
   * for the next lazy write. Non-blocking; call once per response served from the object.
   */
  public void touch() {
    hits.incrementAndGet();
    lastAccessMillis = store.nowMillis();
    store.accessed(this);
  }

  /** How many times it was served (persisted lazily, so a crash may lose the latest). */
  public long hits() {
    return hits.get();
  }

  /** When it was last looked up or served. */
  public Instant lastAccess() {
    return Instant.ofEpochMilli(lastAccessMillis);
  }

  String hex() {
    return hex;
  }

  String dataName() {
    return dataName;
  }

  long lastAccessMillis() {
    return lastAccessMillis;
  }

  void recordLookup(long nowMillis) {
    lastAccessMillis = nowMillis;
  }

  void replaceMeta(StoredMeta newMeta) {
    meta = newMeta;
  }

  MetaRecord record() {
    return new MetaRecord(meta, dataName, lastAccess(), hits.get());
  }

  @Override
  public String toString() {
    return "StoredObject[" + meta.url() + ", " + meta.length() + " bytes]";
  }
}
